"""Pure normalisation steps behind components.norwegian_normaliser."""
from actions.norwegian_stem import TypoRepairer, nn_to_nb, normalise_word, stem


def test_nynorsk_function_words_map_to_bokmal() -> None:
    for nynorsk, bokmal in [("kva", "hva"), ("kven", "hvem"), ("korleis", "hvordan"), ("ikkje", "ikke"), ("eg", "jeg")]:
        assert nn_to_nb(nynorsk) == bokmal


def test_nynorsk_compound_parts_map_inside_words() -> None:
    assert nn_to_nb("sjukehuset") == "sykehuset"
    assert nn_to_nb("fritidsulukka") == "fritidsulykka"
    assert nn_to_nb("tenestereiseforsikringa") == "tjenestereiseforsikringa"
    assert nn_to_nb("sjukepleiar") == "sykepleier"


def test_bokmal_words_are_unchanged() -> None:
    for word in ["hva", "tjenestereise", "forsikringen", "sykehus", "lege"]:
        assert nn_to_nb(word) == word


def test_stem_joins_inflections_of_both_standards() -> None:
    assert stem("forsikringa") == stem("forsikringen") == stem("forsikringene") == "forsikring"


def test_stem_keeps_numbers_and_short_words() -> None:
    assert stem("550000") == "550000"
    assert stem("g") == "g"


def test_full_chain_gives_one_form_for_nynorsk_and_bokmal() -> None:
    assert normalise_word("Gruppelivsforsikringa") == normalise_word("gruppelivsforsikringen")
    assert normalise_word("Sjukepleiar") == normalise_word("sykepleier")
    assert normalise_word("KVA") == "hva"


def test_typo_repair_uses_the_vocabulary() -> None:
    repairer = TypoRepairer(["gruppelivsforsikring", "yrkesskade", "hva"])
    assert repairer.repair("grupplivsforsikring") == "gruppelivsforsikring"
    assert repairer.repair("yrkeskade") == "yrkesskade"


def test_typo_repair_leaves_short_and_unknown_words() -> None:
    repairer = TypoRepairer(["gruppelivsforsikring", "kan"])
    assert repairer.repair("man") == "man"  # too short to repair safely
    assert repairer.repair("parkering") == "parkering"  # nothing close enough


def test_steps_can_be_switched_off() -> None:
    assert normalise_word("Forsikringa", map_nynorsk=False, use_stem=False) == "forsikringa"

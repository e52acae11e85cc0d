"""Pure normalisation steps behind components.norwegian_normaliser."""
from actions.norwegian_stem import (
    TypoRepairer,
    filler_positions,
    leading_greeting_length,
    nn_to_nb,
    normalise_word,
    restore_norwegian_letters,
    stem,
)


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


def test_west_norwegian_dialect_words_map_to_bokmal() -> None:
    assert [nn_to_nb(w) for w in "ka e du for nokka".split()] == ["hva", "er", "du", "for", "noe"]
    assert normalise_word("æ") == normalise_word("jeg")
    assert normalise_word("ungane") == normalise_word("barna")


def test_letters_typed_without_ae_oe_aa_are_restored_when_known() -> None:
    known = {"på", "får", "dødsfall", "gjør", "både", "far", "hva"}
    assert restore_norwegian_letters("paa", known) == "på"
    assert restore_norwegian_letters("faar", known) == "får"
    assert restore_norwegian_letters("doedsfall", known) == "dødsfall"
    assert restore_norwegian_letters("gjor", known) == "gjør"
    assert restore_norwegian_letters("bade", known) == "både"


def test_letter_restoration_leaves_known_short_and_unmatched_words() -> None:
    known = {"far", "får", "på", "ikke"}
    assert restore_norwegian_letters("far", known) == "far"  # a real word stays
    assert restore_norwegian_letters("pa", known) == "pa"  # too short to guess
    assert restore_norwegian_letters("parkering", known) == "parkering"  # no known result
    assert restore_norwegian_letters("ikkje", known) == "ikkje"  # Nynorsk of a known word is not a typo


def test_full_chain_restores_letters_only_with_a_vocabulary() -> None:
    assert normalise_word("Doedsfall", known={"dødsfall"}) == normalise_word("dødsfall")
    assert normalise_word("Doedsfall") == "doedsfall"


def test_a_greeting_that_opens_a_question_is_counted() -> None:
    assert leading_greeting_length("hei, hvem er dekket av yrkesskadeforsikringen".split()) == 1
    assert leading_greeting_length("God morgen! kva dekkjer fritidsulukkeforsikringa".split()) == 2
    assert leading_greeting_length("hei hei jeg er 62 og lurer på gruppelivet".split()) == 2


def test_a_greeting_alone_or_almost_alone_stays() -> None:
    assert leading_greeting_length(["hei"]) == 0
    assert leading_greeting_length("god morgen alle sammen".split()) == 0
    assert leading_greeting_length("hvem er dekket av yrkesskadeforsikringen".split()) == 0
    assert leading_greeting_length("heisann heisann".split()) == 0


def _without_filler(text: str) -> str:
    words = text.split()
    drop = filler_positions(words)
    return " ".join(w for i, w in enumerate(words) if i not in drop)


def test_lurer_paa_before_a_question_is_dropped() -> None:
    assert _without_filler("jeg er 62 og lurer på hvor mye familien min får") == "jeg er 62 og hvor mye familien min får"
    assert _without_filler("Jeg lurer på om jeg er dekket på julebordet") == "om jeg er dekket på julebordet"
    assert _without_filler("eg lurar litt på kva gruppelivet dekkjer") == "kva gruppelivet dekkjer"


def test_lurer_paa_without_a_question_after_it_stays() -> None:
    for text in ("hei! lurer på noe", "jeg lurer på noe om gruppeliv", "lurer på om", "lurer på hva"):
        assert _without_filler(text) == text

"""Written-standard detection (actions.nortext.detect_written_standard)."""
import pytest

from actions.nortext import detect_written_standard

NYNORSK = [
    "kva forsikringar får eg som nytilsett?",
    "har eg gruppeliv når eg er sjukmeld?",
    "korleis verkar dei to yrkesskadeforsikringane saman?",
    "er Sjukehusapoteka Vest omfatta?",
    "rekn ut erstatninga mi",
    "personalforsikringar oversikt",
    "kva om ein pasient krev erstatning frå meg personleg",
    "kor mange G blir utbetalt ved ervervsuførheit?",
    "takk for hjelpa di",
]
BOKMAL = [
    "hvilke forsikringer har helseforetaket for meg",
    "er sommervikarer forsikret?",
    "vil prate med en ekte saksbehandler",
    "dette var skikkelig bra forklart",
    "hvor lenge varer dekningen på en lang tjenestereise?",
    "får mamma noe hvis jeg dør uten barn",
    "g nå",
]
NEUTRAL = ["hei", "ok", "50 år", "35 %", "ja", "takk", "gruppeliv", "DNB?", "skatt", "takk, kjempefint", ""]


@pytest.mark.parametrize("text", NYNORSK)
def test_nynorsk(text: str) -> None:
    assert detect_written_standard(text) == "nn"


@pytest.mark.parametrize("text", BOKMAL)
def test_bokmal(text: str) -> None:
    assert detect_written_standard(text) == "nb"


@pytest.mark.parametrize("text", NEUTRAL)
def test_neutral_messages_keep_the_current_standard(text: str) -> None:
    assert detect_written_standard(text) is None


def test_words_for_doctor_are_not_a_nynorsk_ending() -> None:
    # "lege"/"tannlege" end like Nynorsk adjectives (vanlege) but are shared words.
    assert detect_written_standard("tannlegen og legen") is None


def test_definite_plural_endings_decide_long_compounds() -> None:
    assert detect_written_standard("yrkesskadeforsikringane") == "nn"
    assert detect_written_standard("yrkesskadeforsikringene") == "nb"

"""The amount-question and tax-question rules (actions/intent_rules.py) and their NLU component."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from actions.intent_rules import adjusted_intent, personal_numbers
from components.intent_rules import IntentRules


@pytest.mark.parametrize("text", [
    "jeg er 44, hva får jeg ved 25 % mén?",
    "kva blir det for meg, eg er 39",
    "mannen min var 61 da han døde, hva får vi",
    "hvor mye er barnetillegget når ungene er 3 og 11",
    "46 år gammel og ufør etter en arbeidsulykke",
    "jeg tjener 560 000 og ble ufør",
    "født i 1972, hva får familien?",
    "hva får man ved 35 prosent invaliditet",
    "41 år og 30 % mén, hva får jeg",
    "skadet på jobb og er 52 år, kor mykje blir det",
    "dødsfallserstatning for en på 44 med tre barn",
    "jeg har 640 000 i lønn og ble ufør",
])
def test_own_numbers_are_personal(text: str) -> None:
    assert personal_numbers(text)


@pytest.mark.parametrize("text", [
    "hva får man over 59 år i gruppeliv",
    "erstatning ved 100 prosent ervervsuførhet",
    "får jeg noe under 15 % medisinsk invaliditet?",
    "hva betyr 18 G",
    "gjelder det barn under 18",
    "grunnerstatningen trappes ned med 5 % per år",
    "jeg jobber 60 % stilling, hva får jeg",
    "hva er erstatningen etter fylte 67",
    "mellom 20 og 30 prosent",
    "hva er grunnbeløpet i 2025",
])
def test_brochure_figures_and_years_are_not_personal(text: str) -> None:
    assert not personal_numbers(text)


def test_only_ask_benefits_and_amount_questions_of_ask_survivors_are_switched() -> None:
    text = "jeg er 53, hva får kona mi om jeg dør?"
    assert adjusted_intent("ask_benefits", text) == "calculate_payout"
    assert adjusted_intent("ask_survivors", text) == "ask_survivors"  # "hva får": often who and which scheme
    assert adjusted_intent("ask_tax", text) == "ask_tax"
    assert adjusted_intent("ask_benefits", "hva får kona mi om jeg dør?") == "ask_benefits"
    assert adjusted_intent("ask_benefits", '/ask_benefits{"age": 53}') == "ask_benefits"


@pytest.mark.parametrize("text", [
    "eg er 57, kor mykje får familien min frå gruppelivet om eg døyr?",
    "jeg er 62 og lurer på hvor mye familien min får hvis jeg dør",
    "Hvor stor blir utbetalingen til barna på 4 og 9 om jeg dør?",
])
def test_an_amount_question_with_own_numbers_is_a_calculation_even_as_a_survivors_question(text: str) -> None:
    assert adjusted_intent("ask_survivors", text) == "calculate_payout"


@pytest.mark.parametrize("text", [
    "hvor mye får samboeren min fra gruppelivet?",  # no own numbers: the brochure's answer
    "vi har barn på 5 og 9, hvem får pengene om jeg dør?",  # who, not how much
    "får barn over 18 år noe?",
])
def test_survivors_questions_without_an_amount_and_own_numbers_stay(text: str) -> None:
    assert adjusted_intent("ask_survivors", text) == "ask_survivors"


@pytest.mark.parametrize("intent, text", [
    ("ask_benefits", "kva skjer med skatten om eg får menerstatning frå yrkesskadeforsikringa"),
    ("ask_benefits", "er menerstatningen skattefri?"),
    ("ask_survivors", "må de etterlatte skatte av dødsfallserstatningen fra gruppelivet?"),
    ("ask_treatment_costs", "blir behandlingsutgiftene jeg får dekket beskattet?"),
    ("ask_coordination", "skattlegges erstatningen fra overenskomsten når jeg også får fra loven?"),
    ("ask_benefits", "hvor mye skatt betaler jeg av uføreerstatningen?"),  # an amount, but no own numbers
])
def test_a_benefit_question_about_tax_is_a_tax_question(intent: str, text: str) -> None:
    assert adjusted_intent(intent, text) == "ask_tax"


def test_tax_words_leave_other_intents_and_own_amount_questions_alone() -> None:
    assert adjusted_intent("out_of_scope", "hvordan fyller jeg ut skattemeldingen?") == "out_of_scope"
    assert adjusted_intent("ask_claim_steps", "hvordan melder jeg skaden, og må jeg skatte?") == "ask_claim_steps"
    # the user's own numbers and "how much": the calculator answers first
    text = "jeg er 40 og har 30 % mén, hvor mye får jeg etter skatt?"
    assert adjusted_intent("ask_benefits", text) == "calculate_payout"


@pytest.mark.parametrize("text", ["hva tilsvarer 18G i kroner", "kor mykje er 7,1 G i kroner?", "hva er 2,4 G i kr"])
def test_g_in_kroner_is_a_g_question(text: str) -> None:
    assert adjusted_intent("ask_benefits", text) == "ask_grunnbelop"
    assert adjusted_intent("ask_definition", text) == "ask_grunnbelop"


def test_g_figures_without_a_conversion_or_with_own_numbers_stay() -> None:
    assert adjusted_intent("ask_benefits", "hva er maks 18 G?") == "ask_benefits"
    assert adjusted_intent("ask_benefits", "jeg tjener 8 G, hva får jeg i kroner") == "calculate_payout"
    assert adjusted_intent("inform", "8 G i kroner") == "inform"  # an answer inside the calculator


def test_a_glossary_question_comparing_two_schemes_asks_where_and_when_they_apply() -> None:
    assert adjusted_intent("ask_definition", "hva er forskjellen på yrkesskade og fritidsulykke?") == "ask_where_when"
    assert adjusted_intent("ask_definition", "kva er skilnaden mellom gruppeliv og tenestereise") == "ask_where_when"
    # two glossary terms, or one scheme: the glossary
    assert adjusted_intent("ask_definition", "hva er forskjellen på mén og ervervsuførhet") == "ask_definition"
    assert adjusted_intent("ask_definition", "forskjellen på samboer og ektefelle i gruppelivet") == "ask_definition"


@pytest.mark.parametrize("text", ["Hvor mye får de etterlatte fra gruppelivsforsikringen?",
                                  "kor mykje får dei etterlatne frå gruppelivet?",
                                  "hvor mye får de etterlatte i gruppelivet?",  # "i" is not the dialect "I"
                                  "hvor mye får en ansatt ved full uførhet etter fritidsulykke"])
def test_a_general_amount_question_is_the_brochures_answer_not_a_calculation(text: str) -> None:
    assert adjusted_intent("calculate_payout", text) == "ask_benefits"


@pytest.mark.parametrize("text", ["hvor mye får kona mi hvis jeg dør?", "regn ut hvor mye etterlatte får",
                                  "hvor mye blir det?", "hvor mye får etterlatte etter en kollega på 63?",
                                  "hvor mye får man ved 30 % mén"])
def test_calculations_stay_with_the_calculator(text: str) -> None:
    assert adjusted_intent("calculate_payout", text) == "calculate_payout"


def test_component_renames_the_ranking_and_adds_up_what_the_rules_join() -> None:
    message = Message(data={
        "text": "eg er 57, kor mykje får familien frå gruppelivet om eg døyr?",
        "intent": {"name": "ask_benefits", "confidence": 0.36},
        "intent_ranking": [{"name": "ask_benefits", "confidence": 0.36}, {"name": "ask_survivors", "confidence": 0.33},
                           {"name": "calculate_payout", "confidence": 0.13}, {"name": "out_of_scope", "confidence": 0.1}],
    })
    IntentRules().process([message])
    # benefits and survivors with own numbers and "kor mykje" are both the calculator: 0.36 + 0.33 + 0.13
    assert message.get("intent")["name"] == "calculate_payout"
    assert message.get("intent")["confidence"] == pytest.approx(0.82)
    ranking = message.get("intent_ranking")
    assert [r["name"] for r in ranking] == ["calculate_payout", "out_of_scope"]
    assert ranking[1]["confidence"] == pytest.approx(0.1)
    assert message.get("intent_rule") == "ask_benefits->calculate_payout"


def test_component_adds_a_joined_runner_up_to_an_unchanged_top_intent() -> None:
    message = Message(data={
        "text": "må jeg skatte av menerstatningen?",
        "intent": {"name": "ask_tax", "confidence": 0.5},
        "intent_ranking": [{"name": "ask_tax", "confidence": 0.5}, {"name": "ask_benefits", "confidence": 0.45}],
    })
    IntentRules().process([message])
    assert message.get("intent")["name"] == "ask_tax"
    assert message.get("intent")["confidence"] == pytest.approx(0.95)
    assert message.get("intent_rule") is None  # the classifier chose the intent; the rule only added to it


def test_component_leaves_other_messages_alone() -> None:
    data = {"text": "hva dekker gruppelivet?", "intent": {"name": "ask_benefits", "confidence": 0.7},
            "intent_ranking": [{"name": "ask_benefits", "confidence": 0.7}]}
    message = Message(data=dict(data))
    IntentRules().process([message])
    assert message.get("intent") == data["intent"] and message.get("intent_rule") is None

"""Human titles for intents, used on "did you mean" buttons (Bokmål and Nynorsk)."""
from __future__ import annotations

from typing import Optional

TITLES: dict[str, tuple[str, str]] = {
    "ask_schemes_overview": ("Hvilke forsikringer har jeg?", "Kva forsikringar har eg?"),
    "ask_who_covered": ("Hvem er dekket?", "Kven er dekt?"),
    "ask_where_when": ("Hvor og når gjelder forsikringen?", "Kvar og når gjeld forsikringa?"),
    "ask_benefits": ("Hva dekkes, og hvor mye?", "Kva er dekt, og kor mykje?"),
    "ask_survivors": ("Hvem får utbetalt ved dødsfall?", "Kven får utbetalt ved dødsfall?"),
    "ask_coordination": ("Samordning av forsikringene", "Samordning av forsikringane"),
    "ask_insurer": ("Hvilket forsikringsselskap?", "Kva forsikringsselskap?"),
    "ask_employment_end": ("Når jeg slutter i jobben", "Når eg sluttar i jobben"),
    "ask_treatment_costs": ("Behandlingsutgifter og egenandel", "Behandlingsutgifter og eigenandel"),
    "ask_not_covered": ("Hva dekkes ikke?", "Kva er ikkje dekt?"),
    "ask_definition": ("Ord og uttrykk", "Ord og uttrykk"),
    "ask_grunnbelop": ("Hva er G (grunnbeløpet)?", "Kva er G (grunnbeløpet)?"),
    "ask_tax": ("Skatt", "Skatt"),
    "ask_claim_steps": ("Hva gjør jeg etter en skade?", "Kva gjer eg etter ei skade?"),
    "ask_health_trusts": ("Hvilke helseforetak?", "Kva helseføretak?"),
    "ask_contact": ("Hvem kontakter jeg?", "Kven kontaktar eg?"),
    "ask_liability": ("Ansvarsforsikring", "Ansvarsforsikring"),
    "calculate_payout": ("Regn ut en utbetaling", "Rekn ut ei utbetaling"),
    "human_handoff": ("Snakk med personalavdelingen", "Snakk med personalavdelinga"),
    "bot_capabilities": ("Hva kan du hjelpe med?", "Kva kan du hjelpe med?"),
}

# Intents that make no sense as a "did you mean" choice.
NOT_OFFERED = frozenset({"nlu_fallback", "out_of_scope", "greet", "goodbye", "thank", "affirm", "deny",
                         "inform", "stop", "feedback"})


def title(intent: str, language: str = "nb") -> Optional[str]:
    pair = TITLES.get(intent)
    if pair is None:
        return None
    return pair[1] if language == "nn" else pair[0]


def likely_choices(ranking: list[dict], language: str = "nb", limit: int = 3) -> list[dict]:
    """Buttons for the likeliest offerable intents of an NLU intent ranking, best first."""
    buttons: list[dict] = []
    for entry in ranking:
        name = entry.get("name") or ""
        label = title(name, language)
        if name in NOT_OFFERED or label is None:
            continue
        buttons.append({"title": label, "payload": f"/{name}"})
        if len(buttons) == limit:
            break
    return buttons

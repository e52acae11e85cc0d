"""A PayoutResult as Norwegian text (Bokmål or Nynorsk) or as JSON.

The total comes first; every step line ends with a numbered reference to its source; unknowns are listed under their own heading; the disclaimer
always closes the answer, because the insurer's settlement, not this estimate, decides.
"""
from __future__ import annotations

import json
from typing import Any

from actions.nortext import format_day, format_kr
from actions.payout_model import PayoutResult, t

DISCLAIMER = t("Dette er et anslag. Forsikringsvilkårene og forsikringsselskapets oppgjør avgjør. "
               "Gjeldende forsikringsvilkår går foran.",
               "Dette er eit overslag. Forsikringsvilkåra og oppgjeret frå forsikringsselskapet avgjer. "
               "Gjeldande forsikringsvilkår går føre.")
_WORDS = {
    "nb": {"estimate": "Anslag", "source": "Kilde", "secondary": "annenhåndskilde", "inferred": "utledet, usikker",
           "total": "Sum", "lower": "Sum (nedre grense, du får trolig mer)", "g": "Brukt grunnbeløp",
           "outdated": "G kan ha blitt regulert siden {day}; sjekk om det finnes en nyere G.",
           "unknown": "Ukjent", "warning": "Merk", "no_total": "Ingen sum å regne ut; se punktene over.",
           "no_total_head": "ingen samlet sum å regne ut, se punktene under",
           "sources": "Kilder", "lower_short": "minst "},
    "nn": {"estimate": "Overslag", "source": "Kjelde", "secondary": "andrehandskjelde", "inferred": "utleidd, usikker",
           "total": "Sum", "lower": "Sum (nedre grense, du får truleg meir)", "g": "Brukt grunnbeløp",
           "outdated": "G kan ha blitt regulert sidan {day}; sjekk om det finst ein nyare G.",
           "unknown": "Ukjend", "warning": "Merk", "no_total": "Ingen sum å rekne ut; sjå punkta over.",
           "no_total_head": "ingen samla sum å rekne ut, sjå punkta under",
           "sources": "Kjelder", "lower_short": "minst "},
}


def _uses_g(result: PayoutResult) -> bool:
    return result.total_g is not None or any(step.g is not None for step in result.steps)


def _total_line(result: PayoutResult, lang: str) -> str:
    words = _WORDS[lang]
    label = words["lower"] if result.lower_bound else words["total"]
    kr_based = result.total_g is None or any(step.kr is not None for step in result.steps)
    if result.total_kr is not None and kr_based:
        return f"{label}: {format_kr(result.total_kr)}"
    if result.total_g is not None:
        return f"{label}: {result.g.kr_text(result.total_g)[lang]}"
    return words["no_total"]


def _headline(result: PayoutResult, lang: str) -> str:
    """The fact first: what the estimate comes to, before the steps that explain it."""
    words = _WORDS[lang]
    has_amount = any(s.g is not None or s.kr is not None for s in result.steps)
    if not has_amount:
        return f"{words['estimate']}: {result.title[lang]}"
    if result.total_kr is None and result.total_g is None:  # only bounds or separate items: nothing to add up
        return f"{words['estimate']} for {result.title[lang][0].lower()}{result.title[lang][1:]}: {words['no_total_head']}"
    total = _total_line(result, lang).split(": ", 1)[-1]
    qualifier = words["lower_short"] if result.lower_bound else ""
    return f"{words['estimate']} for {result.title[lang][0].lower()}{result.title[lang][1:]}: {qualifier}{total}"


def render_text(result: PayoutResult, lang: str = "nb") -> str:
    """Headline total, then the steps with numbered source references, notes, sources, disclaimer."""
    lang = "nn" if lang == "nn" else "nb"
    words = _WORDS[lang]
    sources: list[str] = []

    def ref(source: str, status: str) -> str:
        entry = source + (f" ({words[status]})" if status in ("secondary", "inferred") else "")
        if entry not in sources:
            sources.append(entry)
        return f"[{sources.index(entry) + 1}]"

    lines = [_headline(result, lang)]
    section = None
    for step in result.steps:
        if step.section and step.section != section:
            section = step.section
            lines.append(f"{section[lang]}:")
        lines.append(f"• {step.text[lang]} {ref(step.source, step.status)}")
    if result.steps and any(s.g is not None or s.kr is not None for s in result.steps):
        lines.append(_total_line(result, lang))
    if _uses_g(result):
        g_line = f"{words['g']}: {result.g.describe()[lang]}."
        if result.g.possibly_outdated and result.g.valid_from:
            g_line += " " + words["outdated"].format(day=format_day(result.g.valid_from))
        lines.append(g_line)
    for kind in ("unknown", "warning"):
        for note in (n for n in result.notes if n.kind == kind):
            marker = f" {ref(note.source, 'sourced')}" if note.source else ""
            lines.append(f"{words[kind]}: {note.text[lang]}{marker}")
    lines.append(DISCLAIMER[lang])
    lines.append(f"{words['sources']}:")
    lines.extend(f"[{number}] {source}" for number, source in enumerate(sources, start=1))
    return "\n".join(lines)


def to_json_dict(result: PayoutResult) -> dict[str, Any]:
    data = result.to_dict()
    data["total_text"] = {lang: _total_line(result, lang) for lang in ("nb", "nn")}
    data["g"]["text"] = result.g.describe()
    data["disclaimer"] = dict(DISCLAIMER)
    return data


def render_json(result: PayoutResult) -> str:
    return json.dumps(to_json_dict(result), ensure_ascii=False, indent=2)


"""Fritidsulykke, gruppeliv, tjenestereise and utrykning: the brochure's amounts, and what it leaves open.

Rule data and sources: kb/payout_rules.yml. Research: /work/shared/research/payout-rules.md (C.2–C.4).
"""
from __future__ import annotations

from typing import Any

from actions.nortext import format_g, format_kr
from actions.payout_model import GUsed, Note, Part, PayoutInput, Step, clean, factor_text, percent_text, t

BROCHURE_SCHEMES = "Personalforsikringer, Helse Vest (02.11.2019), «Hvilke forsikringsordninger har du?»"
KS_FRITID = "https://askoy.kommune.no/forsikringsavtaler/personalforsikringer/fritids-og-ulykkesforsikring"
OVERENSKOMST_WHERE = "Personalforsikringer, Helse Vest (02.11.2019), «Yrkesskadeforsikring etter overenskomsten – Hvor gjelder forsikringen?»"


def _age_unknown(rule: dict[str, Any], adjusted_by: str, adjusted_by_nn: str) -> Note:
    return Note("unknown", t(
        f"Brosjyren sier at beløpet reguleres i forhold til {adjusted_by}, men ikke hvordan. Beløpet her er uten en "
        f"slik justering og kan bli både høyere og lavere.",
        f"Brosjyra seier at beløpet blir regulert i forhold til {adjusted_by_nn}, men ikkje korleis. Beløpet her er "
        f"utan ei slik justering og kan bli både høgare og lågare."), rule["source"])


# --- fritidsulykke ---------------------------------------------------------------------------------
def fritid(inp: PayoutInput, rules: dict[str, Any], g: GUsed) -> Part:
    rule = rules["fritidsulykke"][inp.benefit]
    degree = inp.degree or 0.0
    if inp.benefit == "behandlingsutgifter":
        costs = inp.costs or 0.0
        paid = max(0.0, costs - rule["excess_kr"])
        text = t(f"Nødvendige utgifter {format_kr(costs)} − egenandel {format_kr(rule['excess_kr'])} = {format_kr(paid)}",
                 f"Nødvendige utgifter {format_kr(costs)} − eigenandel {format_kr(rule['excess_kr'])} = {format_kr(paid)}")
        note = Note("warning", t("Bare nødvendige utgifter til behandling av skaden dekkes, for eksempel lege, tannlege "
                                 "og reise til og fra behandling.",
                                 "Berre naudsynte utgifter til behandling av skaden blir dekte, til dømes lege, "
                                 "tannlege og reise til og frå behandling."), rule["source"])
        return Part([Step(text, rule["source"], rule["status"], kr=paid)], [note], total_kr=paid)
    if inp.benefit == "dodsfall":
        return _fritid_dodsfall(inp, rules, g)
    amount = clean(rule["g"] * degree / 100)
    what = t("medisinsk invaliditet") if inp.benefit == "men" else t("ervervsuførhet", "ervervsuførleik")
    text = {lang: f"{format_g(rule['g'])} × {percent_text(degree)} ({what[lang]}) = {kr}"
            for lang, kr in g.kr_text(amount).items()}
    notes = [_age_unknown(rule, "alder", "alder") if inp.benefit == "men"
             else _age_unknown(rule, "alder og inntekt", "alder og inntekt")]
    if inp.benefit == "men":
        notes.append(Note("warning", t("Brosjyren nevner ingen nedre grense for invaliditetsgraden; i KS-ordningen må "
                                       "den være minst 15 %.",
                                       "Brosjyra nemner inga nedre grense for invaliditetsgraden; i KS-ordninga må ho "
                                       "vere minst 15 %."), KS_FRITID))
    return Part([Step(text, rule["source"], rule["status"], g=amount)], notes, total_g=amount)


def _fritid_dodsfall(inp: PayoutInput, rules: dict[str, Any], g: GUsed) -> Part:
    rule = rules["fritidsulykke"]["dodsfall"]
    life, life_step = gruppeliv_sum(inp.age or 0, rules, g)
    paid = clean(max(0.0, min(rule["g"], rule["cap_with_gruppeliv_g"] - life)))
    cap = format_g(rule["cap_with_gruppeliv_g"])
    text = {lang: (f"Fritidsulykke: {format_g(rule['g'])}, men samlet med gruppeliv høyst {cap}: "
                   f"{cap} − {format_g(life)} = {kr}" if lang == "nb" else
                   f"Fritidsulukke: {format_g(rule['g'])}, men samla med gruppeliv høgst {cap}: "
                   f"{cap} − {format_g(life)} = {kr}") for lang, kr in g.kr_text(paid).items()}
    if paid == rule["g"]:
        text = {lang: f"Fritidsulykke: {kr}" if lang == "nb" else f"Fritidsulukke: {kr}"
                for lang, kr in g.kr_text(paid).items()}
    together = {lang: (f"Samlet fra fritidsulykke og gruppeliv: {kr}" if lang == "nb" else
                       f"Samla frå fritidsulukke og gruppeliv: {kr}") for lang, kr in g.kr_text(paid + life).items()}
    return Part([life_step, Step(text, rule["source"], rule["status"], g=paid),
                 Step(together, rule["source"], rule["status"])], total_g=paid)


# --- gruppeliv -------------------------------------------------------------------------------------
def gruppeliv_sum(age: int, rules: dict[str, Any], g: GUsed) -> tuple[float, Step]:
    rule = rules["gruppeliv"]["sum"]
    years = max(0, age - rule["full_under_age"] + 1)
    amount = clean(max(rule["floor_g"], rule["full_g"] - rule["step_per_year"] * years))
    if years == 0:
        how = f"under {rule['full_under_age']} år"
    elif amount == rule["floor_g"]:
        how = f"{age} år, laveste sum"
    else:
        how = f"{age} år: {format_g(rule['full_g'])} − {format_g(rule['step_per_year'])} × {years}"
    text = {lang: (f"Gruppeliv, forsikringssum ({how}): {kr}" if lang == "nb" else
                   f"Gruppeliv, forsikringssum ({how.replace('laveste', 'lågaste')}): {kr}")
            for lang, kr in g.kr_text(amount).items()}
    return amount, Step(text, rule["source"], rule["status"], g=amount)


def gruppeliv(inp: PayoutInput, rules: dict[str, Any], g: GUsed) -> Part:
    survivors, estate = rules["gruppeliv"]["survivors"], rules["gruppeliv"]["estate"]
    amount, first = gruppeliv_sum(inp.age or 0, rules, g)
    part = Part([first], total_g=amount)
    partner = "ektefelle" in inp.survivors or "samboer" in inp.survivors
    young = [a for a in inp.children_ages if a < survivors["children_under_age"]]
    src, status = survivors["source"], survivors["status"]
    if partner and young:
        children = clean(amount * survivors["children_min_share"])
        who = t("ektefellen", "ektefellen") if "ektefelle" in inp.survivors else t("samboeren", "sambuaren")
        part.steps.append(Step({lang: (f"Barn under 20 år skal ha minst 40 % til sammen: {kr}; {who[lang]} høyst resten."
                                       if lang == "nb" else
                                       f"Barn under 20 år skal ha minst 40 % til saman: {kr}; {who[lang]} høgst resten.")
                                for lang, kr in g.kr_text(children).items()}, src, status))
        part.notes.append(Note("unknown", t("Hvordan summen fordeles mellom flere barn, står ikke i brosjyren.",
                                            "Korleis summen blir fordelt mellom fleire barn, står ikkje i brosjyra."), src))
    elif partner:
        who = t("ektefellen/registrert partner", "ektefellen/registrert partnar") if "ektefelle" in inp.survivors \
            else t("samboeren", "sambuaren")
        part.steps.append(Step(t(f"Hele summen går til {who['nb']}.", f"Heile summen går til {who['nn']}."), src, status))
    elif young:
        part.steps.append(Step(t("Hele summen går til barn under 20 år.", "Heile summen går til barn under 20 år."),
                               src, status))
    elif "andre" in inp.survivors:
        part.steps.append(Step(t("Summen går til andre som for en vesentlig del ble forsørget av avdøde.",
                                 "Summen går til andre som for ein vesentleg del vart forsørgde av avdøde."), src, status))
    else:
        return _estate(inp, estate, g)
    return part


def _estate(inp: PayoutInput, rule: dict[str, Any], g: GUsed) -> Part:
    minimum = clean(rule["min_g"] * g.amount)
    src, status = rule["source"], rule["status"]
    if inp.monthly_salary is None:
        text = {lang: (f"Ingen etterlatte: {factor_text(rule['monthly_salaries'])} månedslønn til dødsboet, minst {kr}"
                       if lang == "nb" else
                       f"Ingen etterlatne: {factor_text(rule['monthly_salaries'])} månadsløn til dødsbuet, minst {kr}")
                for lang, kr in g.kr_text(rule["min_g"]).items()}
        return Part([Step(text, src, status, g=rule["min_g"])], total_g=rule["min_g"], lower_bound=True)
    salary = clean(rule["monthly_salaries"] * inp.monthly_salary)
    paid = max(salary, minimum)
    text = t(f"Ingen etterlatte: {factor_text(rule['monthly_salaries'])} × {format_kr(inp.monthly_salary)} = "
             f"{format_kr(salary)}, minst {format_g(rule['min_g'])} = {format_kr(minimum)} → {format_kr(paid)} til dødsboet",
             f"Ingen etterlatne: {factor_text(rule['monthly_salaries'])} × {format_kr(inp.monthly_salary)} = "
             f"{format_kr(salary)}, minst {format_g(rule['min_g'])} = {format_kr(minimum)} → {format_kr(paid)} til dødsbuet")
    return Part([Step(text, src, status, kr=paid)], total_g=clean(paid / g.amount), total_kr=paid)


# --- tjenestereise and utrykning -------------------------------------------------------------------
def tjenestereise(inp: PayoutInput, rules: dict[str, Any]) -> Part:
    rule = rules["tjenestereise"]
    rows = [r for r in rule["rows"] if inp.benefit == "reise" or r["key"] == inp.benefit] or rule["rows"]
    steps = []
    for row in rows:
        amount = t("ubegrenset", "utan grense") if row["max_kr"] is None else t(f"inntil {format_kr(row['max_kr'])}")
        steps.append(Step(t(f"{row['nb']}: {amount['nb']}", f"{row['nn']}: {amount['nn']}"), rule["source"],
                          rule["status"], kr=row["max_kr"]))
    notes = [Note("warning", t("Beløpene er øvre grenser; erstatningen settes etter det faktiske tapet.",
                               "Beløpa er øvre grenser; erstatninga blir sett etter det faktiske tapet."), rule["source"]),
             Note("warning", t("En ulykke på tjenestereise kan også gi erstatning etter yrkesskadeforsikringen etter "
                               "overenskomsten.",
                               "Ei ulukke på tenestereise kan òg gi erstatning etter yrkesskadeforsikringa etter "
                               "overeinskomsten."), OVERENSKOMST_WHERE)]
    if inp.benefit == "men":
        notes.insert(0, Note("unknown", t("Hvordan beløpet settes ned ved lavere invaliditetsgrad, står ikke i brosjyren.",
                                          "Korleis beløpet blir sett ned ved lågare invaliditetsgrad, står ikkje i "
                                          "brosjyra."), rule["source"]))
    return Part(steps, notes)


def utrykning() -> Part:
    return Part(notes=[Note("unknown", t(
        "Helse Vest har tilleggsforsikringer for utrykningspersonell i DNB, men brosjyren oppgir ingen beløp. "
        "Spør personalavdelingen.",
        "Helse Vest har tilleggsforsikringar for utrykkingspersonell i DNB, men brosjyra oppgir ingen beløp. "
        "Spør personalavdelinga."), BROCHURE_SCHEMES)])

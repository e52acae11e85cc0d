"""Yrkesskade: the law (forskrift om standardisert erstatning, FOR-1990-12-21-1027), the Spekter agreement,
and their coordination ("the law is paid; where the agreement gives more, the difference is added").

Rule data and sources: kb/payout_rules.yml. Research: /work/shared/research/payout-rules.md (A, C.1, D).
"""
from __future__ import annotations

from typing import Any, Optional

from actions.nortext import format_g, format_kr, format_number
from actions.payout_model import GUsed, Note, Part, PayoutInput, Step, Text, clean, factor_text, percent_text, t

BROCHURE_CLAIM = "Personalforsikringer, Helse Vest (02.11.2019), «Hva gjør jeg hvis jeg blir utsatt for en skade?»"
FORSKRIFT_1_4 = "FOR-1990-12-21-1027 § 1-4: http://advokat-personskade.no/yrkesskade-advokat-gregussen/forskrift-om-standrardisert-erstatning"
HR_2012 = "HR-2012-1926-A: https://skadesiden.no/com-jce/dommer-hoyesterett/75-rt-2012-1515?tmpl=component&print=1"
ASKOY_GJENSIDIGE = ("https://askoy.kommune.no/forsikringsavtaler/personalforsikringer/yrkesskadeforsikring ; "
                    "https://www.gjensidige.no/bedrift/bransjer/kommune/ansatt")
LAW = t("Etter loven (yrkesskadeforsikringsloven)", "Etter lova (yrkesskadeforsikringslova)")
AGREEMENT = t("Etter overenskomsten (Spekter)", "Etter overeinskomsten (Spekter)")
COORDINATION = t("Samordning", "Samordning")


def age_factor(age: int, rule: dict[str, Any]) -> tuple[float, bool]:
    """(factor, known). Unchanged at 45/46, up below, down above (with a floor). Below the lowest age
    any source covers, returns that age's factor and known=False: a lower bound, never a guess."""
    low, high = rule["neutral_from"], rule["neutral_to"]
    if age < low:
        known_down_to = rule.get("younger_known_down_to")
        if known_down_to is not None and age < known_down_to:
            return clean(1 + rule["younger_per_year"] * (low - known_down_to)), False
        return clean(1 + rule["younger_per_year"] * (low - age)), True
    if age <= high:
        return 1.0, True
    return clean(max(rule["floor"], 1 - rule["older_per_year"] * (age - high))), True


def _start(band: dict[str, Any]) -> float:
    return band["from"] if "from" in band else band["above"]


def band_for(degree: float, bands: list[dict[str, Any]]) -> tuple[Optional[float], str]:
    """(G for the band the degree falls in, its label '15–24 %'); (None, '') below the first band."""
    found: Optional[int] = None
    for index, band in enumerate(bands):
        if ("from" in band and degree >= band["from"]) or ("above" in band and degree > band["above"]):
            found = index
    if found is None:
        return None, ""
    band = bands[found]
    if "above" in band:
        return band["g"], f"over {band['above']:g} %"
    following = bands[found + 1] if found + 1 < len(bands) else None
    end = 100 if following is None else (following["from"] - 1 if "from" in following else following["above"])
    return band["g"], f"{band['from']:g}–{end:g} %"


def share(value: float) -> str:
    """0.05 -> '5 %'."""
    return percent_text(value * 100)


def _who(inp: PayoutInput) -> Text:
    return t("Samboer", "Sambuar") if "ektefelle" not in inp.survivors else t("Ektefelle/registrert partner")


# --- the law ---------------------------------------------------------------------------------------
def lov_men(inp: PayoutInput, rules: dict[str, Any], g: GUsed) -> Part:
    rule = rules["yrkesskade_lov"]["men"]
    degree, age = inp.degree or 0.0, inp.age or 0
    base, label = band_for(degree, rule["bands"])
    if base is None:
        first = _start(rule["bands"][0])
        text = t(f"Medisinsk invaliditet {percent_text(degree)} er under minstegrensen på {first:g} %: "
                 f"ingen ménerstatning etter loven.",
                 f"Medisinsk invaliditet {percent_text(degree)} er under minstegrensa på {first:g} %: "
                 f"inga ménerstatning etter lova.")
        return Part([Step(text, rule["source"], rule["status"], g=0.0)], total_g=0.0)
    steps = [Step(t(f"Medisinsk invaliditet {percent_text(degree)} ligger i gruppen {label}, som gir "
                    f"grunnerstatning {format_g(base)} ved 45/46 år.",
                    f"Medisinsk invaliditet {percent_text(degree)} ligg i gruppa {label}, som gir "
                    f"grunnerstatning {format_g(base)} ved 45/46 år."), rule["source"], rule["status"])]
    factor, _ = age_factor(age, rule["age"])
    amount = clean(base * factor)
    steps.append(Step({lang: f"{format_g(base)} × {factor_text(factor)} (aldersjustering, {age} år) = {kr}"
                       for lang, kr in g.kr_text(amount).items()}, rule["age"]["source"], rule["age"]["status"],
                      g=amount))
    note = Note("warning", t("For mén brukes trolig alderen da skaden ble konstatert, ikke alderen ved oppgjøret.",
                             "For mén blir truleg alderen då skaden vart konstatert brukt, ikkje alderen ved oppgjeret."),
                FORSKRIFT_1_4)
    return Part(steps, [note], total_g=amount)


def lov_ervervsuforhet(inp: PayoutInput, rules: dict[str, Any], g: GUsed) -> Part:
    rule = rules["yrkesskade_lov"]["ervervsuforhet"]
    degree, age, income = inp.degree or 0.0, inp.age or 0, inp.income or 0.0
    income_g = income / g.amount
    previous: Optional[float] = None
    for band in rule["bands"]:
        if band["up_to_g"] is None or income_g <= band["up_to_g"]:
            break
        previous = band["up_to_g"]
    limit = band["up_to_g"]
    label = (f"til og med {limit:g} G" if previous is None else
             f"over {previous:g} G" + (f" til og med {limit:g} G" if limit is not None else ""))
    base = band["g"]
    g_text, income_text, income_g_text = g.describe(), format_kr(income), format_number(income_g, 2)
    steps = [Step(t(f"Inntekt {income_text} i året er {income_g_text} G ({g_text['nb']}); inntektsgruppen {label} "
                    f"gir grunnerstatning {format_g(base)} ved 100 % ervervsuførhet og 45/46 år.",
                    f"Inntekt {income_text} i året er {income_g_text} G ({g_text['nn']}); inntektsgruppa {label} "
                    f"gir grunnerstatning {format_g(base)} ved 100 % ervervsuførleik og 45/46 år."),
                  rule["source"], rule["status"])]
    factor, known = age_factor(age, rule["age"])
    amount = clean(base * factor * degree / 100)
    age_label = (t(f"aldersjustering, {age} år") if known else
                 t(f"aldersjustering som for {rule['age']['younger_known_down_to']} år; du er {age} år"))
    tail = t("", "") if known else t(" – nedre grense", " – nedre grense")
    steps.append(Step({lang: f"{format_g(base)} × {factor_text(factor)} ({age_label[lang]}) × "
                             f"{percent_text(degree)} ({'ervervsuførhet' if lang == 'nb' else 'ervervsuførleik'}) = "
                             f"{kr}{tail[lang]}" for lang, kr in g.kr_text(amount).items()},
                      rule["age"]["source"], rule["age"]["status"], g=amount))
    notes = [Note("warning", t("Hvilket års inntekt og hvilken G inntektsgruppen regnes ut fra, står ikke i kildene "
                               "vi har funnet; her er inntekten delt på G-en som er brukt i utregningen.",
                               "Kva års inntekt og kva G inntektsgruppa blir rekna ut frå, står ikkje i kjeldene "
                               "vi har funne; her er inntekta delt på G-en som er brukt i utrekninga."), rule["source"])]
    if not known:
        low = rule["age"]["younger_known_down_to"]
        notes.insert(0, Note("unknown", t(
            f"Du er under {low} år. Da øker erstatningen mer, men hvor mye har vi ikke funnet i noen kilde. "
            f"Beløpet er det en {low}-åring ville fått, altså en nedre grense: du får trolig mer.",
            f"Du er under {low} år. Då aukar erstatninga meir, men kor mykje har vi ikkje funne i nokon kjelde. "
            f"Beløpet er det ein {low}-åring ville fått, altså ei nedre grense: du får truleg meir."),
            rule["age"]["source"]))
    return Part(steps, notes, total_g=amount, lower_bound=not known)


def lov_dodsfall(inp: PayoutInput, rules: dict[str, Any], g: GUsed) -> tuple[Part, float, float]:
    """The law's death part, the survivors' sum (capped) and the funeral sum, for coordination."""
    rule = rules["yrkesskade_lov"]["dodsfall"]
    age, part = inp.age or 0, Part()
    survivors_g = 0.0
    partner = "ektefelle" in inp.survivors or "samboer" in inp.survivors
    if partner:
        spouse = rule["spouse"]
        years = max(0, age - spouse["older_than"])
        factor = clean(max(spouse["floor"], 1 - spouse["older_per_year"] * years))
        amount = clean(spouse["g"] * factor)
        who = _who(inp)
        if years == 0:
            text = {lang: f"{who[lang]}: {format_g(spouse['g'])} (avdøde {age} år) = {kr}"
                    for lang, kr in g.kr_text(amount).items()}
        else:
            floor = f"; minst {share(spouse['floor'])}" if factor == spouse["floor"] else ""
            text = {lang: f"{who[lang]}: {format_g(spouse['g'])} × {factor_text(factor)} (avtrapping "
                          f"{share(spouse['older_per_year'])} per år over {spouse['older_than']} år, "
                          f"avdøde {age} år{floor}) = {kr}" for lang, kr in g.kr_text(amount).items()}
        part.steps.append(Step(text, spouse["source"], spouse["status"], g=amount))
        survivors_g += amount
        part.notes.append(Note("warning", t(
            "Har avdøde alt fått full erstatning for ervervsuførhet, gis det ikke erstatning til ektefelle/samboer.",
            "Har avdøde alt fått full erstatning for ervervsuførleik, blir det ikkje gitt erstatning til "
            "ektefelle/sambuar."), HR_2012))
        if "samboer" in inp.survivors and "ektefelle" not in inp.survivors:
            part.notes.append(Note("warning", t(
                "Brosjyren nevner ektefelle/partner; at samboer har samme rett, bygger på Askøy kommune og Gjensidige.",
                "Brosjyra nemner ektefelle/partnar; at sambuar har same rett, byggjer på Askøy kommune og Gjensidige."),
                ASKOY_GJENSIDIGE))
    children = rule["children"]
    uncertain_rows = False
    for child_age in inp.children_ages:
        if child_age >= children["under_age"]:
            part.steps.append(Step(t(f"Barn {child_age} år: ikke barnetillegg (bare barn under {children['under_age']} år).",
                                     f"Barn {child_age} år: ikkje barnetillegg (berre barn under {children['under_age']} år)."),
                                   children["rows"][-1]["source"], "sourced", g=0.0))
            continue
        row = children["rows"][child_age]
        mark = t("" if row["status"] == "sourced" else " (usikker sats, se under)",
                 "" if row["status"] == "sourced" else " (usikker sats, sjå under)")
        part.steps.append(Step({lang: f"Barnetillegg, barn {child_age} år: {kr}{mark[lang]}"
                                for lang, kr in g.kr_text(row["g"]).items()}, row["source"], row["status"], g=row["g"]))
        survivors_g += row["g"]
        uncertain_rows = uncertain_rows or row["status"] != "sourced"
    if inp.children_ages:
        part.notes.append(Note("warning", t(
            "Var avdøde eneforsørger, blir barnetillegget doblet etter Askøy kommune og Gjensidige; det står ikke i "
            "brosjyren og er ikke regnet med her.",
            "Var avdøde einaste forsørgjar, blir barnetillegget dobla etter Askøy kommune og Gjensidige; det står ikkje "
            "i brosjyra og er ikkje rekna med her."), ASKOY_GJENSIDIGE))
    if uncertain_rows:
        part.notes.insert(0, Note("unknown", t(
            "Satsene for barn mellom 1 og 18 år er usikre. Brosjyren sier 6,5 G under 1 år, deretter 0,5 G mindre "
            "annethvert år og 1 G ved 19 år, men Askøy kommune oppgir 6,0 G ved 1 år, som ikke passer med "
            "«annethvert år». Vi bruker 6,0 G ved 1 år og trapper ned annethvert år derfra; satsene for 2–18 år er "
            "vår utledning og ikke kontrollert mot forskriften.",
            "Satsane for barn mellom 1 og 18 år er usikre. Brosjyra seier 6,5 G under 1 år, deretter 0,5 G mindre "
            "annakvart år og 1 G ved 19 år, men Askøy kommune oppgir 6,0 G ved 1 år, som ikkje passar med "
            "«annakvart år». Vi bruker 6,0 G ved 1 år og trappar ned annakvart år derifrå; satsane for 2–18 år er "
            "vår utleiing og ikkje kontrollert mot forskrifta."), children["rows"][1]["source"]))
    if not partner and survivors_g == 0:
        part.steps.append(Step(t("Ingen ektefelle, samboer eller barn under 20 år: ingen erstatning til etterlatte "
                                 "etter loven.",
                                 "Ingen ektefelle, sambuar eller barn under 20 år: inga erstatning til etterlatne "
                                 "etter lova."), rule["spouse"]["source"], "sourced", g=0.0))
    if "andre" in inp.survivors:
        part.notes.append(Note("unknown", t(
            "Andre som for en vesentlig del ble forsørget av avdøde, kan ha rett på erstatning, men hvor mye står "
            "ikke i kildene vi har.",
            "Andre som for ein vesentleg del vart forsørgde av avdøde, kan ha rett på erstatning, men kor mykje står "
            "ikkje i kjeldene vi har."), rule["spouse"]["source"]))
    cap = rule["survivors_cap"]
    if survivors_g > cap["g"]:
        part.steps.append(Step({lang: f"Samlet til etterlatte {format_g(survivors_g)} er over taket: {kr}"
                                if lang == "nb" else f"Samla til etterlatne {format_g(survivors_g)} er over taket: {kr}"
                                for lang, kr in g.kr_text(cap["g"]).items()}, cap["source"], cap["status"], g=cap["g"]))
        survivors_g = cap["g"]
        part.notes.append(Note("warning", t(
            "Om utgiftene ved dødsfallet (0,5 G) regnes med i taket på 18 G, står ikke i kildene; her er de holdt utenfor.",
            "Om utgiftene ved dødsfallet (0,5 G) blir rekna med i taket på 18 G, står ikkje i kjeldene; her er dei "
            "haldne utanfor."), cap["source"]))
    funeral = rule["funeral"]
    part.steps.append(Step({lang: f"{'Utgifter ved dødsfallet' if lang == 'nb' else 'Utgifter ved dødsfallet'}: {kr}"
                            for lang, kr in g.kr_text(funeral["g"]).items()}, funeral["source"], funeral["status"],
                           g=funeral["g"]))
    part.total_g = clean(survivors_g + funeral["g"])
    return part, survivors_g, funeral["g"]


def lov_behandlingsutgifter() -> Part:
    return Part([Step(t("Ved yrkesskade dekker NAV behandlingsutgiftene. Bare utgifter NAV ikke dekker, sendes som krav "
                        "til forsikringsselskapet.",
                        "Ved yrkesskade dekkjer NAV behandlingsutgiftene. Berre utgifter NAV ikkje dekkjer, blir sende "
                        "som krav til forsikringsselskapet."), BROCHURE_CLAIM, "sourced")])


# --- the Spekter agreement -------------------------------------------------------------------------
def overenskomst_men(inp: PayoutInput, rules: dict[str, Any], g: GUsed) -> Part:
    rule = rules["yrkesskade_overenskomst"]["men"]
    degree = inp.degree or 0.0
    amount, label = band_for(degree, rule["bands"])
    if amount is None:
        text = t(f"Medisinsk invaliditet {percent_text(degree)} er under {_start(rule['bands'][0]):g} %: "
                 f"ingen ménerstatning etter overenskomsten.",
                 f"Medisinsk invaliditet {percent_text(degree)} er under {_start(rule['bands'][0]):g} %: "
                 f"inga ménerstatning etter overeinskomsten.")
        return Part([Step(text, rule["source"], rule["status"], g=0.0)], total_g=0.0)
    text = {lang: f"Medisinsk invaliditet {percent_text(degree)} ({label}): {kr}" for lang, kr in g.kr_text(amount).items()}
    return Part([Step(text, rule["source"], rule["status"], g=float(amount))], total_g=float(amount))


def overenskomst_ervervsuforhet(inp: PayoutInput, rules: dict[str, Any], g: GUsed) -> Part:
    rule = rules["yrkesskade_overenskomst"]["ervervsuforhet"]
    degree = inp.degree or 0.0
    amount = clean(rule["g"] * degree / 100)
    text = {lang: f"{format_g(rule['g'])} × {percent_text(degree)} "
                  f"({'ervervsuførhet' if lang == 'nb' else 'ervervsuførleik'}) = {kr}"
            for lang, kr in g.kr_text(amount).items()}
    return Part([Step(text, rule["source"], rule["status"], g=amount)], total_g=amount)


def overenskomst_dodsfall(inp: PayoutInput, rules: dict[str, Any], g: GUsed) -> Part:
    rule = rules["yrkesskade_overenskomst"]["dodsfall"]
    amount = float(rule["g"])
    partner = "ektefelle" in inp.survivors or "samboer" in inp.survivors
    young = [a for a in inp.children_ages if a < 20]
    if not (partner or young or "andre" in inp.survivors):
        text = t(f"{format_g(amount)} går etter overenskomsten til ektefelle/registrert partner, samboer, barn under "
                 f"20 år eller andre som ble forsørget av avdøde. Ingen av dem er oppgitt.",
                 f"{format_g(amount)} går etter overeinskomsten til ektefelle/registrert partnar, sambuar, barn under "
                 f"20 år eller andre som vart forsørgde av avdøde. Ingen av dei er oppgitt.")
        note = Note("unknown", t("Hva som skjer med erstatningen etter overenskomsten når det ikke finnes etterlatte, "
                                 "står ikke i brosjyren. Den er ikke regnet med.",
                                 "Kva som skjer med erstatninga etter overeinskomsten når det ikkje finst etterlatne, "
                                 "står ikkje i brosjyra. Ho er ikkje rekna med."), rule["source"])
        return Part([Step(text, rule["source"], rule["status"], g=0.0)], [note], total_g=0.0)
    steps = [Step({lang: (f"Erstatning ved dødsfall: {kr}" if lang == "nb" else f"Erstatning ved dødsfall: {kr}")
                   for lang, kr in g.kr_text(amount).items()}, rule["source"], rule["status"], g=amount)]
    if partner and young:
        children = clean(amount * rule["children_min_share"])
        steps.append(Step({lang: (f"Barn under 20 år skal ha minst {share(rule['children_min_share'])}: {kr}"
                                  if lang == "nb" else
                                  f"Barn under 20 år skal ha minst {share(rule['children_min_share'])}: {kr}")
                           for lang, kr in g.kr_text(children).items()}, rule["source"], rule["status"]))
    return Part(steps, total_g=amount)


# --- both, coordinated -----------------------------------------------------------------------------
def _label(part: Part, section: Text) -> None:
    for step in part.steps:
        step.section = section


def coordinated(inp: PayoutInput, rules: dict[str, Any], g: GUsed) -> Part:
    """Law and agreement side by side; the agreement adds only the difference where it gives more."""
    rule = rules["yrkesskade_overenskomst"]["coordination"]
    funeral = 0.0
    if inp.benefit == "dodsfall":
        law, law_value, funeral = lov_dodsfall(inp, rules, g)
        agreement = overenskomst_dodsfall(inp, rules, g)
    else:
        law = lov_men(inp, rules, g) if inp.benefit == "men" else lov_ervervsuforhet(inp, rules, g)
        agreement = (overenskomst_men if inp.benefit == "men" else overenskomst_ervervsuforhet)(inp, rules, g)
        law_value = law.total_g or 0.0
    agreement_value = agreement.total_g or 0.0
    _label(law, LAW)
    _label(agreement, AGREEMENT)
    difference = clean(max(0.0, agreement_value - law_value))
    total = clean(law_value + difference + funeral)
    law_g, agreement_g = format_g(law_value), format_g(agreement_value)
    what = t("til etterlatte ", "til etterlatne ") if inp.benefit == "dodsfall" else t("", "")
    if difference == 0:
        text = {lang: (f"Loven gir {what['nb']}{law_g}, overenskomsten {agreement_g}. Loven gir mest, så det betales "
                       f"ikke noe tillegg." if lang == "nb" else
                       f"Lova gir {what['nn']}{law_g}, overeinskomsten {agreement_g}. Lova gir mest, så det blir ikkje "
                       f"betalt noko tillegg.") for lang in ("nb", "nn")}
    else:
        text = {lang: (f"Overenskomsten gir {what['nb']}{agreement_g}, loven {law_g}: differansen {format_g(difference)} "
                       f"betales i tillegg. {law_g} + {format_g(difference)} = {kr}" if lang == "nb" else
                       f"Overeinskomsten gir {what['nn']}{agreement_g}, lova {law_g}: differansen {format_g(difference)} "
                       f"blir betalt i tillegg. {law_g} + {format_g(difference)} = {kr}")
                for lang, kr in g.kr_text(clean(law_value + difference)).items()}
    steps = law.steps + agreement.steps + [Step(text, rule["source"], rule["status"], g=difference,
                                                section=COORDINATION)]
    if funeral:
        steps.append(Step({lang: (f"Med utgiftene ved dødsfallet ({format_g(funeral)}): {kr}")
                           for lang, kr in g.kr_text(total).items()}, rule["source"], rule["status"], section=COORDINATION))
    return Part(steps, law.notes + agreement.notes, total_g=total, lower_bound=law.lower_bound)

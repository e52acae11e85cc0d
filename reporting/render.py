"""The report as a terminal table and as one self-contained HTML page (charts as base64 PNG, no external assets)."""
from __future__ import annotations

import base64
import datetime
import html
import io
from typing import Optional

import matplotlib

matplotlib.use("Agg")  # no display on servers; must come before pyplot
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from actions.intent_titles import title  # noqa: E402
from reporting.metrics import Report  # noqa: E402

SCHEMES = {
    "yrkesskade_lov": "Yrkesskade (lov)", "yrkesskade_overenskomst": "Yrkesskade (overenskomst)",
    "yrkesskade": "Yrkesskade", "fritidsulykke": "Fritidsulykke", "gruppeliv": "Gruppeliv",
    "tjenestereise": "Tjenestereise", "utrykning": "Utrykning",
}
BLUE, GREY, ORANGE = "#005b9a", "#9aa5b1", "#d9822b"


def percent(value: Optional[float]) -> str:
    return "–" if value is None else f"{value * 100:.1f} %".replace(".", ",")


def topic_label(intent: str) -> str:
    return title(intent) or intent


def period(report: Report) -> str:
    start = report.since.strftime("%d.%m.%Y") if report.since else "første samtale"
    end = report.until.strftime("%d.%m.%Y") if report.until else "i dag"
    return f"{start} – {end}"


def summary_rows(report: Report) -> list[tuple[str, str]]:
    return [
        ("Samtaler", str(report.conversations)),
        ("Meldinger fra brukerne", str(report.messages)),
        ("Løst uten personalavdelingen (deflection)", f"{percent(report.deflection_rate)} ({report.deflected})"),
        ("… og fikk minst ett svar fra brosjyren eller kalkulatoren", f"{percent(report.answered_rate)} ({report.answered})"),
        ("Meldinger assistenten ikke forstod (nlu_fallback)", f"{percent(report.fallback_rate)} ({report.fallback_messages})"),
        ("Meldinger utenfor temaet (out_of_scope)", f"{percent(report.out_of_scope_rate)} ({report.out_of_scope_messages})"),
        ("Samtaler der kontakt med personalavdelingen ble tilbudt", str(report.handoff_offered)),
        ("… der brukeren takket ja", str(report.handoff_accepted)),
        ("Saker til personalavdelingen (hr_cases)", str(report.hr_cases)),
        ("Tommel opp / ned", f"{report.thumbs_up} / {report.thumbs_down} ({percent(report.thumbs_up_rate)} opp)"),
        ("Samtaler på nynorsk", f"{percent(report.nynorsk_rate)} ({report.nynorsk})"),
    ]


def render_text(report: Report) -> str:
    rows = summary_rows(report)
    width = max(len(label) for label, _ in rows)
    lines = [f"Forsikringsassistenten – rapport for personalavdelingen ({period(report)})", ""]
    lines += [f"{label:<{width}}  {value}" for label, value in rows]
    if report.topics:
        lines += ["", "Mest spurte temaer:"] + [f"  {n:>5}  {topic_label(intent)}" for intent, n in report.topics]
    if report.schemes:
        lines += ["", "Ordninger det ble spurt om:"] + [f"  {n:>5}  {SCHEMES.get(s, s)}" for s, n in report.schemes]
    if report.unanswered:
        lines += ["", "Ubesvarte spørsmål (gruppert):"]
        lines += [f"  {g.count:>5}  {g.representative}" for g in report.unanswered[:20]]
    return "\n".join(lines) + "\n"


def _png(figure: plt.Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def chart_outcomes(report: Report) -> str:
    figure, axes = plt.subplots(figsize=(6, 2.6))
    labels = ["Løst uten\npersonalavdelingen", "Takket ja til\npersonalavdelingen"]
    values = [report.deflected, report.handoff_accepted]
    bars = axes.barh(labels, values, color=[BLUE, ORANGE])
    axes.bar_label(bars, padding=3)
    axes.set_xlabel("Samtaler")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.invert_yaxis()
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def chart_topics(report: Report) -> Optional[str]:
    if not report.topics:
        return None
    figure, axes = plt.subplots(figsize=(6, 0.4 * len(report.topics) + 1))
    bars = axes.barh([topic_label(i) for i, _ in report.topics], [n for _, n in report.topics], color=BLUE)
    axes.bar_label(bars, padding=3)
    axes.invert_yaxis()
    axes.set_xlabel("Meldinger")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def chart_per_day(report: Report) -> Optional[str]:
    if not report.per_day:
        return None
    figure, axes = plt.subplots(figsize=(6, 2.6))
    axes.bar([d for d, _ in report.per_day], [n for _, n in report.per_day], color=GREY, width=0.8)
    axes.set_ylabel("Samtaler")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    first, last = report.per_day[0][0], report.per_day[-1][0]
    axes.set_xlim(first - datetime.timedelta(days=1), last + datetime.timedelta(days=1))
    axes.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, (last - first).days // 8 + 1)))
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%d.%m."))
    figure.autofmt_xdate()
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def _img(data: Optional[str], alt: str) -> str:
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">' if data else "<p>Ingen data.</p>"


def render_html(report: Report, generated: Optional[datetime.datetime] = None) -> str:
    generated = generated or datetime.datetime.now()
    esc = html.escape
    summary = "".join(f"<tr><th scope=\"row\">{esc(label)}</th><td>{esc(value)}</td></tr>"
                      for label, value in summary_rows(report))
    topics = "".join(f"<tr><td>{esc(topic_label(i))}</td><td>{n}</td></tr>" for i, n in report.topics)
    schemes = "".join(f"<tr><td>{esc(SCHEMES.get(s, s))}</td><td>{n}</td></tr>" for s, n in report.schemes)
    groups = "".join(
        f"<tr><td>{g.count}</td><td>{esc(g.representative)}</td>"
        f"<td>{esc(' · '.join(dict.fromkeys(g.examples[1:4])))}</td></tr>" for g in report.unanswered
    )
    return f"""<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<title>Forsikringsassistenten – rapport {esc(period(report))}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #1d2430; line-height: 1.45; }}
h1 {{ font-size: 1.5rem; margin-bottom: .2rem; }} h2 {{ font-size: 1.15rem; margin-top: 2rem; }}
table {{ border-collapse: collapse; width: 100%; margin: .5rem 0; }}
th, td {{ text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #dde2e8; vertical-align: top; }}
th[scope=row] {{ font-weight: normal; width: 65%; }} td:first-child {{ white-space: nowrap; }}
.muted {{ color: #5b6675; font-size: .9rem; }} img {{ max-width: 100%; }}
</style>
</head>
<body>
<h1>Forsikringsassistenten – rapport for personalavdelingen</h1>
<p class="muted">Periode: {esc(period(report))}. Laget {generated.strftime("%d.%m.%Y kl. %H.%M")}.
Fødselsnummer, telefonnumre og e-postadresser er maskert før lagring.</p>
<h2>Nøkkeltall</h2>
<table>{summary}</table>
<p class="muted">«Løst uten personalavdelingen» = samtaler der brukeren ikke takket ja til å sende en sak til
personalavdelingen, delt på alle samtaler. Det sier ikke at svaret var riktig, og heller ikke at brukeren lot være
å kontakte personalavdelingen på annen måte.</p>
<h2>Utfall</h2>
{_img(chart_outcomes(report), "Samtaler løst uten personalavdelingen og samtaler sendt videre")}
<h2>Mest spurte temaer</h2>
{_img(chart_topics(report), "Mest spurte temaer")}
<table><tr><th>Tema</th><th>Meldinger</th></tr>{topics or '<tr><td colspan="2">Ingen.</td></tr>'}</table>
<h2>Ordninger det ble spurt om</h2>
<table><tr><th>Ordning</th><th>Meldinger</th></tr>{schemes or '<tr><td colspan="2">Ingen.</td></tr>'}</table>
<h2>Samtaler per dag</h2>
{_img(chart_per_day(report), "Samtaler per dag")}
<h2>Ubesvarte spørsmål</h2>
<p class="muted">Meldinger assistenten ikke forstod eller som var utenfor temaet, gruppert etter likhet. Kandidater
til nye svar i kunnskapsbasen.</p>
<table><tr><th>Antall</th><th>Spørsmål</th><th>Lignende</th></tr>{groups or '<tr><td colspan="3">Ingen.</td></tr>'}</table>
</body>
</html>
"""

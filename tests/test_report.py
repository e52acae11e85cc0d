"""`python -m reporting`: every number of the report on known conversations, on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from actions.hr_cases import EMAIL, HrCase, store_case
from reporting.__main__ import main, make_report, write_report
from reporting.render import render_html, render_text
from tests.support.databases import database_url  # noqa: F401  (fixture)
from tests.support.seed import Seeder, make_store

D1, D2, D3 = datetime.date(2025, 3, 3), datetime.date(2025, 3, 4), datetime.date(2025, 3, 10)
RAW_PHONE = "912 34 567"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


async def seed(url: str) -> None:
    store = make_store(url)
    scheme = lambda value: [{"entity": "scheme", "value": value, "start": 0, "end": 3}]  # noqa: E731
    s1 = (Seeder("s1").session(D1).user("hei", "greet").action("utter_greet", "Hei!")
          .user("skatt på gruppeliv?", "ask_tax", scheme("gruppeliv")).action("action_answer_kb", "Svar om skatt")
          .user('/answer_feedback{"rating":"up"}', "answer_feedback").slot("answer_rating", "up")
          .action("action_record_feedback")
          .session(D3).user("skatt igjen?", "ask_tax").action("action_answer_kb", "Svar om skatt"))
    s2 = (Seeder("s2").session(D1).user("kva er dekt ved yrkesskade", "ask_benefits", scheme("yrkesskade"))
          .slot("language", "nn").action("action_answer_kb", "Svar").slot("scheme", "yrkesskade")
          .user("og ved fritidsulukke?", "ask_benefits").slot("scheme", "fritidsulykke").action("action_answer_kb", "Svar")
          .user('/answer_feedback{"rating":"down"}', "answer_feedback").slot("answer_rating", "down"))
    s3 = (Seeder("s3").session(D2).user(f"hvor mye får jeg i feriepenger {RAW_PHONE}", "nlu_fallback")
          .action("action_fallback", "Beklager")
          .user("hvor mye feriepenger får jeg", "nlu_fallback")
          .action("action_fallback", "Personalavdelingen kan hjelpe", [{"title": "Kontakt", "payload": "/human_handoff"}])
          .user("/human_handoff", "human_handoff").action("handoff_form", "Vil du det?")
          .user("ja", "affirm").slot("handoff_consent", True).action("handoff_form", "Beskriv"))
    s4 = (Seeder("s4").session(D2).user("hvordan blir været i bergen", "out_of_scope").action("utter_out_of_scope", "Nei")
          .user("snakke med et menneske", "human_handoff").action("handoff_form", "Vil du det?")
          .user("nei", "deny").slot("handoff_consent", False).action("action_submit_hr_case", "Greit"))
    s5 = (Seeder("s5").session(D3).user("hvordan blir været i Bergen i morgen?", "out_of_scope")
          .action("utter_out_of_scope", "Nei").user("regn ut 50 år 100 % mén arbeidsulykke", "calculate_payout").form("payout_form", "X kr"))
    for seeder in (s1, s2, s3, s4, s5):
        await seeder.save(store)
    created = datetime.datetime.combine(D2, datetime.time(11), datetime.timezone.utc)
    store_case(url, HrCase("s3", "nb", "feriepenger", EMAIL, "kari@helse-bergen.no", created_at=created))


async def test_every_number_without_a_period(database_url: str) -> None:  # noqa: F811
    await seed(database_url)
    report = make_report(database_url)
    assert report.conversations == 6 and report.messages == 14
    assert (report.deflected, report.answered) == (5, 4)
    assert report.deflection_rate == pytest.approx(5 / 6) and report.answered_rate == pytest.approx(4 / 6)
    assert (report.fallback_messages, report.out_of_scope_messages) == (2, 2)
    assert report.fallback_rate == pytest.approx(2 / 14) and report.out_of_scope_rate == pytest.approx(2 / 14)
    assert (report.handoff_offered, report.handoff_accepted, report.hr_cases) == (2, 1, 1)
    assert (report.thumbs_up, report.thumbs_down, report.nynorsk) == (1, 1, 1)
    assert report.topics == [("ask_benefits", 2), ("ask_tax", 2)]
    assert report.schemes == [("fritidsulykke", 1), ("gruppeliv", 1), ("yrkesskade", 1)]
    groups = [(g.count, g.representative) for g in report.unanswered]
    assert groups == [(2, "hvor mye får jeg i feriepenger [telefon]"), (2, "hvordan blir været i bergen")]
    assert report.per_day == [(D1, 2), (D2, 2), (D3, 2)]


async def test_every_number_in_a_period(database_url: str) -> None:  # noqa: F811
    await seed(database_url)
    report = make_report(database_url, since=D1, until=D2)
    assert (report.conversations, report.messages, report.deflected, report.answered) == (4, 11, 3, 2)
    assert (report.fallback_messages, report.out_of_scope_messages) == (2, 1)
    assert (report.handoff_offered, report.handoff_accepted, report.hr_cases) == (2, 1, 1)
    assert (report.thumbs_up, report.thumbs_down, report.nynorsk) == (1, 1, 1)
    assert report.topics == [("ask_benefits", 2), ("ask_tax", 1)]
    assert [g.count for g in report.unanswered] == [2, 1]
    assert make_report(database_url, since=D3).hr_cases == 0


async def test_text_and_html_show_the_numbers_and_no_raw_identifier(database_url: str, tmp_path: Path) -> None:  # noqa: F811
    await seed(database_url)
    report = make_report(database_url)
    text = render_text(report)
    assert "Samtaler" in text and "83,3 %" in text and "14,3 % (2)" in text and "16,7 % (1)" in text
    assert "Skatt" in text and "Gruppeliv" in text
    html = render_html(report)
    assert html.count("data:image/png;base64,") == 3
    assert not re.search(r"""(?:src|href)=["'](?!data:)""", html), "the page must not load anything from outside"
    assert "83,3 % (5)" in html and "Hva dekkes, og hvor mye?" in html and "hvordan blir været i bergen" in html
    for output in (text, html):
        assert RAW_PHONE not in output and "kari@helse-bergen.no" not in output
    path = write_report(report, tmp_path)
    assert path.name == "hr-rapport.html" and path.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_empty_database(tmp_path: Path) -> None:
    report = make_report(f"sqlite:///{tmp_path / 'none.db'}")
    assert report.conversations == 0 and report.deflection_rate is None
    assert "–" in render_text(report) and "Ingen data." in render_html(report)


async def test_cli_prints_and_writes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    await seed(url)
    assert main(["--database-url", url, "--out", str(tmp_path / "out"), "--since", "2025-03-01", "--until", "2025-03-04"]) == 0
    printed = capsys.readouterr().out
    assert "Samtaler" in printed and "hr-rapport-2025-03-01-2025-03-04.html" in printed
    page = tmp_path / "out" / "hr-rapport-2025-03-01-2025-03-04.html"
    assert page.exists()
    assert main(["--database-url", url, "--since", "2025-03-05", "--until", "2025-03-01"]) == 2

    chromium = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if chromium:  # a picture of the page for a human to look at (artifacts/ is git-ignored)
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "hr-rapport.png"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={shot}",
                        "--window-size=1000,2600", page.as_uri()], capture_output=True, timeout=120)
        shutil.copy(page, ARTIFACTS / "hr-rapport.html")


def _events(*items: tuple[str, dict]) -> list:
    from reporting.db import StoredEvent

    return [StoredEvent("s", kind, float(i), data) for i, (kind, data) in enumerate(items)]


def test_a_calculation_counts_as_answered_only_when_the_form_ended_itself() -> None:
    from reporting.conversations import Conversation
    from reporting.metrics import build_report

    user = ("user", {"text": "regn ut", "parse_data": {"intent": {"name": "calculate_payout"}}})
    answered = Conversation("a", _events(user, ("action", {"name": "payout_form"}),
                                         ("active_loop", {"name": "payout_form"}), ("bot", {"text": "4,14 G"}),
                                         ("active_loop", {"name": None})))
    stopped = Conversation("b", _events(user, ("action", {"name": "payout_form"}),
                                        ("active_loop", {"name": "payout_form"}), ("bot", {"text": "Hvor gammel?"}),
                                        ("user", {"text": "stopp", "parse_data": {"intent": {"name": "stop"}}}),
                                        ("action", {"name": "action_deactivate_loop"}), ("active_loop", {"name": None})))
    legacy = Conversation("c", _events(user, ("action", {"name": "action_calculate_payout"})))  # stored before 2026-11-22
    assert answered.completed_forms() == ["payout_form"] and stopped.completed_forms() == []
    assert build_report([answered, stopped, legacy], 0).answered == 2

"""The chat widget in a real browser (Debian's Chromium driven by Playwright) against the running assistant.

Screenshots go to artifacts/. These tests never skip: without Chromium or axe-core they fail and say how to get
them (`SETUP_BROWSER=1 scripts/setup.sh`, which `make test` runs).
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

from tests.support.fake_rasa_socketio import FakeRasaSocketIO
from tests.support.servers import REPO, Assistant, free_port, http_json, wait_until

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = REPO / "artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ANSWER_TIMEOUT_MS = 30_000
QUESTION = "hva er G?"  # an ask_grunnbelop example: answered from the knowledge base with a source line


def axe_script() -> Path:
    pinned = re.search(r"^AXE_CORE_VERSION=(\S+)", (REPO / "scripts/fetch_web_deps.sh").read_text(), re.M)
    assert pinned, "scripts/fetch_web_deps.sh pins AXE_CORE_VERSION"
    path = REPO / ".cache" / "axe-core" / pinned.group(1) / "axe.min.js"
    if not path.exists():
        pytest.fail(f"axe-core is missing ({path}): run `scripts/fetch_web_deps.sh` (needs npm) or "
                    "`SETUP_BROWSER=1 scripts/setup.sh`", pytrace=False)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: the widget's browser tests need Debian's chromium "
                    "(`apt-get install chromium`, or `SETUP_BROWSER=1 scripts/setup.sh`)", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: run scripts/setup.sh (requirements/requirements.txt pins it)",
                    pytrace=False)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def start_widget_server(rasa_port: int, rasa_url: Optional[str] = None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "scripts/widget_server.py", "--bind", "127.0.0.1", "--port", str(port)]
    if rasa_url:
        command += ["--rasa-url", rasa_url]
    server = subprocess.Popen(command, cwd=REPO, env={**os.environ, "RASA_PORT": str(rasa_port)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: http_json("GET", f"http://127.0.0.1:{port}/widget.js", timeout=2)[0] == 200, 20,
               "widget server", server)
    return server, port


@pytest.fixture(scope="module")
def page_url(assistant: Assistant) -> Iterator[str]:
    server, port = start_widget_server(assistant.rasa_port)
    try:
        # localhost, as in `make run`: the page names the assistant by the host the browser used.
        yield f"http://localhost:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def new_page(browser) -> Iterator[Any]:
    contexts = []

    def make(width: int = 1280, height: int = 800, scale: float = 1, bypass_csp: bool = False):
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale,
                                      bypass_csp=bypass_csp, locale="nb-NO")
        contexts.append(context)
        page = context.new_page()
        page.dialogs = []  # any alert() would be script that got in
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


# ---- helpers ------------------------------------------------------------------------------------------------

def open_widget(page, url: str) -> None:
    page.goto(url)
    page.click(".fa-launcher")
    page.wait_for_selector(".fa-msg--bot", timeout=ANSWER_TIMEOUT_MS)  # the greeting


def ask(page, text: str) -> None:
    answers = page.locator(".fa-msg--bot").count()
    page.fill("#fa-input", text)
    page.press("#fa-input", "Enter")
    page.wait_for_function("n => document.querySelectorAll('.fa-msg--bot').length > n", arg=answers,
                           timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_timeout(500)  # the rest of a multi-message answer


def session_id(page) -> str:
    stored = page.evaluate("() => Object.entries(localStorage).find(([k]) => k.startsWith('forsikringsassistenten:'))")
    return json.loads(stored[1])["sessionId"]


def events(assistant: Assistant, sender: str) -> list[tuple[str, dict]]:
    with sqlite3.connect(assistant.state_dir / "conversations.db") as db:
        rows = db.execute("SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    return [(kind, json.loads(data)) for kind, data in rows]


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


def wider_than_viewport(page) -> list[str]:
    """What sticks out sideways (WCAG 1.4.10 reflow): nothing, or the elements that do."""
    return page.evaluate("""() => document.documentElement.scrollWidth <= innerWidth ? [] :
        [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
            .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)""")


def panel_inside_viewport(page) -> bool:
    return page.evaluate("""() => { const r = document.querySelector('.fa-panel').getBoundingClientRect();
        return r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5; }""")


# ---- the conversation -----------------------------------------------------------------------------------------

def test_question_answer_source_button_feedback_and_reload(new_page, page_url, assistant) -> None:
    page = new_page()
    open_widget(page, page_url)
    greeting = page.locator(".fa-msg--bot").first
    assert greeting.inner_text().startswith("Hei") or "Hei" in greeting.inner_text()
    assert page.locator(".fa-choice").count() >= 3, "the greeting offers buttons"
    assert page.locator(".fa-feedback").count() == 0, "no thumbs on the greeting"

    ask(page, QUESTION)
    source = page.locator(".fa-source").last
    source.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert re.match(r"^(Kilde|Kjelde):", source.inner_text()), source.inner_text()
    style = source.evaluate("e => [getComputedStyle(e).fontStyle, getComputedStyle(e).borderLeftStyle]")
    assert style == ["italic", "solid"], "the source line is set apart"
    page.screenshot(path=str(ARTIFACTS / "widget-answer.png"))

    # A button from the greeting: its title is shown as the user's message and answered.
    button = page.locator(".fa-choice").first
    title = button.inner_text()
    answers = page.locator(".fa-msg--bot").count()
    button.click()
    page.wait_for_function("n => document.querySelectorAll('.fa-msg--bot').length > n", arg=answers,
                           timeout=ANSWER_TIMEOUT_MS)
    assert page.locator(".fa-msg--user").last.inner_text().endswith(title)

    # Thumbs up on the first answer: the rating reaches the tracker store.
    sender = session_id(page)
    up = page.locator(".fa-feedback").first.locator(".fa-thumb--up")
    up.click()
    assert up.get_attribute("aria-pressed") == "true"
    assert "Takk for tilbakemeldingen" in page.locator(".fa-feedback").first.inner_text()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        stored = events(assistant, sender)
        if any(kind == "slot" and data.get("name") == "answer_rating" and data.get("value") == "up"
               for kind, data in stored):
            break
        time.sleep(0.3)
    else:
        pytest.fail(f"no answer_rating=up slot event for {sender}: {stored[-6:]}")
    feedback_events = [data for kind, data in stored if kind == "user" and data.get("text", "").startswith("/answer_feedback")]
    assert feedback_events and feedback_events[-1]["parse_data"]["intent"]["name"] == "answer_feedback"
    assert feedback_events[-1]["metadata"]["rated_answer"], "the rated answer goes along for the report"
    after = [kind for kind, _ in stored[stored.index(("user", feedback_events[-1])):]]
    assert "bot" not in after, "the rating gets no reply in the chat"

    # Reload: the same session and the same conversation, and it goes on.
    shown_before = page.locator(".fa-msg").all_inner_texts()
    page.reload()
    page.wait_for_selector(".fa-panel:not([hidden])")
    assert page.locator(".fa-msg").all_inner_texts() == shown_before
    assert session_id(page) == sender
    assert page.locator(".fa-thumb--up").first.get_attribute("aria-pressed") == "true"
    page.wait_for_selector(".fa-panel[data-connection='online']", timeout=ANSWER_TIMEOUT_MS)
    ask(page, "Takk!")
    assert len(page.locator(".fa-msg").all_inner_texts()) > len(shown_before)
    page.screenshot(path=str(ARTIFACTS / "widget-after-reload.png"))
    assert not page.errors and not page.dialogs


def test_handoff_entry_sends_human_handoff(new_page, page_url, assistant) -> None:
    page = new_page()
    open_widget(page, page_url)
    answers = page.locator(".fa-msg--bot").count()
    page.click(".fa-handoff")
    page.wait_for_function("n => document.querySelectorAll('.fa-msg--bot').length > n", arg=answers,
                           timeout=ANSWER_TIMEOUT_MS)
    assert "personalavdeling" in page.locator(".fa-msg--bot").last.inner_text()
    texts = [data.get("text") for kind, data in events(assistant, session_id(page)) if kind == "user"]
    assert "/human_handoff" in texts


def test_nynorsk_page(new_page, page_url) -> None:
    page = new_page()
    open_widget(page, page_url + "?lang=nn")
    assert page.locator(".fa-root").get_attribute("lang") == "nn"
    assert page.locator(".fa-handoff").inner_text() == "Snakk med personalavdelinga"
    assert "Eg er" in page.locator(".fa-msg--bot").first.inner_text(), "the greeting in Nynorsk"


# ---- keyboard alone -------------------------------------------------------------------------------------------

def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return {cls: e.className || e.tagName, label: e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40),
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }""")


def tab_to(page, css_class: str, limit: int = 40, backwards: bool = False) -> dict:
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        if css_class in str(now["cls"]).split():
            return now
    pytest.fail(f"could not reach .{css_class} with the keyboard")


def test_everything_by_keyboard(new_page, page_url) -> None:
    page = new_page()
    page.goto(page_url)
    launcher = tab_to(page, "fa-launcher")
    assert launcher["outline"], "visible focus on the launcher"
    page.keyboard.press("Enter")
    page.wait_for_selector(".fa-panel:not([hidden])")
    assert "fa-input" in focused(page)["cls"], "opening moves focus to the input"
    page.wait_for_selector(".fa-msg--bot", timeout=ANSWER_TIMEOUT_MS)

    page.keyboard.type(QUESTION)
    answers = page.locator(".fa-msg--bot").count()
    page.keyboard.press("Enter")
    page.wait_for_function("n => document.querySelectorAll('.fa-msg--bot').length > n", arg=answers,
                           timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_selector(".fa-feedback")

    thumb = tab_to(page, "fa-thumb--down", backwards=True)
    assert thumb["outline"] and thumb["label"] == "Nei, svaret var ikke nyttig"
    page.keyboard.press("Space")
    assert page.locator(".fa-thumb--down").first.get_attribute("aria-pressed") == "true"
    page.screenshot(path=str(ARTIFACTS / "widget-keyboard-focus.png"))

    choice = tab_to(page, "fa-choice", backwards=True)
    assert choice["outline"]
    answers = page.locator(".fa-msg--bot").count()
    page.keyboard.press("Enter")
    page.wait_for_function("n => document.querySelectorAll('.fa-msg--bot').length > n", arg=answers,
                           timeout=ANSWER_TIMEOUT_MS)

    handoff = tab_to(page, "fa-handoff")
    assert handoff["outline"]
    page.keyboard.press("Escape")
    assert page.locator(".fa-panel").is_hidden()
    assert "fa-launcher" in focused(page)["cls"], "closing gives focus back to the launcher"


# ---- accessibility and small screens --------------------------------------------------------------------------

@pytest.mark.parametrize("layout", ["desktop", "zoom-200", "width-360"])
def test_axe_finds_no_wcag_violations(new_page, page_url, layout: str) -> None:
    size = {"desktop": (1280, 800, 1), "zoom-200": (640, 400, 2), "width-360": (360, 740, 2)}[layout]
    # 200 % zoom of a 1280x800 window is a 640x400 CSS viewport at twice the pixel density.
    page = new_page(width=size[0], height=size[1], scale=size[2], bypass_csp=True)  # axe is injected inline
    page.goto(page_url)
    assert run_axe(page) == [], "the closed widget on the page"
    page.click(".fa-launcher")
    page.wait_for_selector(".fa-msg--bot", timeout=ANSWER_TIMEOUT_MS)
    ask(page, QUESTION)
    page.wait_for_selector(".fa-feedback")
    violations = run_axe(page)
    page.screenshot(path=str(ARTIFACTS / f"widget-{layout}.png"))
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
    assert wider_than_viewport(page) == [], "no sideways scrolling (WCAG 1.4.10 reflow)"
    assert panel_inside_viewport(page)
    for control in ("#fa-input", ".fa-send", ".fa-handoff", ".fa-close"):
        assert page.locator(control).is_visible(), control
    log = page.locator(".fa-log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    if layout == "width-360":
        assert page.evaluate("() => document.querySelector('.fa-panel').getBoundingClientRect().width") == 360


# ---- safety and the connection --------------------------------------------------------------------------------

XSS = "<img src=x onerror=alert(1)>"


def test_message_markup_is_shown_as_text(new_page, page_url, assistant) -> None:
    page = new_page()
    open_widget(page, page_url)
    page.fill("#fa-input", XSS)
    page.press("#fa-input", "Enter")
    page.wait_for_timeout(2000)
    assert page.locator(".fa-msg--user").last.inner_text().endswith(XSS)
    assert page.locator(".fa-log img").count() == 0

    # A bot message with markup, a javascript: link and a real link, as kept in the local store.
    key = page.evaluate("() => Object.keys(localStorage).find(k => k.startsWith('forsikringsassistenten:'))")
    state = json.loads(page.evaluate("k => localStorage.getItem(k)", key))
    evil = f"{XSS}<script>alert(2)</script> [klikk](javascript:alert(3)) se https://helse-vest.no/forsikring."
    state["history"].append({"from": "bot", "text": evil, "turn": 99, "rateable": True})
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps(state)])
    page.reload()
    page.wait_for_selector(".fa-panel:not([hidden])")
    last = page.locator(".fa-msg--bot").last
    assert XSS in last.inner_text() and "<script>alert(2)</script>" in last.inner_text()
    hrefs = last.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs == ["https://helse-vest.no/forsikring"], hrefs
    assert page.locator(".fa-log img, .fa-log script").count() == 0
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "widget-markup-as-text.png"))
    assert page.dialogs == [], "no script ran"


def test_unreachable_server_is_shown_and_reconnects(new_page, browser) -> None:
    socket_port = free_port()
    server, port = start_widget_server(socket_port, rasa_url=f"http://127.0.0.1:{socket_port}")
    fake = FakeRasaSocketIO(socket_port)
    try:
        page = new_page()
        page.goto(f"http://localhost:{port}/")
        page.click(".fa-launcher")
        status = page.locator(".fa-status")
        page.wait_for_selector(".fa-panel[data-connection='offline']", timeout=15_000)
        assert "Får ikke kontakt med assistenten" in status.inner_text()
        assert status.get_attribute("role") == "status"
        assert page.locator(".fa-send").is_disabled()
        page.screenshot(path=str(ARTIFACTS / "widget-offline.png"))

        fake.start()  # the server comes back: the widget reconnects by itself and greets
        page.wait_for_selector(".fa-panel[data-connection='online']", timeout=20_000)
        page.wait_for_selector(".fa-msg--bot", timeout=10_000)
        assert status.inner_text() == "" and page.locator(".fa-send").is_enabled()

        fake.stop()  # and goes away again mid-conversation
        page.wait_for_selector(".fa-panel[data-connection='offline']", timeout=15_000)
        fake.start()
        page.wait_for_selector(".fa-panel[data-connection='online']", timeout=20_000)
        ask(page, "Er du der?")
        assert "Svar på: Er du der?" in page.locator(".fa-msg--bot").last.inner_text()
    finally:
        server.terminate()
        server.wait(timeout=10)
        fake.stop()

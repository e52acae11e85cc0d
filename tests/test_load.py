"""A bounded load on loopback: 10 conversations × 20 messages at once. Every message is answered, every turn is
stored, and the server logs hold no error or stack trace."""
from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path

import aiohttp
import pytest

from components.reply_guard import ERROR_TEXT
from tests.support.servers import start_assistant

pytestmark = pytest.mark.slow

CONVERSATIONS = 10
MESSAGES = 20
QUESTIONS = [
    "hei", "hva er G?", "hvem er dekket av yrkesskadeforsikringen?", "gjelder forsikringen på vei til jobb?",
    "Regn ut en utbetaling", "arbeidsulykke", "medisinsk invaliditet", "50", "100 %", "takk",
    "hva med skatt?", "hvilket forsikringsselskap har vi?", "Kva forsikringar har eg?", "hva er en samboer?",
    "hva gjør jeg etter en skade?", "Hvordan blir været i morgen?", "hvem får pengene hvis jeg dør?",
    "dekkes behandlingsutgifter?", "hva skjer om jeg slutter i jobben?", "ha det",
]


async def converse(session: aiohttp.ClientSession, url: str, sender: str) -> list[tuple[str, list[dict]]]:
    turns = []
    for text in QUESTIONS[:MESSAGES]:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            assert response.status == 200, await response.text()
            turns.append((text, await response.json()))
    return turns


async def run_load(url: str, senders: list[str]) -> list[list[tuple[str, list[dict]]]]:
    timeout = aiohttp.ClientTimeout(total=60)  # bounded: a lost reply fails the test instead of hanging it
    async with aiohttp.ClientSession(timeout=timeout) as session:
        return await asyncio.gather(*(converse(session, url, sender) for sender in senders))


def test_ten_conversations_of_twenty_messages_lose_nothing(tmp_path: Path) -> None:
    assistant = start_assistant(tmp_path)
    senders = [f"load-{i}-{uuid.uuid4().hex[:8]}" for i in range(CONVERSATIONS)]
    try:
        results = asyncio.run(run_load(f"{assistant.url}/webhooks/rest/webhook", senders))
    finally:
        assistant.stop()

    with sqlite3.connect(tmp_path / "conversations.db") as db:
        for sender, turns in zip(senders, results):
            for text, replies in turns:
                assert replies, f"{sender}: no reply to {text!r}"
                assert not {r.get("text") for r in replies} & set(ERROR_TEXT.values()), f"{sender}: {text!r} failed"
            users = [t for (t,) in db.execute("SELECT json_extract(data, '$.text') FROM events WHERE sender_id = ? "
                                              "AND type_name = 'user' ORDER BY id", (sender,))]
            assert users == [text for text, _ in turns], f"{sender}: user turns lost, doubled or reordered"
            (bots,) = db.execute("SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'bot'",
                                 (sender,)).fetchone()
            assert bots == sum(len(replies) for _, replies in turns), f"{sender}: bot replies not all stored"

    for log in ("rasa-server.log", "action-server.log"):
        text = (tmp_path / log).read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in text, f"{log}:\n{text[-3000:]}"
        errors = [line for line in text.splitlines() if " ERROR " in line]
        hint = ("  Hint: rasa.core.nlg.interpolator reads `{...}` in a response (button payloads too) as a slot "
                "placeholder; write JSON payloads in domain.yml with doubled braces, '/inform{{\"scheme\": "
                "\"x\"}}', which Rasa turns back into single ones." if any("interpolator" in e for e in errors) else "")
        assert not errors, f"{log}: {len(errors)} error lines, e.g. {errors[:3]}{hint}"

"""Conversation cases from tests/conversations/*.yml, sent over REST to the running assistant.

Each turn's replies (texts and button titles) are joined; every `expect` substring must appear
and no `forbid` substring may (case-insensitive, spaces folded).
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
import yaml

CASES_DIR = Path(__file__).parent / "conversations"


def _fold(text: str) -> str:
    """Lower-case with runs of white space as one space; edges are kept, so " kr" stays a word start."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).lower()


def reply_text(replies: list[dict]) -> str:
    parts: list[str] = []
    for reply in replies:
        parts.append(reply.get("text") or "")
        parts.extend(button.get("title", "") for button in reply.get("buttons") or [])
    return "\n".join(parts)


def load_cases() -> list:
    params = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for case in document.get("cases", []):
            params.append(pytest.param(case, id=f"{path.stem}:{case['name']}"))
    return params


@pytest.mark.slow
@pytest.mark.parametrize("case", load_cases())
def test_conversation(assistant, case: dict) -> None:
    sender = f"test-{case['name']}-{uuid.uuid4().hex[:8]}"
    for number, turn in enumerate(case["turns"], start=1):
        replies = assistant.ask(sender, turn["user"])
        said = " " + _fold(reply_text(replies)) + " "
        where = f"turn {number} ({turn['user']!r}) got: {reply_text(replies)!r}"
        assert replies, f"{where}: no reply"
        # A turn answers once; a repeated action (no policy predicting action_listen) shows up as a pile of replies.
        assert len(replies) <= turn.get("max_replies", 3), f"{where}: {len(replies)} replies"
        for expected in turn.get("expect", []):
            assert _fold(expected) in said, f"{where}: missing {expected!r}"
        for forbidden in turn.get("forbid", []):
            assert _fold(forbidden) not in said, f"{where}: must not say {forbidden!r}"

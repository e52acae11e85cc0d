"""Shared fixtures: action-test helpers and one running assistant per test session."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest

from tests.support.servers import Assistant, start_assistant

DATA = Path(__file__).parent / "data"


def load_tracker_dict(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def dispatcher():
    from rasa_sdk.executor import CollectingDispatcher

    return CollectingDispatcher()


@pytest.fixture
def tracker_from():
    """tracker_from("file.json") -> a rasa_sdk Tracker built from tests/data/file.json."""
    from rasa_sdk import Tracker

    return lambda name: Tracker.from_dict(load_tracker_dict(name))


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Iterator[Assistant]:
    """The trained assistant on free loopback ports with its own SQLite file."""
    state_dir = tmp_path_factory.mktemp("assistant")
    running = start_assistant(state_dir, log_dir=state_dir)
    try:
        yield running
    finally:
        running.stop()

"""`database_url` for tests that touch the conversations' database: once on SQLite (a temporary file), once on
PostgreSQL (a throw-away database; skipped with the reason when no server answers)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from tests.support.postgres import temporary_database

BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Import into a test module: `from tests.support.databases import database_url  # noqa: F401`."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'conversations.db'}"
        dispose_engines()
        return
    with temporary_database() as url:
        try:
            yield url
        finally:
            dispose_engines()


def dispose_engines() -> None:
    """Closes pooled connections (actions.hr_cases caches engines), so the PostgreSQL database can be dropped."""
    from actions import hr_cases

    for engine in hr_cases._engines.values():
        engine.dispose()
    hr_cases._engines.clear()

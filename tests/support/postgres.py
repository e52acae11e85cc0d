"""A throw-away PostgreSQL database on 127.0.0.1:5432 for one test run (skip when no server answers)."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest

ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _connect(url: str):
    import psycopg2

    return psycopg2.connect(url, connect_timeout=3)


@contextmanager
def temporary_database() -> Iterator[str]:
    """Yields the URL of a new, empty database and drops it afterwards."""
    try:
        admin = _connect(ADMIN_URL)
    except Exception as error:  # no server: these tests cannot run here
        pytest.skip(f"PostgreSQL is not answering at {ADMIN_URL}: {error}")
    admin.autocommit = True
    name = f"hv_test_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()

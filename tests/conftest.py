"""Shared fixtures: a progress database URL on SQLite and on a real PostgreSQL.

`bash scripts/test.sh` starts a throw-away PostgreSQL (scripts/pg.sh) and exports its URL as
LEARN_TEST_PG_URL. Each test gets a schema of its own there (dropped afterwards), reached through
the URL's search_path, so tests never see each other's rows. Without that variable the PostgreSQL
half of a test is skipped with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from learn.quiz.store import Store

PG_ENV = "LEARN_TEST_PG_URL"
NO_PG = (
    f"no PostgreSQL: {PG_ENV} is not set (bash scripts/test.sh starts a throw-away server "
    "when run as root or where the postgresql server is installed)"
)


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The URL of the test run's PostgreSQL server (skips when there is none)."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        pytest.skip(NO_PG)
    return url


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A URL on a fresh, empty schema of the test PostgreSQL, dropped after the test."""
    from sqlalchemy import create_engine

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        joiner = "&" if "?" in pg_server else "?"
        yield f"{pg_server}{joiner}options={quote(f'-csearch_path={schema}')}"
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    finally:
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A URL on a new SQLite file (WAL, as the app uses it)."""
    return f"sqlite:///{tmp_path / 'progress.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh progress database, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A fresh quiz store on each database of db_url (a module may define its own `store`)."""
    opened = Store(db_url)
    yield opened
    opened.close()

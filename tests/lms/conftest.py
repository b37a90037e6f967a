"""Fixtures of the project-level tests."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from lms import embedded_db


@pytest.fixture
def server_url():
    """A throw-away database on the embedded PostgreSQL; dropped afterwards. When the suite
    runs on another server, the embedded one is started for this test and stopped after it
    (unless another process holds it), so that nothing is left running."""
    started_here = embedded_db._server is None
    name = f"embedded_{uuid.uuid4().hex[:8]}"
    url = embedded_db.start(database=name)
    try:
        yield url
    finally:
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if started_here:
            embedded_db.stop()

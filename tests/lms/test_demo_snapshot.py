"""The demo city's snapshot (``lms.demo_snapshot``): saved from one embedded database and
restored into an empty one, rows and files alike; never over data; a broken snapshot leaves
the database empty for the slow path; another version of the code never matches.

These run against the embedded PostgreSQL (the only server ``make run`` restores into), in a
database of their own, whatever server the rest of the suite uses."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import psycopg
import pytest

from lms import demo_snapshot


@pytest.fixture
def roots(settings, tmp_path, monkeypatch):
    """The file folders under the project (as in development), empty, and a cache folder."""
    base = demo_snapshot.BASE_DIR / "var" / f"snapshot-test-{uuid.uuid4().hex[:8]}"
    settings.PRIVATE_ROOT = base / "private"
    settings.MEDIA_ROOT = base / "media"
    settings.S3_BUCKET = ""
    monkeypatch.setenv("DEMO_SNAPSHOT_DIR", str(tmp_path / "cache"))
    yield base
    shutil.rmtree(base, ignore_errors=True)


def _fill(url: str, base: Path) -> None:
    """A database with a row and a certificate naming its PDF; beside it, a file no row
    names (a test run's certificate), which a snapshot must leave out."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE city (name text)")
        conn.execute("INSERT INTO city VALUES ('Kota Tangkas')")
        conn.execute("CREATE TABLE certificates_certificate (pdf text)")
        conn.execute("INSERT INTO certificates_certificate VALUES ('pdf/demo.pdf'), ('')")
    folder = base / "private" / "certificates" / "pdf"
    folder.mkdir(parents=True)
    (folder / "demo.pdf").write_bytes(b"%PDF-1.7 demo")
    (folder / "left-by-a-test.pdf").write_bytes(b"%PDF-1.7 test")


def _empty(url: str, base: Path) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    shutil.rmtree(base)


def _names(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM city")]


def test_saved_then_restored_into_an_empty_database(server_url, roots) -> None:
    assert demo_snapshot.restore(server_url) == demo_snapshot.NO_SNAPSHOT
    _fill(server_url, roots)
    assert demo_snapshot.save(server_url) == ""
    # Data in the database: never restored over it.
    assert "already holds data" in demo_snapshot.restore(server_url)

    _empty(server_url, roots)
    assert demo_snapshot.restore(server_url) == ""
    assert _names(server_url) == ["Kota Tangkas"]
    folder = roots / "private" / "certificates" / "pdf"
    assert (folder / "demo.pdf").read_bytes() == b"%PDF-1.7 demo"
    assert not (folder / "left-by-a-test.pdf").exists()


def test_another_version_or_an_old_snapshot_is_not_restored(server_url, roots, monkeypatch) -> None:
    _fill(server_url, roots)
    assert demo_snapshot.save(server_url) == ""
    _empty(server_url, roots)
    key = demo_snapshot.key()
    assert key is not None
    monkeypatch.setenv("DEMO_PASSWORD", "another-password")  # part of the key
    assert demo_snapshot.key() != key
    assert demo_snapshot.restore(server_url) == demo_snapshot.NO_SNAPSHOT
    monkeypatch.delenv("DEMO_PASSWORD")
    dump = Path(os.environ["DEMO_SNAPSHOT_DIR"]) / f"demo-{key}.dump"
    week_and_a_day = (demo_snapshot.MAX_AGE_DAYS + 1) * 86400
    os.utime(dump, (dump.stat().st_atime - week_and_a_day, dump.stat().st_mtime - week_and_a_day))
    assert demo_snapshot.restore(server_url) == demo_snapshot.TOO_OLD
    assert _names_or_none(server_url) is None


def test_a_broken_snapshot_leaves_the_database_empty(server_url, roots) -> None:
    _fill(server_url, roots)
    assert demo_snapshot.save(server_url) == ""
    _empty(server_url, roots)
    dump = Path(os.environ["DEMO_SNAPSHOT_DIR"]) / f"demo-{demo_snapshot.key()}.dump"
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])  # cut in half
    why = demo_snapshot.restore(server_url)
    assert why.startswith("pg_restore failed")
    assert _names_or_none(server_url) is None  # empty again: the slow path can migrate


def test_switched_off_by_an_empty_folder_setting(server_url, roots, monkeypatch) -> None:
    monkeypatch.setenv("DEMO_SNAPSHOT_DIR", "")
    assert "switched off" in demo_snapshot.restore(server_url)
    assert demo_snapshot.save(server_url) != ""


def _names_or_none(url: str) -> list[str] | None:
    with psycopg.connect(url) as conn:
        exists = conn.execute("SELECT to_regclass('public.city')").fetchone()[0]
    return _names(url) if exists else None

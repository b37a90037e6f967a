"""The migrated database shipped in the repository (``lms.migrated_schema``), which the first
``make run`` restores instead of migrating: it is that of the migrations on disk (its key, and
the migrations it records as applied), it holds what ``migrate`` makes (the same tables,
columns, indexes, constraints, triggers and functions as the test database, which pytest
migrated), and it is restored only into an empty database of the same key.

When the first two fail, the migrations, the lock file or the settings changed: write it again
with ``.venv/bin/python -m lms.migrated_schema`` and commit ``lms/data/``."""

from __future__ import annotations

import subprocess

import psycopg
import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from lms import demo_snapshot, migrated_schema

OUT_OF_DATE = (
    f"lms/data/migrated.dump is not that of these migrations: run {migrated_schema.WRITE_COMMAND}"
)

#: What ``migrate`` makes, as the catalogue describes it, comparable across servers of
#: different versions (the test server may be older than the embedded one).
_CATALOGUE = {
    "columns": """
        SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '')
        FROM information_schema.columns WHERE table_schema = 'public'
    """,
    "indexes": "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public'",
    "constraints": """
        SELECT conrelid::regclass::text, conname, contype::text FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace AND contype <> 'n'
    """,  # not NULL ones: PostgreSQL 18 lists them as constraints too (the columns say it)
    "triggers": """
        SELECT tgrelid::regclass::text, tgname FROM pg_trigger
        WHERE NOT tgisinternal AND tgrelid::regclass::text NOT LIKE 'pg_%%'
    """,
    "functions": """
        SELECT proname, md5(prosrc) FROM pg_proc p WHERE pronamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    """,  # not an extension's (btree_gist's differ between versions of the server)
}


def _catalogue(cursor) -> dict[str, set[tuple]]:
    described = {}
    for name, query in _CATALOGUE.items():
        cursor.execute(query)
        described[name] = set(cursor.fetchall())
    return described


def _applied_in_dump() -> set[tuple[str, str]]:
    """The migrations the dump records as applied, read from the archive itself."""
    pg_restore = demo_snapshot._tool("pg_restore")
    assert pg_restore is not None, "the embedded PostgreSQL's wheel has no pg_restore"
    text = subprocess.run(
        [
            str(pg_restore),
            "--data-only",
            "--table=django_migrations",
            "-f",
            "-",
            str(migrated_schema.DUMP),
        ],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    rows = text.split("FROM stdin;\n", 1)[1].split("\n\\.\n", 1)[0].splitlines()
    return {tuple(row.split("\t")[1:3]) for row in rows}


def test_the_shipped_dump_is_that_of_these_migrations() -> None:
    assert migrated_schema.DUMP.is_file(), OUT_OF_DATE
    assert migrated_schema.shipped_key() == migrated_schema.key(), OUT_OF_DATE
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    assert _applied_in_dump() == on_disk, OUT_OF_DATE


@pytest.mark.django_db
def test_restored_it_is_what_migrate_makes(server_url) -> None:
    assert migrated_schema.restore(server_url) == ""
    with psycopg.connect(server_url) as conn, conn.cursor() as cursor:
        restored = _catalogue(cursor)
    with connection.cursor() as cursor:
        migrated = _catalogue(cursor)
    for name in _CATALOGUE:
        assert restored[name] == migrated[name], name
    assert len(restored["columns"]) > 500 and len(restored["functions"]) > 10


def test_never_over_tables_nor_of_other_migrations(server_url, monkeypatch) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE city (name text)")
    assert migrated_schema.restore(server_url) == "the database already holds tables"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute("DROP TABLE city")

    monkeypatch.setattr(migrated_schema, "key", lambda: "another-key")
    assert "the migrations changed" in migrated_schema.restore(server_url)
    with psycopg.connect(server_url) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert tables.fetchone()[0] == 0


@pytest.mark.parametrize(
    ("name", "decides"),
    [
        ("competencies/migrations/0010_proficiency_refresh_analyses.py", True),
        ("uv.lock", True),
        ("lms/settings/base.py", True),
        ("competencies/services.py", False),
        ("competencies/migrations/README.md", False),
        ("docs/ARCHITECTURE.md", False),
    ],
)
def test_the_key_follows_the_migrations_the_lock_and_the_settings(name, decides) -> None:
    assert migrated_schema._decides(name) is decides

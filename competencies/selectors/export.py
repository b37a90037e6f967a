"""The organisation's gaps as one stream of rows (the HR API's ``GET /api/v1/gaps/export/``).

One row per definitive holder of a post and requirement of that post on the asked day, with
the holder's proficiency and gap, optionally narrowed to a unit's subtree, one competency and
a least gap. Rows leave PostgreSQL through ``COPY … TO STDOUT`` as CSV (with a header) or
NDJSON text and pass through in blocks, so memory stays flat whatever the size.

The CSV is opened in spreadsheets, so its text cells that start like a formula get a leading
apostrophe (``core.spreadsheets``, the AKPK files' rule), written in SQL so that the rows still
pass through untouched by Python; NDJSON is read by programs and carries the values as stored.

"Counted evidence" and "definitive holding" are the shared fragments of ``_sql``; only the
shape of the rows is this module's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import connections, transaction

from competencies.selectors._sql import DEFINITIVE_HOLDING, IN_UNIT_SUBTREE, PROFICIENCY_OF_HOLDERS
from competencies.selectors._sql import params as sql_params
from core.db_router import read_alias, read_from_replica
from core.spreadsheets import formula_safe_sql

#: The columns of every row, in order (the CSV header).
EXPORT_COLUMNS = [
    "employee",
    "nip",
    "name",
    "org_unit",
    "position",
    "competency",
    "required_level",
    "proficiency",
    "gap",
    "is_critical",
]

#: The rows. ``%(unit)s`` may be NULL (the whole organisation), ``%(competency)s`` too (every
#: competency); ``%(min_gap)s`` keeps rows whose gap is at least that. Run with ``_sql.params``.
EXPORT_SQL = f"""
    WITH holders AS (
        SELECT a.employee_id, a.position_id, u.code AS unit_code
        FROM competencies_assignment a
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE {DEFINITIVE_HOLDING}
          AND (%(unit)s::bigint IS NULL OR {IN_UNIT_SUBTREE})
    ),
    prof AS ({PROFICIENCY_OF_HOLDERS})
    SELECT h.employee_id AS employee, e.nip, e.name, h.unit_code AS org_unit, p.code AS position,
           c.code AS competency, r.required_level, coalesce(prof.level, 0) AS proficiency,
           greatest(0, r.required_level - coalesce(prof.level, 0)) AS gap, r.is_critical
    FROM holders h
    JOIN competencies_employee e ON e.id = h.employee_id
    JOIN competencies_position p ON p.id = h.position_id
    JOIN competencies_positionrequirement r ON r.position_id = h.position_id
    JOIN competencies_competency c ON c.id = r.competency_id
    LEFT JOIN prof ON prof.employee_id = h.employee_id AND prof.competency_id = r.competency_id
    WHERE (%(competency)s::text IS NULL OR c.code = %(competency)s)
      AND greatest(0, r.required_level - coalesce(prof.level, 0)) >= %(min_gap)s
"""

# NDJSON straight from PostgreSQL: one JSON object per line. CSV format with control
# characters as quote and delimiter writes each line as it is (JSON escapes its own).
NDJSON_COPY = "COPY (SELECT row_to_json(t)::text FROM ({query}) t) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
#: The text columns a spreadsheet could read as a formula (the others are numbers and booleans).
TEXT_COLUMNS = frozenset({"nip", "name", "org_unit", "position", "competency"})
_CSV_CELLS = ", ".join(
    f"{formula_safe_sql(f't.{column}')} AS {column}" if column in TEXT_COLUMNS else f"t.{column}"
    for column in EXPORT_COLUMNS
)
CSV_COPY = f"COPY (SELECT {_CSV_CELLS} FROM ({{query}}) t) TO STDOUT WITH (FORMAT csv, HEADER)"
EXPORT_CHUNK_BYTES = 256 * 1024

#: The formats ``gap_export_stream`` writes.
EXPORT_FORMATS = ("csv", "ndjson")


def export_params(
    *, as_of: dt.date, unit_id: int | None, competency: str | None, min_gap: int
) -> dict[str, object]:
    """The parameters of ``EXPORT_SQL`` (the benchmark runs the statement itself)."""
    return sql_params(day=as_of, unit=unit_id, competency=competency, min_gap=min_gap)


def gap_export_stream(
    *, fmt: str, as_of: dt.date, unit_id: int | None, competency: str | None, min_gap: int
) -> Iterator[bytes]:
    """The gap rows as ``fmt`` (``csv`` or ``ndjson``), in blocks of about
    ``EXPORT_CHUNK_BYTES``. Streamed with ``COPY … TO STDOUT`` inside one transaction, on the
    read replica when one is configured: chosen now, since the stream is read after the view
    has returned (``core.db_router``)."""
    parameters = export_params(as_of=as_of, unit_id=unit_id, competency=competency, min_gap=min_gap)
    with read_from_replica():
        alias = read_alias()
    return _copy_stream(alias, NDJSON_COPY if fmt == "ndjson" else CSV_COPY, parameters)


def _copy_stream(alias: str, copy: str, parameters: dict[str, object]) -> Iterator[bytes]:
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        # COPY takes no parameters: psycopg quotes the values into the statement.
        query = cursor.cursor.mogrify(EXPORT_SQL, parameters)
        yield from copy_blocks(cursor, copy.format(query=query))


def copy_blocks(cursor: Any, statement: str) -> Iterator[bytes]:
    """What ``COPY … TO STDOUT`` ``statement`` sends, in blocks of about
    ``EXPORT_CHUNK_BYTES`` (PostgreSQL sends about a row per block: they are regrouped).
    ``cursor`` is Django's; run it inside a transaction."""
    buffer = bytearray()
    with cursor.cursor.copy(statement) as copy:
        for block in copy:
            buffer += block
            if len(buffer) >= EXPORT_CHUNK_BYTES:
                yield bytes(buffer)
                buffer.clear()
    if buffer:
        yield bytes(buffer)

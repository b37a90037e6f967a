"""The learning ledger in the shape of SIASN's *riwayat kursus* (``GET /api/v1/learning-records/siasn/``).

SIASN (BKN's civil-service information system) keeps each civil servant's training history;
its web service takes a course as ``pnsOrangId, instansiId, jenisDiklatId, jenisKursus,
namaKursus, institusiPenyelenggara, tanggalKursus, tanggalSelesaiKursus, tahunKursus,
jumlahJam, nomorSertipikat`` with dates written ``DD-MM-YYYY``. One row per learning record
(a completed Tangkas course or recorded external training), with the certificate that stands
for it when there is one, so BKPSDM can push the ledger into SIASN without retyping it.
``docs/API.md`` holds the mapping.

What SIASN calls by its own reference ids and Tangkas cannot know (the instansi, the jenis
diklat and jenis kursus references) comes from settings (``SIASN_INSTANSI_ID``,
``SIASN_JENIS_DIKLAT_ID``, ``SIASN_JENIS_KURSUS``), empty until configured.

Rows leave PostgreSQL through ``COPY … TO STDOUT`` (as the gap export's do) and pass through in
blocks, so memory stays flat whatever the city's size. The CSV's text cells get the
spreadsheet-formula apostrophe (``core.spreadsheets``); the JSON carries values as stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet

from competencies.selectors.export import NDJSON_COPY, copy_blocks
from core.spreadsheets import formula_safe_sql

#: The columns, in order: SIASN's names, then Tangkas's own for tracing a row back.
COLUMNS = [
    "nipBaru",
    "pnsOrangId",
    "instansiId",
    "jenisDiklatId",
    "jenisKursus",
    "namaKursus",
    "institusiPenyelenggara",
    "tanggalKursus",
    "tanggalSelesaiKursus",
    "tahunKursus",
    "jumlahJam",
    "nomorSertipikat",
    "tangkasRecordId",
    "sumber",
    "jp",
]
TEXT_COLUMNS = frozenset({"namaKursus", "institusiPenyelenggara", "nomorSertipikat"})
FORMATS = ("csv", "json")

#: One row per learning record of the people in ``%(people)s`` (an id subquery), in the order
#: they were completed. A course's certificate hangs on its enrollment, external training's on
#: the record; at most one of each is not superseded (the certificates' unique constraints),
#: and a revoked one is no certificate to report.
ROWS_SQL = """
    SELECT e.nip AS "nipBaru",
           e.siasn_id AS "pnsOrangId",
           %(instansi)s::text AS "instansiId",
           %(jenis_diklat)s::text AS "jenisDiklatId",
           %(jenis_kursus)s::text AS "jenisKursus",
           lr.title AS "namaKursus",
           lr.provider AS "institusiPenyelenggara",
           to_char(coalesce(lr.start_date, lr.completed_date), 'DD-MM-YYYY') AS "tanggalKursus",
           to_char(lr.completed_date, 'DD-MM-YYYY') AS "tanggalSelesaiKursus",
           lr.year AS "tahunKursus",
           greatest(1, round(lr.jp_hours))::int AS "jumlahJam",
           coalesce(by_record.code, by_enrollment.code, '') AS "nomorSertipikat",
           lr.id AS "tangkasRecordId",
           lr.source AS "sumber",
           lr.jp_hours AS "jp"
    FROM courses_learningrecord lr
    JOIN competencies_employee e ON e.id = lr.employee_id
    LEFT JOIN certificates_certificate by_record
           ON by_record.learning_record_id = lr.id AND by_record.status = 'valid'
    LEFT JOIN certificates_certificate by_enrollment
           ON by_enrollment.enrollment_id = lr.enrollment_id AND by_enrollment.status = 'valid'
    WHERE lr.employee_id IN ({people})
      AND (%(year)s::int IS NULL OR lr.year = %(year)s)
      AND (%(completed_from)s::date IS NULL OR lr.completed_date >= %(completed_from)s)
    ORDER BY lr.completed_date, lr.id
"""


def _cell(name: str) -> str:
    column = f't."{name}"'
    return f'{formula_safe_sql(column)} AS "{name}"' if name in TEXT_COLUMNS else column


_CSV_CELLS = ", ".join(_cell(name) for name in COLUMNS)
CSV_COPY = f"COPY (SELECT {_CSV_CELLS} FROM ({{query}}) t) TO STDOUT WITH (FORMAT csv, HEADER)"


def riwayat_kursus_stream(
    *,
    fmt: str,
    people: QuerySet[Any],
    year: int | None = None,
    completed_from: dt.date | None = None,
) -> Iterator[bytes]:
    """The rows as ``fmt`` (``csv``, or ``json``: one array), in the gap export's blocks
    (``copy_blocks``)."""
    people_sql, people_params = people.values("pk").query.sql_with_params()
    parameters = {
        "instansi": settings.SIASN_INSTANSI_ID,
        "jenis_diklat": settings.SIASN_JENIS_DIKLAT_ID,
        "jenis_kursus": settings.SIASN_JENIS_KURSUS,
        "year": year,
        "completed_from": completed_from,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        # COPY takes no parameters: psycopg quotes the values into the statement.
        people_query = cursor.cursor.mogrify(people_sql, people_params).replace("%", "%%")
        query = cursor.cursor.mogrify(ROWS_SQL.replace("{people}", people_query), parameters)
        if fmt == "csv":
            yield from copy_blocks(cursor, CSV_COPY.format(query=query))
            return
        yield b"["
        pending = b""
        for block in copy_blocks(cursor, NDJSON_COPY.format(query=query)):
            # JSON escapes the line breaks of its strings: a raw newline ends a row.
            text = pending + block.replace(b"\n", b",\n")
            text, pending = text[:-2], text[-2:]
            yield text
        yield pending.removesuffix(b",\n") + b"]"

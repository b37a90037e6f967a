"""The AKPK draft (*Analisis Kebutuhan Pengembangan Kompetensi*, the yearly competency-
development needs analysis) as CSV and XLSX files.

``akpk_file`` is the one builder: the web UI and the HR API both serve what it returns, so the
same unit, year and format give the same file wherever it is downloaded. The file is always in
Bahasa Indonesia, whatever language the caller reads the site in, because the AKPK is a form of
the Indonesian civil service: the header row, the fixed words in cells (*jenis*, *kritis*) and
the suggested development. The CSV is UTF-8 with a byte-order mark, so that spreadsheet
programs (Excel as set up in Indonesia) open it as UTF-8.

``akpk_csv``, ``akpk_csv_chunks``, ``akpk_xlsx(_chunks)`` and ``akpk_values`` are pure functions
of ``AkpkRow`` iterables (``competencies.selectors.akpk_iter``): no database access, no request.
They take the rows one at a time, so a city's AKPK never sits in memory whole.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) are written with a leading apostrophe, so a name can never become
code: ``core.spreadsheets`` holds the rule, which the streamed gap export shares.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import translation

from competencies.models import OrgUnit
from competencies.selectors import AkpkRow
from competencies.selectors.akpk import akpk_iter
from core.db_router import read_alias, read_from_replica
from core.spreadsheets import formula_safe
from core.xlsx import MAX_ROWS, xlsx_chunks

#: The language of the AKPK files (see the module docstring).
AKPK_LANGUAGE = "id"
#: The file formats of the AKPK draft.
AKPK_FORMATS: tuple[str, ...] = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The size of the blocks a download is sent in.
CSV_CHUNK_BYTES = 64 * 1024
#: The rows a sheet may have (Excel's limit, header included).
XLSX_MAX_ROWS = MAX_ROWS

#: The AKPK columns, in order.
AKPK_HEADERS: tuple[str, ...] = (
    "Nama",
    "Jabatan",
    "Unit",
    "Kode kompetensi",
    "Kompetensi",
    "Jenis",
    "Level dibutuhkan",
    "Level saat ini",
    "Kesenjangan",
    "Kritis",
    "Pengembangan yang disarankan",
)

#: The competency kinds as the AKPK form names them.
KIND_LABELS: dict[str, str] = {
    "teknis": "Teknis",
    "manajerial": "Manajerial",
    "sosial_kultural": "Sosial kultural",
}

_COLUMN_WIDTHS = (28, 34, 30, 14, 36, 16, 10, 10, 11, 8, 34)


def akpk_values(row: AkpkRow) -> list[str | int]:
    """One AKPK row as the cells of a spreadsheet row, in ``AKPK_HEADERS`` order."""
    return [
        formula_safe(row.name),
        formula_safe(row.position_title),
        formula_safe(row.org_unit_name),
        formula_safe(row.code),
        formula_safe(row.competency_name),
        KIND_LABELS.get(row.kind, formula_safe(row.kind)),
        row.required_level,
        row.proficiency,
        row.gap,
        "Ya" if row.is_critical else "Tidak",
        formula_safe(str(row.development)),
    ]


def _check_year(year: int) -> None:
    if not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ValueError(f"year must be a four-digit year, not {year!r}")


def akpk_csv(rows: Iterable[AkpkRow], *, year: int) -> str:
    """The AKPK draft for ``year`` as CSV text: the header row, then one row per gap.

    No title line, so that the file stays a plain table for other programs; ``year`` is
    checked and named in the XLSX sheet and in the file name the caller gives the download.
    """
    _check_year(year)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(AKPK_HEADERS)
    for row in rows:
        writer.writerow(akpk_values(row))
    return buffer.getvalue()


def akpk_xlsx_chunks(rows: Iterable[AkpkRow], *, year: int) -> Iterator[bytes]:
    """The AKPK draft for ``year`` as an XLSX workbook, in blocks of bytes written as the rows
    come (``core.xlsx``): a sheet named ``AKPK <year>`` (then ``AKPK <year> (2)`` … past
    Excel's ``XLSX_MAX_ROWS`` rows a sheet) with a bold, frozen header row and a filter on every
    column; numbers are stored as numbers, text stays text (``formula_safe``'s apostrophe is
    kept, as in the CSV). Memory stays flat however many rows there are."""
    _check_year(year)
    return xlsx_chunks(
        map(akpk_values, rows),
        headers=AKPK_HEADERS,
        sheet_name=f"AKPK {year}",
        widths=_COLUMN_WIDTHS,
        title=f"Draf AKPK {year}",
        max_rows=XLSX_MAX_ROWS,
    )


def akpk_xlsx(rows: Iterable[AkpkRow], *, year: int) -> bytes:
    """``akpk_xlsx_chunks`` as bytes (for a unit's rows already in memory)."""
    return b"".join(akpk_xlsx_chunks(rows, year=year))


def akpk_csv_chunks(rows: Iterable[AkpkRow], *, year: int) -> Iterator[bytes]:
    """``akpk_csv`` as UTF-8 with a byte-order mark, in blocks of about ``CSV_CHUNK_BYTES``:
    the rows are written as they come."""
    _check_year(year)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(AKPK_HEADERS)
    for row in rows:
        writer.writerow(akpk_values(row))
        if buffer.tell() >= CSV_CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


@dataclass(frozen=True)
class ExportFile:
    """A file ready to be served as a download: its content in blocks, read as it is sent."""

    chunks: Iterable[bytes]
    content_type: str
    filename: str


def akpk_file(*, org_unit: OrgUnit, year: int, fmt: str) -> ExportFile:
    """The AKPK draft of ``org_unit``'s subtree for the planning ``year`` as a ``csv`` or
    ``xlsx`` file, in Indonesian (one statement, read through a server-side cursor), written
    while it is sent. Memory stays flat whatever the unit. Read from the read replica when one
    is configured: chosen now, since the file is written after the view has returned
    (``core.db_router``). The caller checks who may see the unit."""
    if fmt not in AKPK_FORMATS:
        raise ValueError(f"fmt must be one of {AKPK_FORMATS}, not {fmt!r}")
    filename = f"akpk-{org_unit.code.lower()}-{year}.{fmt}"
    _check_year(year)
    with read_from_replica():
        alias = read_alias()
    if fmt == "csv":
        return ExportFile(_stream(akpk_csv_chunks, org_unit, year, alias), CSV_TYPE, filename)
    return ExportFile(_stream(akpk_xlsx_chunks, org_unit, year, alias), XLSX_TYPE, filename)


def _stream(chunks: Any, org_unit: OrgUnit, year: int, alias: str) -> Iterator[bytes]:
    # Run as the response is sent: one transaction holds the server-side cursor.
    with translation.override(AKPK_LANGUAGE), transaction.atomic(using=alias):
        yield from chunks(akpk_iter(org_unit=org_unit, year=year, using=alias), year=year)

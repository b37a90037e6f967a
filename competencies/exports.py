"""The AKPK draft (*Analisis Kebutuhan Pengembangan Kompetensi*, the yearly competency-
development needs analysis) as CSV and XLSX files.

``akpk_file`` is the one builder: the web UI and the HR API both serve what it returns, so the
same unit, year and format give the same file wherever it is downloaded. The file is always in
Bahasa Indonesia, whatever language the caller reads the site in, because the AKPK is a form of
the Indonesian civil service: the header row, the fixed words in cells (*jenis*, *kritis*) and
the suggested development. The CSV is UTF-8 with a byte-order mark, so that spreadsheet
programs (Excel as set up in Indonesia) open it as UTF-8.

``akpk_csv``, ``akpk_csv_chunks``, ``akpk_xlsx(_file)`` and ``akpk_values`` are pure functions
of ``AkpkRow`` iterables (``competencies.selectors.akpk_iter``): no database access, no request.
They take the rows one at a time, so a city's AKPK never sits in memory whole.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) are written with a leading apostrophe, so a name can never become
code: ``core.spreadsheets`` holds the rule, which the streamed gap export shares.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import xlsxwriter
from django.db import transaction
from django.utils import translation

from competencies.models import OrgUnit
from competencies.selectors import AkpkRow
from competencies.selectors.akpk import akpk_iter
from core.spreadsheets import formula_safe

#: The language of the AKPK files (see the module docstring).
AKPK_LANGUAGE = "id"
#: The file formats of the AKPK draft.
AKPK_FORMATS: tuple[str, ...] = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The size of the blocks a download is sent in.
CSV_CHUNK_BYTES = 64 * 1024
#: The rows a sheet may have (Excel's limit, header included).
XLSX_MAX_ROWS = 1_048_576
#: An XLSX file up to this size stays in memory; a larger one goes to a temporary file.
XLSX_SPOOL_BYTES = 4 * 1024 * 1024

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


def akpk_xlsx_file(rows: Iterable[AkpkRow], *, year: int) -> IO[bytes]:
    """The AKPK draft for ``year`` as an XLSX workbook, in a temporary file read from the
    start: one sheet named ``AKPK <year>`` with a bold, frozen header row and a filter on every
    column; numbers are stored as numbers.

    XlsxWriter in its constant-memory mode writes each row to disk as it comes, so memory
    stays flat however many rows there are, at about half the CSV's pace (openpyxl's
    write-only mode took about four times as long per row; ``make bench`` compares them)."""
    _check_year(year)
    file = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115 (returned open)
    # Text stays text: no formula, link or number is made of a cell (the apostrophe of
    # ``formula_safe`` is kept, as in the CSV).
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(file, {"constant_memory": True, "in_memory": False, **options})
    workbook.set_properties({"title": f"Draf AKPK {year}", "author": "Tangkas"})
    header = workbook.add_format(
        {"bold": True, "font_color": "#FFFFFF", "bg_color": "#0B5D7A", "valign": "top"}
    )
    header.set_text_wrap()

    def new_sheet(number: int) -> Any:
        # A sheet holds XLSX_MAX_ROWS rows at most: a city's AKPK goes on in "AKPK 2026 (2)".
        sheet = workbook.add_worksheet(f"AKPK {year}" + (f" ({number})" if number > 1 else ""))
        for index, width in enumerate(_COLUMN_WIDTHS):
            sheet.set_column(index, index, width)
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, AKPK_HEADERS, header)
        return sheet

    sheets, count = 1, 0
    sheet = new_sheet(sheets)
    for row in rows:
        if count == XLSX_MAX_ROWS - 1:  # the header takes a row of each sheet
            sheet.autofilter(0, 0, count, len(AKPK_HEADERS) - 1)
            sheets, count = sheets + 1, 0
            sheet = new_sheet(sheets)
        count += 1
        sheet.write_row(count, 0, akpk_values(row))
    sheet.autofilter(0, 0, count, len(AKPK_HEADERS) - 1)
    workbook.close()
    file.seek(0)
    return file


def akpk_xlsx(rows: Iterable[AkpkRow], *, year: int) -> bytes:
    """``akpk_xlsx_file`` as bytes (for a unit's rows already in memory)."""
    with akpk_xlsx_file(rows, year=year) as file:
        return file.read()


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
    ``xlsx`` file, in Indonesian (one statement, read through a server-side cursor). The CSV
    is written while it is sent; the XLSX is written to a temporary file first (a workbook is
    a zip, finished only at its end) and then sent from it. Memory stays flat whatever the
    unit. The caller checks who may see the unit."""
    if fmt not in AKPK_FORMATS:
        raise ValueError(f"fmt must be one of {AKPK_FORMATS}, not {fmt!r}")
    filename = f"akpk-{org_unit.code.lower()}-{year}.{fmt}"
    if fmt == "csv":
        return ExportFile(_csv_stream(org_unit, year), CSV_TYPE, filename)
    with translation.override(AKPK_LANGUAGE), transaction.atomic():
        file = akpk_xlsx_file(akpk_iter(org_unit=org_unit, year=year), year=year)
    return ExportFile(_file_blocks(file), XLSX_TYPE, filename)


def _csv_stream(org_unit: OrgUnit, year: int) -> Iterator[bytes]:
    # Run as the response is sent: one transaction holds the server-side cursor.
    with translation.override(AKPK_LANGUAGE), transaction.atomic():
        yield from akpk_csv_chunks(akpk_iter(org_unit=org_unit, year=year), year=year)


def _file_blocks(file: IO[bytes]) -> Iterator[bytes]:
    with file:
        while block := file.read(CSV_CHUNK_BYTES):
            yield block

"""The AKPK draft (*Analisis Kebutuhan Pengembangan Kompetensi*, the yearly competency-
development needs analysis) as CSV and XLSX files.

``akpk_file`` is the one builder: the web UI and the HR API both serve what it returns, so the
same unit, year and format give the same file wherever it is downloaded. The file is always in
Bahasa Indonesia, whatever language the caller reads the site in, because the AKPK is a form of
the Indonesian civil service: the header row, the fixed words in cells (*jenis*, *kritis*) and
the suggested development. The CSV is UTF-8 with a byte-order mark, so that spreadsheet
programs (Excel as set up in Indonesia) open it as UTF-8.

``akpk_csv``, ``akpk_xlsx`` and ``akpk_values`` are pure functions of the ``AkpkRow`` lists that
``competencies.selectors.akpk_rows`` returns: no database access, no request.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) are written with a leading apostrophe, so a name can never become
code: ``core.spreadsheets`` holds the rule, which the streamed gap export shares.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from competencies.models import OrgUnit
from competencies.selectors import AkpkRow, akpk_rows
from core.spreadsheets import formula_safe

#: The language of the AKPK files (see the module docstring).
AKPK_LANGUAGE = "id"
#: The file formats of the AKPK draft.
AKPK_FORMATS: tuple[str, ...] = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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


def akpk_xlsx(rows: Sequence[AkpkRow] | Iterable[AkpkRow], *, year: int) -> bytes:
    """The AKPK draft for ``year`` as an XLSX workbook: one sheet named ``AKPK <year>`` with a
    bold, frozen header row and a filter on every column; numbers are stored as numbers."""
    _check_year(year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"AKPK {year}"
    workbook.properties.title = f"Draf AKPK {year}"
    workbook.properties.creator = "Tangkas"
    sheet.append(list(AKPK_HEADERS))
    count = 0
    for row in rows:
        sheet.append(akpk_values(row))
        count += 1
    header_fill = PatternFill("solid", start_color="0B5D7A")
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index, width in enumerate(_COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(AKPK_HEADERS))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class ExportFile:
    """A file ready to be served as a download."""

    content: bytes
    content_type: str
    filename: str


def akpk_file(*, org_unit: OrgUnit, year: int, fmt: str) -> ExportFile:
    """The AKPK draft of ``org_unit``'s subtree for the planning ``year`` as a ``csv`` or
    ``xlsx`` file, in Indonesian (two queries). The caller checks who may see the unit."""
    if fmt not in AKPK_FORMATS:
        raise ValueError(f"fmt must be one of {AKPK_FORMATS}, not {fmt!r}")
    with translation.override(AKPK_LANGUAGE):
        rows = akpk_rows(org_unit=org_unit, year=year)
    if fmt == "csv":
        content, content_type = ("\ufeff" + akpk_csv(rows, year=year)).encode(), CSV_TYPE
    else:
        content, content_type = akpk_xlsx(rows, year=year), XLSX_TYPE
    return ExportFile(
        content=content,
        content_type=content_type,
        filename=f"akpk-{org_unit.code.lower()}-{year}.{fmt}",
    )

"""The AKPK workflow's files: a plan's rows and the city-wide summary as CSV and XLSX, and the
approved AKPK as a PDF with its approval trail.

The files are in Bahasa Indonesia whatever language the reader uses (the AKPK is a form of the
Indonesian civil service, like ``competencies.exports``). Rows are read from the database in
chunks and written as they come, CSV and XLSX (``core.xlsx``) alike, while they are sent.
Cells a spreadsheet would run as a formula get ``core.spreadsheets.formula_safe``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from certificates.rendering import FONTS_DIR, logo_data_uri
from competencies.exports import (
    CSV_CHUNK_BYTES,
    CSV_TYPE,
    KIND_LABELS,
    XLSX_TYPE,
    ExportFile,
)
from core.spreadsheets import formula_safe
from core.xlsx import xlsx_chunks
from planning import selectors
from planning.models import AkpkPlan, AkpkRow, AkpkState, DevelopmentForm, DevelopmentPath, Priority

FORMATS = ("csv", "xlsx")
LANGUAGE = "id"

ROW_HEADERS: tuple[str, ...] = (
    "NIP",
    "Nama",
    "Golongan",
    "Jabatan",
    "Unit",
    "Kode kompetensi",
    "Kompetensi",
    "Jenis",
    "Level dibutuhkan",
    "Level saat ini",
    "Kesenjangan",
    "Kritis",
    "Bentuk pengembangan",
    "Jalur",
    "Penyelenggara",
    "Triwulan",
    "JP",
    "Perkiraan biaya (Rp)",
    "Prioritas",
)

FORM_LABELS = {
    DevelopmentForm.TRAINING: "Pelatihan",
    DevelopmentForm.E_LEARNING: "E-learning",
    DevelopmentForm.SEMINAR: "Seminar/lokakarya",
    DevelopmentForm.COACHING: "Coaching",
    DevelopmentForm.MENTORING: "Mentoring",
    DevelopmentForm.SECONDMENT: "Magang",
    DevelopmentForm.COURSE: "Kursus",
}
PATH_LABELS = {DevelopmentPath.CLASSICAL: "Klasikal", DevelopmentPath.NON_CLASSICAL: "Nonklasikal"}
PRIORITY_LABELS = {Priority.HIGH: "Tinggi", Priority.MEDIUM: "Sedang", Priority.LOW: "Rendah"}
STATE_LABELS = {
    AkpkState.DRAFT: "Draf",
    AkpkState.SUBMITTED: "Diajukan",
    AkpkState.VERIFIED: "Diverifikasi",
    AkpkState.APPROVED: "Disetujui",
}


def provider_label(row: AkpkRow) -> str | None:
    """The provider as the AKPK names it: a Tangkas course, or a partner's offering."""
    if row.course_id:
        return f"{row.course.title} (Tangkas)"
    if row.offering_id:
        return f"{row.offering.title} ({row.offering.provider.name})"
    return None


def row_values(row: AkpkRow, course_title: str | None) -> list[Any]:
    return [
        formula_safe(row.nip),
        formula_safe(row.name),
        formula_safe(row.rank),
        formula_safe(row.position_title),
        formula_safe(row.unit_name),
        formula_safe(row.competency_code),
        formula_safe(row.competency_name),
        KIND_LABELS.get(row.kind, formula_safe(row.kind)),
        row.required_level,
        row.current_level,
        row.gap,
        "Ya" if row.is_critical else "Tidak",
        FORM_LABELS.get(row.development_form, row.development_form),
        PATH_LABELS.get(row.path, row.path),
        formula_safe(course_title or ""),
        row.planned_quarter,
        row.jp_hours,
        row.estimated_cost,
        PRIORITY_LABELS.get(row.priority, row.priority),
    ]


def _plan_rows(plan: AkpkPlan) -> Iterator[list[Any]]:
    rows = selectors.plan_rows(plan=plan).filter(removed=False)
    for row in rows.iterator(chunk_size=2000):
        yield row_values(row, provider_label(row))


SUMMARY_HEADERS = (
    "Bagian",
    "Kelompok",
    "Keterangan",
    "Orang",
    "Baris",
    "JP",
    "Perkiraan biaya (Rp)",
)


def _summary_rows(year: int) -> Iterator[list[Any]]:
    summary = selectors.akpk_summary(year=year)

    def measures(row: dict[str, Any]) -> list[Any]:
        return [row["people"], row["gaps"], row["jp_total"], row["cost_total"]]

    yield ["Total", f"AKPK {year}", "", *measures(summary.totals)]
    for row in summary.by_unit:
        state = STATE_LABELS.get(row["plan__state"], row["plan__state"])
        yield [
            "Perangkat daerah",
            formula_safe(row["plan__org_unit__name"]),
            f"{state}, revisi {row['plan__revision']}",
            *measures(row),
        ]
    for row in summary.by_competency:
        yield [
            "Kompetensi",
            formula_safe(f"{row['competency_code']} {row['competency_name']}"),
            KIND_LABELS.get(row["kind"], row["kind"]),
            *measures(row),
        ]
    for row in summary.by_form_path:
        yield [
            "Bentuk dan jalur",
            FORM_LABELS.get(row["development_form"], row["development_form"]),
            PATH_LABELS.get(row["path"], row["path"]),
            *measures(row),
        ]


def csv_chunks(headers: Sequence[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """UTF-8 CSV with a byte-order mark, in blocks of about ``CSV_CHUNK_BYTES``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() >= CSV_CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _file(
    headers: Sequence[str], rows: Iterable[list[Any]], *, fmt: str, title: str, name: str
) -> ExportFile:
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    if fmt == "csv":
        return ExportFile(csv_chunks(headers, rows), CSV_TYPE, f"{name}.csv")
    chunks = xlsx_chunks(rows, headers=headers, sheet_name=title[:24], title=title)
    return ExportFile(chunks, XLSX_TYPE, f"{name}.xlsx")


def plan_file(*, plan: AkpkPlan, fmt: str) -> ExportFile:
    """The kept rows of a plan as a file."""
    name = f"akpk-{plan.org_unit.code.lower()}-{plan.year}-rev{plan.revision}"
    with translation.override(LANGUAGE):
        return _file(ROW_HEADERS, _plan_rows(plan), fmt=fmt, title=f"AKPK {plan.year}", name=name)


def summary_file(*, year: int, fmt: str) -> ExportFile:
    """The city-wide summary for ``year`` as a file (a few rows: built at once)."""
    rows = list(_summary_rows(year))
    return _file(
        SUMMARY_HEADERS,
        rows,
        fmt=fmt,
        title=f"Ringkasan AKPK {year}",
        name=f"akpk-ringkasan-{year}",
    )


def plan_html(*, plan: AkpkPlan) -> str:
    with translation.override(LANGUAGE):
        return render_to_string(
            "planning/akpk_pdf.html",
            {
                "plan": plan,
                "state_label": STATE_LABELS.get(plan.state, plan.state),
                "rows": [
                    row_values(row, provider_label(row))
                    for row in selectors.plan_rows(plan=plan).filter(removed=False)
                ],
                "headers": ROW_HEADERS,
                "trail": list(selectors.plan_trail(plan=plan).select_related("plan")),
                "logo": logo_data_uri(),
                "fonts_dir": FONTS_DIR.as_uri(),
            },
        )


def plan_pdf(*, plan: AkpkPlan) -> bytes:
    """The AKPK as an A4 landscape PDF: the rows kept, the totals and the approval trail."""
    # Imported here: WeasyPrint takes over a second to import and few requests need it.
    from weasyprint import HTML

    return HTML(string=plan_html(plan=plan), base_url=str(FONTS_DIR)).write_pdf(full_fonts=True)

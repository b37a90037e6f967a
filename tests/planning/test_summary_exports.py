"""The city-wide summary (numbers worked out by hand, constant queries, BKPSDM only), the CSV
and XLSX of a plan's rows and of the summary, and the approved AKPK as a PDF with its trail."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from planning import services
from planning.models import AkpkPlan, AkpkRow
from tests.certificates.pdf_text import pdf_text
from tests.planning.conftest import YEAR, Office


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def approved(office: Office) -> AkpkPlan:
    plan = services.akpk_plan_generate(
        org_unit=office.diskominfo, year=YEAR, user=office.kadis.user
    )
    budi = AkpkRow.objects.get(plan=plan, employee=office.budi)
    services.akpk_row_update(
        row_id=budi.pk, plan_id=plan.pk, user=office.kadis.user, changes={"removed": True}
    )
    services.akpk_plan_transition(plan_id=plan.pk, action="submit", user=office.kadis.user)
    services.akpk_plan_transition(
        plan_id=plan.pk, action="verify", user=office.hr, comment="Sesuai peta jabatan."
    )
    services.akpk_plan_transition(
        plan_id=plan.pk, action="approve", user=office.ppk, comment="Disetujui untuk 2026."
    )
    return plan


def test_summary_numbers_by_unit_competency_and_form(
    office: Office, approved: AkpkPlan, django_assert_num_queries
) -> None:
    # Bappeda has a draft without rows (nobody holds a post there): it shows with zeros.
    services.akpk_plan_generate(org_unit=office.bappeda, year=YEAR, user=office.hr)
    hr = office.client_for(office.hr)
    hr.get("/planning/akpk/summary/")
    # Session, user, role, the measures, the latest plans, and the navigation (two).
    with django_assert_num_queries(7):
        response = hr.get(f"/planning/akpk/summary/?year={YEAR}")
    assert response.status_code == 200
    summary = response.context["summary"]
    # Kept: Ani TIK-05 (e-learning 10 JP), Ani TIK-13 (training 24 JP, Rp 3.5 m), Hendra M.01 (coaching 8 JP).
    assert summary.totals == {"people": 2, "gaps": 3, "jp_total": 42, "cost_total": 3_500_000}
    units = {
        row["plan__org_unit__code"]: (row["plan__state"], row["gaps"], row["jp_total"])
        for row in summary.by_unit
    }
    assert units == {"DISKOMINFO": ("approved", 3, 42), "BAPPEDA": ("draft", 0, 0)}
    competencies = {
        row["competency_code"]: (row["people"], row["jp_total"]) for row in summary.by_competency
    }
    assert competencies == {"M.01": (1, 8), "TIK-05": (1, 10), "TIK-13": (1, 24)}
    forms = {
        (row["development_form"], row["path"]): row["cost_total"] for row in summary.by_form_path
    }
    assert forms == {
        ("coaching", "nonklasikal"): 0,
        ("e_learning", "nonklasikal"): 0,
        ("pelatihan", "klasikal"): 3_500_000,
    }
    assert office.client_for(office.kadis.user).get("/planning/akpk/summary/").status_code == 403
    assert office.client_for(office.ppk).get("/planning/akpk/summary/").status_code == 200

    csv_response = hr.get(f"/planning/akpk/summary.csv?year={YEAR}")
    lines = list(csv.reader(io.StringIO(body(csv_response).decode("utf-8-sig"))))
    assert lines[0][:4] == ["Bagian", "Kelompok", "Keterangan", "Orang"]
    assert lines[1] == ["Total", f"AKPK {YEAR}", "", "2", "3", "42", "3500000"]
    assert [
        "Perangkat daerah",
        "Dinas Komunikasi dan Informatika",
        "Disetujui, revisi 1",
        "2",
        "3",
        "42",
        "3500000",
    ] in lines
    xlsx = openpyxl.load_workbook(
        io.BytesIO(body(hr.get(f"/planning/akpk/summary.xlsx?year={YEAR}")))
    )
    sheet = xlsx.worksheets[0]
    assert [c.value for c in sheet[2]] == ["Total", f"AKPK {YEAR}", None, 2, 3, 42, 3500000]


def test_plan_rows_as_csv_and_xlsx(office: Office, approved: AkpkPlan) -> None:
    head = office.client_for(office.kadis.user)
    response = head.get(f"/planning/akpk/{approved.pk}/rows.csv")
    assert (
        response["Content-Disposition"] == f'attachment; filename="akpk-diskominfo-{YEAR}-rev1.csv"'
    )
    lines = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert lines[0][0] == "NIP" and len(lines) == 4  # header + three kept rows, Budi's removed
    ani_db = next(line for line in lines if line[5] == "TIK-05")
    assert ani_db[:3] == [office.ani.nip, "Ani Wulandari", "III/b"]
    assert ani_db[11:] == ["Ya", "E-learning", "Nonklasikal", "", "1", "10", "0", "Tinggi"]
    workbook = openpyxl.load_workbook(
        io.BytesIO(body(head.get(f"/planning/akpk/{approved.pk}/rows.xlsx")))
    )
    assert workbook.worksheets[0].max_row == 4
    assert (
        office.client_for(office.outsider).get(f"/planning/akpk/{approved.pk}/rows.csv").status_code
        == 404
    )


def test_approved_akpk_pdf_has_the_trail(office: Office, approved: AkpkPlan) -> None:
    response = office.client_for(office.kadis.user).get(f"/planning/akpk/{approved.pk}/akpk.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = " ".join(pdf_text(pdf).split())  # table cells wrap
    for expected in (
        "Jejak persetujuan",
        "Disetujui untuk 2026.",
        "Sesuai peta jabatan.",
        "Hendra Gunawan",
        "Ani Wulandari",
    ):
        assert expected in text, expected

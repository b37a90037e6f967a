"""The policy reports on the hand-built city of ``conftest``: exact numbers, CSVs, access."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competencies import rollups
from core import dates
from providers.models import Offering, OfferingCompetency, OfferingRequest, Provider
from reports import demo
from tests.competencies.factories import (
    EmployeeFactory,
    PositionFactory,
    assign,
    evidence,
    make_nip,
    require,
)
from tests.reports.conftest import TODAY, City, record

pytestmark = pytest.mark.usefixtures("on_today")

PAGES = ["index", "jp", "gaps", "spending", "critical", "coverage", "retirement"]


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode())))


# --- Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_hr_sees_every_report(hr: Client, city: City, name: str) -> None:
    response = hr.get(reverse(f"reports:{name}"))
    assert response.status_code == 200
    assert b"<h1>" in response.content


@pytest.mark.parametrize("name", PAGES)
def test_a_head_and_a_civil_servant_are_refused(head: Client, pegawai: Client, name: str) -> None:
    for client in (head, pegawai):
        response = client.get(reverse(f"reports:{name}"))
        assert response.status_code == 403
        assert b"BKPSDM" in response.content


@pytest.mark.parametrize("name", PAGES)
def test_a_visitor_is_sent_to_the_login(client: Client, city: City, name: str) -> None:
    response = client.get(reverse(f"reports:{name}") + "?format=csv")
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("name", ["jp", "gaps", "spending", "critical", "coverage", "retirement"])
def test_the_csv_is_refused_to_a_head(head: Client, name: str) -> None:
    assert head.get(reverse(f"reports:{name}") + "?format=csv").status_code == 403


def test_reports_answer_get_only(hr: Client) -> None:
    assert hr.post(reverse("reports:jp")).status_code == 405


# --- JP target -------------------------------------------------------------------------------


def test_jp_target_per_perangkat_daerah(hr: Client, city: City) -> None:
    response = hr.get(reverse("reports:jp"))
    rows = {
        r.unit_name: (r.people, r.reached, r.share_pct, r.total_jp)
        for r in response.context["report"]
    }
    # DISKOMINFO: hendra 0, citra 25 ✓, ani 20 ✓, budi 12; fajar is no longer posted.
    # BKPSDM: dedi 20 ✓, eka 20 ✓.
    assert rows == {
        "Dinas Kominfo": (4, 2, 50.0, Decimal("57.00")),
        "BKPSDM": (2, 2, 100.0, Decimal("40.00")),
    }
    assert response.context["share"] == 66.7
    assert response.context["day"] == dt.date(2026, 3, 15)
    assert b'role="img"' in response.content


def test_a_past_year_is_counted_on_its_last_day(hr: Client, city: City) -> None:
    response = hr.get(reverse("reports:jp"), {"year": 2025})
    assert response.context["day"] == dt.date(2025, 12, 31)
    rows = {r.unit_name: (r.people, r.reached) for r in response.context["report"]}
    assert rows == {"Dinas Kominfo": (4, 1), "BKPSDM": (2, 0)}


@pytest.mark.parametrize("year", ["2027", "1999", "tahun"])
def test_a_bad_year_is_explained_and_this_year_shown(hr: Client, city: City, year: str) -> None:
    response = hr.get(reverse("reports:jp"), {"year": year})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert response.context["year"] == 2026
    assert b"errorlist" in response.content


def test_jp_target_csv(hr: Client, city: City) -> None:
    rows = _csv(hr.get(reverse("reports:jp"), {"format": "csv"}))
    assert rows[0][0] == "Perangkat daerah"
    assert rows[1:] == [
        ["Dinas Kominfo", "4", "2", "50.0", "57.00", "14.2"],
        ["BKPSDM", "2", "2", "100.0", "40.00", "20.0"],
    ]


def test_a_pppk_is_held_to_the_pppk_target(hr: Client, city: City, settings) -> None:
    settings.JP_ANNUAL_TARGET_PPPK = 10
    settings.JP_ANNUAL_TARGET_PNS = 24
    city.people["budi"].employment_type = "pppk"
    city.people["budi"].rank = ""
    city.people["budi"].save()
    response = hr.get(reverse("reports:jp"))
    rows = {r.unit_name: r.reached for r in response.context["report"]}
    # Citra (25) and budi (12 ≥ 10 as PPPK) reach; ani (20 < 24) no longer does.
    assert rows == {"Dinas Kominfo": 2, "BKPSDM": 0}


# --- Gap trend -------------------------------------------------------------------------------


def test_gap_trend_by_quarter(hr: Client, city: City) -> None:
    response = hr.get(reverse("reports:gaps"))
    trend = response.context["trend"]
    assert trend.days == [
        dt.date(2025, 6, 30),
        dt.date(2025, 9, 30),
        dt.date(2025, 12, 31),
        dt.date(2026, 3, 15),
    ]
    assert [trend.city.at(d).total_gap for d in trend.days] == [5, 5, 5, 2]
    # Requirements × holders: kadis 1, kabid 2, pk 2 × 2, analis 2 × 1 = 9; met 5 then 7.
    assert [trend.city.at(d).coverage_pct for d in trend.days] == [55.6, 55.6, 55.6, 77.8]
    units = {s.name: [p.total_gap for p in pts] for s, pts in response.context["units"]}
    assert units == {"Dinas Kominfo": [2, 2, 2, 1], "BKPSDM": [3, 3, 3, 1]}
    by_code = {s.code: [s.at(d).total_gap for d in trend.days] for s in trend.by_competency}
    assert by_code == {"M.01": [0, 0, 0, 0], "TIK-05": [4, 4, 4, 1], "TIK-13": [1, 1, 1, 1]}


def test_gap_trend_takes_the_number_of_quarters(hr: Client, city: City) -> None:
    response = hr.get(reverse("reports:gaps"), {"quarters": 2})
    assert response.context["trend"].days == [dt.date(2025, 12, 31), dt.date(2026, 3, 15)]
    response = hr.get(reverse("reports:gaps"), {"quarters": 40})
    assert response.context["form"].errors["quarters"]
    assert len(response.context["trend"].days) == 4


def test_gap_trend_csv(hr: Client, city: City) -> None:
    rows = _csv(
        hr.get(reverse("reports:gaps"), {"format": "csv", "quarters": 2}, HTTP_ACCEPT_LANGUAGE="en")
    )
    assert rows[0] == ["By", "Code", "Name", "2025 Q4 (2025-12-31)", "2026 Q1 (2026-03-15)"]
    assert rows[1] == ["City", "", "", "5", "2"]
    assert ["Perangkat daerah", "", "BKPSDM", "3", "1"] in rows
    assert ["Competency", "TIK-05", "4", "1"] in [row[:2] + row[3:] for row in rows]


# --- JP against gap closed --------------------------------------------------------------------


def test_jp_and_cost_spent_against_gap_closed(hr: Client, city: City) -> None:
    response = hr.get(reverse("reports:spending"))
    report = response.context["report"]
    assert (report.start, report.end) == (dt.date(2025, 12, 31), dt.date(2026, 3, 15))
    rows = [
        (r.code, r.jp, r.cost, r.people, r.gap_start, r.gap_end, r.gap_closed, r.jp_per_level)
        for r in report.rows
    ]
    # "keamanan" (8 JP, ani and budi) builds TIK-05 and TIK-13: 4 JP each per completion;
    # Citra's BSSN offering (25 JP, IDR 3,500,000) builds TIK-13 alone.
    assert rows == [
        ("TIK-13", Decimal("33.00"), Decimal("3500000"), 3, 1, 1, 0, None),
        ("TIK-05", Decimal("8.00"), Decimal("0"), 2, 4, 1, 3, Decimal("2.7")),
        ("M.01", Decimal("4.00"), Decimal("0"), 1, 0, 0, 0, None),
    ]
    assert report.total_jp == Decimal("45.00")
    assert report.total_cost == Decimal("3500000")
    # External training naming no competency: ani 12, budi 4, eka 16, dedi 20, fajar 40.
    assert report.external_jp == Decimal("92.00")
    assert "3.500.000" in response.content.decode()  # Indonesian thousands


def test_the_cost_per_level_closed(hr: Client, city: City) -> None:
    # Budi's DB 3 came from a partner offering of IDR 1,200,000 that builds TIK-05 alone.
    offering = Offering.objects.create(
        provider=Provider.objects.get(),
        title="Kursus Administrasi Basis Data",
        jp_hours=Decimal("6"),
        path="nonklasikal",
        form="e_learning",
        cost=Decimal("1200000"),
        link="https://bssn.go.id/kursus-basis-data/",
    )
    OfferingCompetency.objects.create(offering=offering, competency=city.db, level=3, sort_order=0)
    OfferingRequest.objects.create(
        employee=city.people["budi"],
        offering=offering,
        status="completed",
        decided_at=dates.start_of_day(dt.date(2026, 1, 10)),
        learning_record=record(city.people["budi"], "6"),
    )
    report = hr.get(reverse("reports:spending")).context["report"]
    db = next(r for r in report.rows if r.code == "TIK-05")
    assert (db.jp, db.cost, db.gap_closed, db.cost_per_level) == (
        Decimal("14.00"),
        Decimal("1200000"),
        3,
        Decimal("400000"),
    )


def test_spending_csv(hr: Client, city: City) -> None:
    rows = _csv(hr.get(reverse("reports:spending"), {"format": "csv"}))
    assert rows[0][0] == "Kode"
    # The competencies' names are the framework's (competencies/data/framework.json).
    without_names = [row[:1] + row[2:] for row in rows[1:]]
    assert without_names == [
        ["TIK-13", "33.00", "3500000", "3", "1", "1", "0", "", ""],
        ["TIK-05", "8.00", "0", "2", "4", "1", "3", "2.7", ""],
        ["M.01", "4.00", "0", "1", "0", "0", "0", "", ""],
    ]


# --- Critical competencies --------------------------------------------------------------------


def test_critical_coverage_per_perangkat_daerah(hr: Client, city: City) -> None:
    response = hr.get(reverse("reports:critical"))
    rows = {
        r.unit_name: (r.posts, r.requirements, r.met, r.coverage_pct, r.uncovered_posts)
        for r in response.context["report"]
    }
    # DISKOMINFO: hendra LEAD ✓, citra LEAD ✓ SEC ✗, ani DB ✓, budi DB ✓ (since February);
    # the kabid post's SEC is met by nobody. BKPSDM: dedi DB ✗, eka DB ✓.
    assert rows == {"Dinas Kominfo": (3, 5, 4, 80.0, 1), "BKPSDM": (1, 2, 1, 50.0, 0)}
    assert response.context["coverage"] == 71.4


def test_critical_csv(hr: Client, city: City) -> None:
    rows = _csv(hr.get(reverse("reports:critical"), {"format": "csv"}))
    assert rows[1:] == [
        ["Dinas Kominfo", "3", "5", "4", "80.0", "1"],
        ["BKPSDM", "1", "2", "1", "50.0", "0"],
    ]


# --- Coverage per competency (the organisation summary) ---------------------------------------


@pytest.mark.parametrize("rollup", [False, True], ids=["live", "from the rollup"])
def test_coverage_per_competency_in_the_city_and_in_one_perangkat_daerah(
    hr: Client, city: City, rollup: bool
) -> None:
    if rollup:
        rollups.refresh(today=TODAY)
    response = hr.get(reverse("reports:coverage"))
    rows = {
        r.code: (r.holders_required, r.holders_meeting, r.coverage_pct, r.total_gap)
        for r in response.context["rows"]
    }
    # SEC: citra 1 of 2 ✗, ani ✓, budi ✓. DB: ani ✓, budi ✓ (3 since February), dedi 1 of 2 ✗,
    # eka ✓ (since January). LEAD: hendra ✓, citra ✓.
    assert rows == {"TIK-13": (3, 2, 66.7, 1), "TIK-05": (4, 3, 75.0, 1), "M.01": (2, 2, 100.0, 0)}
    assert list(rows) == ["TIK-13", "TIK-05", "M.01"]  # the lowest coverage first
    assert (response.context["required"], response.context["meeting"]) == (9, 7)
    assert response.context["coverage"] == 77.8
    one = hr.get(reverse("reports:coverage"), {"unit": city.bkpsdm.pk})
    assert [(r.code, r.holders_required, r.holders_meeting) for r in one.context["rows"]] == [
        ("TIK-05", 2, 1)
    ]
    assert "cakupan di BKPSDM" in one.content.decode()


def test_coverage_explains_an_unknown_unit_and_shows_the_city(hr: Client, city: City) -> None:
    response = hr.get(reverse("reports:coverage"), {"unit": city.aptika.pk})  # not a top unit
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert response.context["required"] == 9


def test_coverage_csv_has_a_row_per_perangkat_daerah_and_competency(hr: Client, city: City) -> None:
    rows = _csv(hr.get(reverse("reports:coverage"), {"format": "csv"}))
    assert [row[:2] + row[3:] for row in rows[1:]] == [
        ["Dinas Kominfo", "M.01", "2", "2", "100.0", "0"],
        ["Dinas Kominfo", "TIK-05", "2", "2", "100.0", "0"],
        ["Dinas Kominfo", "TIK-13", "3", "2", "66.7", "1"],
        ["BKPSDM", "TIK-05", "2", "1", "50.0", "1"],
    ]
    one = _csv(hr.get(reverse("reports:coverage"), {"format": "csv", "unit": city.bkpsdm.pk}))
    assert [row[0] for row in one[1:]] == ["BKPSDM"]


def test_csv_cells_that_look_like_formulas_are_made_text(hr: Client, city: City) -> None:
    city.diskominfo.name = '=HYPERLINK("http://x")'
    city.diskominfo.save()
    rows = _csv(hr.get(reverse("reports:critical"), {"format": "csv"}))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'


def test_the_reports_speak_indonesian(hr: Client, city: City) -> None:
    response = hr.get(reverse("reports:critical"), HTTP_ACCEPT_LANGUAGE="id")
    assert "Cakupan kompetensi kritis" in response.content.decode()
    coverage = hr.get(reverse("reports:coverage"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Cakupan per kompetensi" in coverage
    assert "Memenuhi level yang disyaratkan" in coverage


def test_the_dashboard_links_hr_to_the_reports(hr: Client, head: Client) -> None:
    link = f'href="{reverse("reports:index")}"'
    assert link in hr.get(reverse("frontend:dashboard")).content.decode()
    assert link not in head.get(reverse("frontend:dashboard")).content.decode()


def test_the_demo_seed_writes_its_ledger_once(city: City) -> None:
    # Six people posted, none with a login: one training each, a second for the 1st and 4th.
    assert demo.seed_reports(today=dt.date(2026, 3, 15)) == 8
    assert demo.seed_reports(today=dt.date(2026, 3, 15)) == 0


@pytest.mark.parametrize("name", ["jp", "gaps", "spending", "critical", "coverage"])
def test_each_report_asks_the_same_number_of_queries_however_many_people(
    hr: Client, city: City, name: str
) -> None:
    url = reverse(f"reports:{name}")
    hr.get(url)  # the session and the HR check warm up
    with CaptureQueriesContext(connection) as small:
        assert hr.get(url).status_code == 200
    staff = PositionFactory(
        org_unit=city.bkpsdm, title="Pengadministrasi Umum", kind="pelaksana", headcount=20
    )
    require(staff, city.db, 2, critical=True)
    for number in range(12):
        someone = EmployeeFactory(
            name=f"Pegawai {number}", nip=make_nip(birth="19900303", appointed="201501")
        )
        assign(someone, staff, dt.date(2024, 1, 1))
        evidence(someone, city.db, 1 + number % 3)
        record(someone, str(10 + number))
    with CaptureQueriesContext(connection) as large:
        assert hr.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    # Session, user, HR check, the base page's two; then the report: one query, two for the
    # spending (the gaps on two days, the JP and cost) and the coverage (the summary, the
    # competencies' names).
    assert len(small.captured_queries) == (7 if name in {"spending", "coverage"} else 6)

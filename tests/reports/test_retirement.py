"""The retirement forecast: dates from the NIP and the post's BUP, the critical competencies at
risk, the succession candidates, and the query count of the page."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import RetirementAge
from reports.retirement import retirement_date, succession_candidates
from tests.competencies.factories import (
    EmployeeFactory,
    PositionFactory,
    assign,
    evidence,
    make_nip,
    require,
)
from tests.reports.conftest import City

# --- The date rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "age", "expected"),
    [
        (dt.date(1966, 5, 10), 60, dt.date(2026, 6, 1)),
        # 29 February: the birthday at 58 is 28 February 2030, so retirement is 1 March.
        (dt.date(1972, 2, 29), 58, dt.date(2030, 3, 1)),
        # ... and in a leap year, 29 February itself: still 1 March.
        (dt.date(1968, 2, 29), 60, dt.date(2028, 3, 1)),
        # A December birthday retires in the next year.
        (dt.date(1966, 12, 5), 60, dt.date(2027, 1, 1)),
        # Born on the first of a month: the first of the next month, not the birthday itself.
        (dt.date(1970, 4, 1), 58, dt.date(2028, 5, 1)),
    ],
)
def test_retirement_is_the_first_day_of_the_month_after_the_birthday(
    birth: dt.date, age: int, expected: dt.date
) -> None:
    assert retirement_date(birth_date=birth, age=age) == expected


def test_the_ages_of_the_regulation_are_seeded(db: None) -> None:
    ages = {(a.position_kind, a.functional_level): a.age for a in RetirementAge.objects.all()}
    assert ages == {
        ("jpt", ""): 60,
        ("administrator", ""): 58,
        ("pengawas", ""): 58,
        ("pelaksana", ""): 58,
        ("fungsional", ""): 58,
        ("fungsional", "Ahli Madya"): 60,
        ("fungsional", "Ahli Utama"): 65,
    }


@pytest.mark.usefixtures("on_today")
def test_people_who_retire_within_five_years(hr: Client, city: City) -> None:
    response = hr.get(reverse("reports:retirement"))
    assert response.context["until"] == dt.date(2031, 3, 15)
    people = [(p.name, p.age, p.retires_on) for p in response.context["people"]]
    # The database computes what retirement_date() says: Budi's 29 February included.
    assert people == [
        ("Hendra Gunawan", 60, dt.date(2026, 6, 1)),
        ("Citra Lestari", 58, dt.date(2027, 9, 1)),
        ("Dedi Siregar", 60, dt.date(2027, 12, 1)),
        ("Budi Santoso", 58, dt.date(2030, 3, 1)),
    ]
    page = response.content.decode()
    assert city.people["budi"].nip not in page  # the page masks NIPs
    assert response.context["by_year"] == [(2026, 1), (2027, 2), (2030, 1)]


@pytest.mark.usefixtures("on_today")
def test_the_retirement_age_follows_the_settings_table(hr: Client, city: City) -> None:
    RetirementAge.objects.filter(position_kind="jpt").update(age=62)
    response = hr.get(reverse("reports:retirement"))
    hendra = next(p for p in response.context["people"] if p.name == "Hendra Gunawan")
    assert (hendra.age, hendra.retires_on) == (62, dt.date(2028, 6, 1))


@pytest.mark.usefixtures("on_today")
def test_critical_competencies_at_risk_and_candidates(hr: Client, city: City) -> None:
    response = hr.get(reverse("reports:retirement"))
    posts = {
        items[0].position_title: (
            [(i.code, i.holders, i.last_leaves) for i in items],
            [(c.rank, c.name, c.met, c.total_gap, c.readiness_pct, c.jpm_pct) for c in candidates],
        )
        for items, candidates in response.context["posts"]
    }
    # The kadis's LEAD 4 is met only by Hendra (retires 2026), the kabid's LEAD 3 only by Citra
    # (2027). The pk's DB 3 is met by Ani too, who stays; the kabid's SEC 2 is met by nobody
    # (a gap, not a retirement risk); the analis's DB 2 by Eka, who stays.
    assert posts == {
        "Kepala Dinas": (
            [("M.01", ["Hendra Gunawan"], dt.date(2026, 6, 1))],
            # Ani has no evidence in M.01; Budi, Dedi, Citra retire within the period.
            [(1, "Eka Putri", 0, 1, 0.0, 75.0)],
        ),
        "Kepala Bidang": (
            [("M.01", ["Citra Lestari"], dt.date(2027, 9, 1))],
            # Eka: M.01 3 ✓, TIK-13 1 (gap 1); Ani: M.01 0 (gap 3), TIK-13 2 ✓.
            [(1, "Eka Putri", 1, 1, 50.0, 80.0), (2, "Ani Wulandari", 1, 3, 50.0, 40.0)],
        ),
    }
    assert list(posts) == ["Kepala Dinas", "Kepala Bidang"]  # soonest loss first
    # The candidates' column is their ranking ("Peringkat"), not a golongan.
    assert '<th scope="col" class="num">Peringkat</th>' in response.content.decode()


@pytest.mark.usefixtures("on_today")
def test_a_shorter_horizon_keeps_more_candidates(hr: Client, city: City) -> None:
    response = hr.get(reverse("reports:retirement"), {"years": 1})
    assert response.context["until"] == dt.date(2027, 3, 15)
    posts = {items[0].position_title: candidates for items, candidates in response.context["posts"]}
    assert list(posts) == ["Kepala Dinas"]
    # Citra retires only in 2027-09 now: she ties with Eka (M.01 3 of 4) and comes first by name.
    assert [(c.rank, c.name, c.current_title) for c in posts["Kepala Dinas"]] == [
        (1, "Citra Lestari", "Kepala Bidang"),
        (2, "Eka Putri", "Analis SDM Ahli Madya"),
    ]


@pytest.mark.usefixtures("on_today")
def test_a_bad_number_of_years_is_explained(hr: Client, city: City) -> None:
    response = hr.get(reverse("reports:retirement"), {"years": "0"})
    assert response.context["form"].errors["years"]
    assert response.context["years"] == 5


@pytest.mark.usefixtures("on_today")
def test_candidates_are_the_best_five_per_post(city: City) -> None:
    staff = PositionFactory(org_unit=city.bkpsdm, title="Pelaksana", kind="pelaksana", headcount=9)
    for number, level in enumerate([1, 2, 3, 1, 2, 3, 2]):
        someone = EmployeeFactory(
            name=f"Calon {number}", nip=make_nip(birth="19950101", appointed="202001")
        )
        assign(someone, staff, dt.date(2024, 1, 1))
        evidence(someone, city.lead, level)
    found = succession_candidates(
        position_ids=[city.kadis.pk], day=dt.date(2026, 3, 15), until=dt.date(2031, 3, 15)
    )
    ranked = [(c.rank, c.name, c.total_gap) for c in found[city.kadis.pk]]
    assert ranked == [
        (1, "Calon 2", 1),
        (2, "Calon 5", 1),
        (3, "Eka Putri", 1),
        (4, "Calon 1", 2),
        (5, "Calon 4", 2),
    ]


@pytest.mark.usefixtures("on_today")
def test_retirement_csv_has_every_person_with_the_full_nip(hr: Client, city: City) -> None:
    response = hr.get(reverse("reports:retirement"), {"format": "csv", "years": 2})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "NIP"
    assert [(r[0], r[1], r[5], r[6]) for r in rows[1:]] == [
        (city.people["hendra"].nip, "Hendra Gunawan", "60", "2026-06-01"),
        (city.people["citra"].nip, "Citra Lestari", "58", "2027-09-01"),
        (city.people["dedi"].nip, "Dedi Siregar", "60", "2027-12-01"),
    ]


@pytest.mark.usefixtures("on_today")
def test_the_page_asks_the_same_number_of_queries_however_many_people(
    hr: Client, city: City
) -> None:
    url = reverse("reports:retirement")
    hr.get(url)  # the session and the HR check warm up
    with CaptureQueriesContext(connection) as small:
        assert hr.get(url).status_code == 200
    staff = PositionFactory(org_unit=city.bkpsdm, title="Pelaksana", kind="pelaksana", headcount=20)
    lead_post = PositionFactory(
        org_unit=city.bkpsdm, title="Sekretaris", kind="administrator", is_head=True
    )
    require(lead_post, city.sec, 3, critical=True)
    for number in range(12):
        someone = EmployeeFactory(
            name=f"Pegawai {number}", nip=make_nip(birth=f"19{60 + number}0303", appointed="199001")
        )
        assign(someone, staff if number else lead_post, dt.date(2024, 1, 1))
        evidence(someone, city.sec, 1 + number % 4 if number else 3)
        evidence(someone, city.lead, 1 + number % 3)
    with CaptureQueriesContext(connection) as large:
        response = hr.get(url)
    assert len(response.context["posts"]) == 3
    assert len(large.captured_queries) == len(small.captured_queries)
    # Session, user, HR check, the base page's two (unread notifications, the dashboard link),
    # then people, posts at risk, candidates for all of them, and the ages table.
    assert len(small.captured_queries) == 9


# --- The city's awkward hours -----------------------------------------------------------------


@pytest.mark.awkward_hours
def test_the_forecast_counts_from_the_citys_today(hr: Client, city: City) -> None:
    # 31 December 2025 in Jakarta, at 00:30 (still the 30th in UTC) and at 23:30.
    newcomer = EmployeeFactory(
        name="Gita Anggraini", nip=make_nip(birth="19680101", appointed="199301", sex="2")
    )
    assign(newcomer, city.analis, dt.date(2025, 12, 31), kind="rotasi")
    response = hr.get(reverse("reports:retirement"))
    assert response.context["today"] == dt.date(2025, 12, 31)
    assert response.context["until"] == dt.date(2030, 12, 31)
    people = {p.name: p.retires_on for p in response.context["people"]}
    # Posted from today (WIB); Ahli Madya: 60 on 1 January 2028, so 1 February 2028.
    assert people["Gita Anggraini"] == dt.date(2028, 2, 1)
    # Budi (1 March 2030) is inside the five years, nobody born after 1972 is.
    assert "Budi Santoso" in people and "Ani Wulandari" not in people
    # The JP report of this year counts her where she is posted today.
    jp = hr.get(reverse("reports:jp"))
    assert jp.context["year"] == 2025
    assert {r.unit_name: r.people for r in jp.context["report"]}["BKPSDM"] == 3


def test_hr_keeps_the_retirement_ages_in_the_admin(hr: Client, head: Client) -> None:
    response = hr.get("/admin/retirement_ages/")
    assert response.status_code == 200
    assert "Ahli Utama" in response.content.decode()
    # A head is sent to the admin's login, not shown the table.
    assert head.get("/admin/retirement_ages/").status_code == 302

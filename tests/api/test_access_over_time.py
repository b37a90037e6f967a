"""Access that ends, and the days a head may ask about, through the HTTP API (issue 12, items
4 and 5): an acting head's access ends the day the definitive head starts; a head synced as
retired loses the unit and their posts end; an inactive login gets nothing; a head's unit
views answer for today and the days they held the post, and the rotation what-if for
positions of their units from today on; HR and API clients may ask anything."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from competencies.models import Assignment, AssignmentKind, Employee, EmployeeStatus
from core import dates
from tests.competencies.factories import EmployeeFactory, PositionFactory, UserFactory, assign

WIB = ZoneInfo("Asia/Jakarta")


def at_noon(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=WIB), tick=False)


def unit_gaps(client, unit, as_of: dt.date | str | None = None):
    query = f"?as_of={as_of}" if as_of is not None else ""
    return client.get(f"/api/v1/org-units/{unit.pk}/gaps/{query}")


def refused_fields(response) -> list[tuple[str, str]]:
    body = response.json()
    assert response["Content-Type"] == "application/problem+json", body
    assert body["code"] == "forbidden", body
    return [(e["field"], e["code"]) for e in body["errors"]]


# --- Access that ends -----------------------------------------------------------------------


def test_an_acting_head_loses_the_unit_the_day_the_definitive_head_starts(city, as_person) -> None:
    today = dates.today()
    assign(city.kabid, PositionFactory(org_unit=city.bkpsdm), today - dt.timedelta(days=30))
    assign(city.ani, city.kabid_post, today - dt.timedelta(days=30), kind=AssignmentKind.ACTING)
    start = today + dt.timedelta(days=1)
    assign(
        EmployeeFactory(user=UserFactory(username="kabid-baru")),
        city.kabid_post,
        start,
        kind="promosi",
    )
    assert unit_gaps(as_person(city.ani.user), city.aptika).status_code == 200
    assert as_person(city.ani.user).get(f"/api/v1/employees/{city.budi.pk}/").status_code == 200
    with at_noon(start):
        ani = as_person(city.ani.user)
        assert unit_gaps(ani, city.aptika).status_code == 403
        assert ani.get(f"/api/v1/employees/{city.budi.pk}/").status_code == 404
        assert ani.get(f"/api/v1/employees/{city.ani.pk}/").status_code == 200  # herself


@pytest.mark.awkward_hours
def test_a_head_synced_as_retired_loses_the_unit_and_their_posts_end(
    city, api_client, as_person
) -> None:
    kabid = as_person(city.kabid.user)
    assert unit_gaps(kabid, city.aptika).status_code == 200
    hr_system = api_client("employees:write")
    response = hr_system.post(
        "/api/v1/employees/bulk/",
        {"rows": [{"nip": city.kabid.nip, "name": city.kabid.name, "status": "retired"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert Employee.objects.get(pk=city.kabid.pk).status == EmployeeStatus.RETIRED
    # The post ends on the city's today (WIB), not on the server's UTC date.
    assert list(Assignment.objects.filter(employee=city.kabid).values_list("end_date")) == [
        (dates.today(),)
    ]
    assert unit_gaps(kabid, city.aptika).status_code == 403
    assert kabid.get(f"/api/v1/employees/{city.budi.pk}/").status_code == 404
    assert kabid.get(f"/api/v1/employees/{city.kabid.pk}/").status_code == 200


def test_the_bulk_sync_ends_the_plt_when_the_definitive_head_arrives(city, api_client) -> None:
    assign(city.kabid, PositionFactory(org_unit=city.bkpsdm), dt.date(2025, 2, 1))
    acting = assign(city.ani, city.kabid_post, dt.date(2025, 2, 1), kind=AssignmentKind.ACTING)
    response = api_client("employees:write").post(
        "/api/v1/employees/bulk/",
        {
            "rows": [
                {
                    "nip": city.citra.nip,
                    "name": city.citra.name,
                    "position": city.kabid_post.code,
                    "tmt": "2025-07-01",
                    "assignment_kind": "promosi",
                }
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    acting.refresh_from_db()
    assert acting.end_date == dt.date(2025, 6, 30)


def test_an_inactive_login_gets_nothing(city, hr_user, as_person) -> None:
    for user in (city.kabid.user, hr_user):
        client = as_person(user)
        assert unit_gaps(client, city.aptika).status_code == 200
        user.is_active = False
        user.save(update_fields=["is_active"])
        assert unit_gaps(client, city.aptika).status_code == 401
        assert client.get("/api/v1/employees/").status_code == 401


# --- The days a head may ask about a unit ---------------------------------------------------


def test_a_head_asks_about_today_and_the_days_they_held_the_post(city, as_person) -> None:
    kabid = as_person(city.kabid.user)  # Kepala Bidang of APTIKA since 2019-01-01
    today = dates.today()
    for day in (None, today, dt.date(2019, 1, 1), dt.date(2023, 6, 30)):
        assert unit_gaps(kabid, city.aptika, day).status_code == 200, day
    assert unit_gaps(kabid, city.egov, dt.date(2020, 1, 1)).status_code == 200  # the subtree
    before = unit_gaps(kabid, city.aptika, dt.date(2018, 12, 31))
    assert before.status_code == 403
    assert refused_fields(before) == [("as_of", "as_of_not_held")]
    ahead = unit_gaps(kabid, city.aptika, today + dt.timedelta(days=1))
    assert ahead.status_code == 403
    assert refused_fields(ahead) == [("as_of", "as_of_in_future")]
    # Citra leads EGOV since 2021-06-01: the days before belong to whoever led it then.
    citra = as_person(city.citra.user)
    assert unit_gaps(citra, city.egov, dt.date(2021, 6, 1)).status_code == 200
    assert refused_fields(unit_gaps(citra, city.egov, dt.date(2021, 5, 31))) == [
        ("as_of", "as_of_not_held")
    ]
    # A unit they do not lead today stays a plain 403, whatever the day.
    assert unit_gaps(citra, city.aptika, dt.date(2022, 1, 1)).status_code == 403
    # A malformed day is a 400 naming the field, before any access question.
    bad = unit_gaps(kabid, city.aptika, "2019-02-30")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "as_of"


def test_a_head_who_rotated_cannot_ask_about_the_old_unit_any_more(city, as_person) -> None:
    """The days they held it do not reopen a unit they no longer lead."""
    today = dates.today()
    assign(city.kabid, PositionFactory(org_unit=city.bkpsdm, is_head=True), today)
    kabid = as_person(city.kabid.user)
    assert unit_gaps(kabid, city.aptika, dt.date(2020, 1, 1)).status_code == 403
    assert unit_gaps(kabid, city.bkpsdm).status_code == 200
    assert unit_gaps(kabid, city.bkpsdm, today - dt.timedelta(days=1)).status_code == 403


def test_the_export_of_a_head_follows_the_same_days(city, as_person) -> None:
    kabid = as_person(city.kabid.user)
    url = f"/api/v1/gaps/export/?unit={city.aptika.pk}&as_of="
    assert kabid.get(url + "2020-01-01").status_code == 200
    refused = kabid.get(url + "2018-01-01")
    assert refused.status_code == 403
    assert refused_fields(refused) == [("as_of", "as_of_not_held")]


def test_hr_and_api_clients_ask_about_any_unit_and_day(city, hr_user, as_person, api_client):
    days = (dt.date(2000, 1, 1), dates.today() + dt.timedelta(days=400))
    for client in (as_person(hr_user), api_client("gaps:read")):
        for unit in (city.aptika, city.bkpsdm):
            for day in days:
                assert unit_gaps(client, unit, day).status_code == 200, (unit, day)


# --- The rotation what-if -------------------------------------------------------------------


def what_if(client, employee, position, day: dt.date):
    return client.post(
        "/api/v1/rotation-impact/",
        {"employee": employee.pk, "position": position.pk, "date": day.isoformat()},
        format="json",
    )


def test_a_head_tries_moves_only_to_their_units_and_from_today_on(city, as_person) -> None:
    kabid = as_person(city.kabid.user)
    today = dates.today()
    assert what_if(kabid, city.budi, city.ketua_post, today).status_code == 200
    assert (
        what_if(kabid, city.budi, city.ketua_post, today + dt.timedelta(days=90)).status_code == 200
    )
    elsewhere = what_if(kabid, city.budi, city.analis_post, today)
    assert elsewhere.status_code == 403
    assert refused_fields(elsewhere) == [("position", "position_outside_your_units")]
    past = what_if(kabid, city.budi, city.ketua_post, today - dt.timedelta(days=1))
    assert past.status_code == 403
    assert refused_fields(past) == [("date", "date_in_past")]
    both = what_if(kabid, city.budi, city.analis_post, dt.date(2020, 1, 1))
    assert refused_fields(both) == [
        ("position", "position_outside_your_units"),
        ("date", "date_in_past"),
    ]
    # Someone outside the head's units is not revealed, whatever the position.
    assert what_if(kabid, city.dedi, city.ketua_post, today).status_code == 404


def test_hr_and_api_clients_try_any_move_on_any_day(city, hr_user, as_person, api_client):
    for client in (as_person(hr_user), api_client("gaps:read")):
        for day in (dt.date(2020, 1, 1), dates.today()):
            response = what_if(client, city.budi, city.analis_post, day)
            assert response.status_code == 200, response.json()
            assert response.json()["receiving_unit"]["org_unit"] == city.bkpsdm.pk

"""Access follows the organisation: a head sees the subtree of the unit they head today, an
acting head only while no definitive holder holds the post, and only people in service with
an active login see anything beyond themselves. Which days a head may ask about a unit, and
which planned moves, is the same policy."""

from __future__ import annotations

import datetime as dt
from io import BytesIO, StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from competencies import access, imports, services
from competencies.models import Assignment, AssignmentKind, Employee, EmployeeStatus
from core import dates
from tests.competencies.conftest import DAY
from tests.competencies.factories import EmployeeFactory, PositionFactory, UserFactory, assign


def visible(user, day=DAY) -> set[str]:
    return set(access.org_units_visible_to(user=user, as_of=day).values_list("code", flat=True))


def test_a_head_sees_the_subtree_of_their_unit(city) -> None:
    assert visible(city.kabid.user) == {"APTIKA", "EGOV"}
    assert visible(city.citra.user) == {"EGOV"}


def test_hr_sees_everything_and_others_nothing(city, hr_user) -> None:
    assert visible(hr_user) == {"CITY", "DISKOMINFO", "APTIKA", "EGOV", "BKPSDM"}
    assert visible(city.ani.user) == set()
    assert visible(AnonymousUser()) == set()


def test_access_moves_with_the_post_on_the_day_of_the_rotation(city) -> None:
    successor = EmployeeFactory(name="Eko Prasetyo", user=UserFactory(username="eko"))
    rotation_day = dt.date(2025, 3, 1)
    assign(
        city.kabid, PositionFactory(org_unit=city.bkpsdm, title="Analis Kebijakan"), rotation_day
    )
    assign(successor, city.kabid_post, rotation_day, kind="promosi")
    assert visible(city.kabid.user, rotation_day - dt.timedelta(days=1)) == {"APTIKA", "EGOV"}
    assert visible(city.kabid.user, rotation_day) == set()
    assert visible(successor.user, rotation_day - dt.timedelta(days=1)) == set()
    assert visible(successor.user, rotation_day) == {"APTIKA", "EGOV"}


def vacate_the_kabid_post(city, day: dt.date = dt.date(2025, 2, 1)) -> None:
    """Kabid Hendra moves to BKPSDM on ``day``: his post is vacant from then on."""
    assign(city.kabid, PositionFactory(org_unit=city.bkpsdm, title="Analis Kebijakan"), day)


def test_an_acting_head_sees_the_unit_while_acting(city) -> None:
    vacate_the_kabid_post(city)
    assign(city.ani, city.kabid_post, dt.date(2025, 2, 1), kind="plt", end=dt.date(2025, 2, 28))
    assert visible(city.ani.user, dt.date(2025, 2, 15)) == {"APTIKA", "EGOV"}
    assert visible(city.ani.user, dt.date(2025, 3, 1)) == set()


def test_who_may_see_a_person(city, hr_user) -> None:
    assert access.can_view_employee(user=city.kabid.user, employee=city.budi, as_of=DAY)
    assert access.can_view_employee(user=city.ani.user, employee=city.ani, as_of=DAY)
    assert not access.can_view_employee(user=city.ani.user, employee=city.budi, as_of=DAY)
    assert not access.can_view_employee(user=city.citra.user, employee=city.dedi, as_of=DAY)
    assert access.can_view_employee(user=hr_user, employee=city.dedi, as_of=DAY)


def test_the_api_and_the_pages_apply_the_same_rule_to_people(city, hr_user) -> None:
    """``Actor.employees`` (API), ``can_view_employee`` (pages) and ``visible_employees`` give
    the same people for every kind of user, an acting head included."""
    vacate_the_kabid_post(city)
    assign(
        city.ani,
        city.kabid_post,
        dt.date(2025, 2, 1),
        kind=AssignmentKind.ACTING,
        end=dt.date(2025, 2, 28),
    )
    acting_day = dt.date(2025, 2, 15)
    everyone = list(Employee.objects.all())
    cases = [
        (
            "head",
            city.kabid,
            DAY,
            {"Kabid Hendra", "Citra Lestari", "Ani Wulandari", "Budi Santoso"},
        ),
        ("head", city.citra, DAY, {"Citra Lestari", "Ani Wulandari", "Budi Santoso"}),
        ("employee", city.ani, DAY, {"Ani Wulandari"}),
        ("head", city.ani, acting_day, {"Citra Lestari", "Ani Wulandari", "Budi Santoso"}),
        ("hr", None, DAY, {e.name for e in everyone}),
    ]
    for kind, person, day, expected in cases:
        user = person.user if person else hr_user
        actor = access.Actor(kind=kind, user=user, employee=person, today=day)
        rule = {e.name for e in access.visible_employees(user=user, as_of=day)}
        pages = {
            e.name for e in everyone if access.can_view_employee(user=user, employee=e, as_of=day)
        }
        api = {e.name for e in actor.employees()}
        assert rule == pages == api == expected, (kind, person, day)
        assert all(actor.may_see_employee(e) == (e.name in expected) for e in everyone)
    assert not access.visible_employees(user=AnonymousUser(), as_of=DAY).exists()


# --- Access that ends -------------------------------------------------------------------------


def test_an_acting_head_loses_the_unit_the_day_the_definitive_head_starts(city) -> None:
    """Recording the definitive head ends the open Plt. the day before (the service), and the
    policy ignores the Plt. on the definitive head's days whatever its stored end date."""
    vacate_the_kabid_post(city)
    acting = assign(city.ani, city.kabid_post, dt.date(2025, 2, 1), kind=AssignmentKind.ACTING)
    successor = EmployeeFactory(name="Eko Prasetyo", user=UserFactory(username="eko"))
    start = dt.date(2025, 6, 1)
    assign(successor, city.kabid_post, start, kind="promosi")
    acting.refresh_from_db()
    assert acting.end_date == start - dt.timedelta(days=1)
    assert visible(city.ani.user, start - dt.timedelta(days=1)) == {"APTIKA", "EGOV"}
    assert visible(city.ani.user, start) == set()

    # An open Plt. recorded after the definitive head (no end date to cut) opens nothing
    # on the definitive head's days, and the unit again once the post is vacant.
    late = assign(city.citra, city.kabid_post, dt.date(2025, 5, 1), kind=AssignmentKind.ACTING)
    assert late.end_date is None
    assert visible(city.citra.user, dt.date(2025, 5, 15)) == {"APTIKA", "EGOV"}
    assert visible(city.citra.user, start) == {"EGOV"}  # her own team, as Ketua Tim
    assert not access.can_view_employee(user=city.citra.user, employee=city.kabid, as_of=start)
    assign(successor, PositionFactory(org_unit=city.bkpsdm, title="Analis"), dt.date(2025, 9, 1))
    assert visible(city.citra.user, dt.date(2025, 9, 1)) == {"APTIKA", "EGOV"}


def test_a_definitive_arrival_leaves_other_acting_assignments_alone(city) -> None:
    """Only an open Plt. of the same one-person post ends; one of a post with several holders,
    one that ended already, and one that starts with the arrival keep what they had."""
    vacate_the_kabid_post(city)
    team = PositionFactory(org_unit=city.egov, title="Pranata Komputer Plt.", headcount=3)
    shared = assign(city.budi, team, dt.date(2025, 2, 1), kind=AssignmentKind.ACTING)
    ended = assign(
        city.citra, city.kabid_post, dt.date(2025, 2, 1), kind="plt", end=dt.date(2025, 2, 20)
    )
    same_day = assign(city.ani, city.kabid_post, dt.date(2025, 3, 1), kind=AssignmentKind.ACTING)
    assign(EmployeeFactory(), team, dt.date(2025, 3, 1))
    assign(EmployeeFactory(), city.kabid_post, dt.date(2025, 3, 1), kind="promosi")
    for assignment, end in ((shared, None), (ended, dt.date(2025, 2, 20)), (same_day, None)):
        assignment.refresh_from_db()
        assert assignment.end_date == end
    assert visible(city.ani.user, dt.date(2025, 3, 1)) == set()


@pytest.mark.awkward_hours
def test_a_head_who_retires_loses_the_unit_and_their_posts_end_today(city) -> None:
    today = dates.today()
    assert visible(city.kabid.user, today) == {"APTIKA", "EGOV"}
    services.employee_update(employee=city.kabid, data={"status": EmployeeStatus.RETIRED})
    [post] = city.kabid.assignments.all()
    assert post.end_date == today  # the city's day, also at 00:30 and 23:30 WIB
    assert visible(city.kabid.user, today) == set()
    assert visible(city.kabid.user, today - dt.timedelta(days=1)) == set()
    assert not access.can_view_employee(user=city.kabid.user, employee=city.budi, as_of=today)
    # Their own record stays theirs.
    assert set(access.visible_employees(user=city.kabid.user, as_of=today)) == {city.kabid}


def test_a_person_who_moves_out_on_a_given_day_holds_their_posts_until_then(city) -> None:
    last_day = dt.date(2025, 4, 30)
    services.employee_update(
        employee=city.citra, data={"status": EmployeeStatus.MOVED_OUT}, effective_date=last_day
    )
    assert city.citra.assignments.get().end_date == last_day
    # An open status for someone still in service changes no assignment.
    services.employee_update(employee=city.ani, data={"name": "Ani W."})
    assert city.ani.assignments.get().end_date is None
    # A departure already recorded is not moved later by another call.
    assert services.employee_departures_apply(employee_ids=[city.citra.pk]) == 0
    assert city.citra.assignments.get().end_date == last_day


def test_stale_data_of_a_departed_head_opens_nothing(city, hr_user) -> None:
    """A status written past the services (old data) still closes access: the policy itself
    asks for a person in service."""
    Employee.objects.filter(pk=city.kabid.pk).update(status=EmployeeStatus.MOVED_OUT)
    assert city.kabid.assignments.get().end_date is None
    assert visible(city.kabid.user) == set()
    Employee.objects.filter(pk=city.ani.pk).update(status=EmployeeStatus.RETIRED, user=hr_user)
    hr_user = type(hr_user).objects.get(pk=hr_user.pk)
    assert not access.user_is_hr(user=hr_user)
    assert visible(hr_user) == set()


def test_an_inactive_login_sees_nothing(city, hr_user) -> None:
    for user in (city.kabid.user, city.ani.user, hr_user):
        user.is_active = False
        user.save(update_fields=["is_active"])
        user = type(user).objects.get(pk=user.pk)
        assert visible(user) == set()
        assert not access.visible_employees(user=user, as_of=DAY).exists()
        assert not access.user_is_hr(user=user)
    assert not access.can_view_employee(user=city.ani.user, employee=city.ani, as_of=DAY)
    assert not access.head_assignments_on(user=city.kabid.user, day=DAY).exists()


# --- Which days and moves a head may ask about ----------------------------------------------


def test_a_head_asks_about_today_and_the_days_they_held_the_post(city, hr_user) -> None:
    today = dt.date(2025, 6, 1)
    kabid, citra = city.kabid.user, city.citra.user

    def refused(user, unit, day) -> list[str]:
        return [
            f"{e.field}:{e.code}"
            for e in access.unit_day_refusals(user=user, unit=unit, as_of=day, today=today)
        ]

    assert refused(kabid, city.aptika, today) == []
    assert refused(kabid, city.egov, dt.date(2019, 1, 1)) == []  # his first day, the subtree
    assert refused(kabid, city.aptika, dt.date(2018, 12, 31)) == ["as_of:as_of_not_held"]
    assert refused(kabid, city.aptika, today + dt.timedelta(days=1)) == ["as_of:as_of_in_future"]
    assert refused(citra, city.egov, dt.date(2021, 5, 31)) == ["as_of:as_of_not_held"]
    assert refused(citra, city.egov, dt.date(2021, 6, 1)) == []
    for day in (dt.date(2000, 1, 1), today + dt.timedelta(days=365)):
        assert refused(hr_user, city.bkpsdm, day) == []
    days = [dt.date(2018, 12, 31), dt.date(2019, 1, 1), dt.date(2024, 3, 31)]
    assert access.unit_days_visible(user=kabid, unit=city.egov, days=days) == set(days[1:])
    assert access.unit_days_visible(user=citra, unit=city.aptika, days=days) == set()


def test_a_head_tries_moves_in_their_units_from_today_on(city) -> None:
    today = dt.date(2025, 6, 1)
    mine, other = [city.aptika.pk, city.egov.pk], city.bkpsdm.pk

    def refused(unit_ids, unit_id, day) -> list[str]:
        return [
            f"{e.field}:{e.code}"
            for e in access.rotation_refusals(
                unit_ids=unit_ids, position_unit_id=unit_id, on_date=day, today=today
            )
        ]

    assert refused(mine, city.egov.pk, today) == []
    assert refused(mine, other, today) == ["position:position_outside_your_units"]
    assert refused(mine, city.egov.pk, today - dt.timedelta(days=1)) == ["date:date_in_past"]
    assert refused(None, other, dt.date(2001, 1, 1)) == []  # HR


def test_end_stale_assignments_cleans_data_recorded_before_the_rules(city) -> None:
    """Old data: a head whose status was written past the services, a Plt. still open after
    the definitive head started. The command ends both, --dry-run first, and only once."""
    vacate_the_kabid_post(city)
    Assignment.objects.create(
        employee=city.ani, position=city.kabid_post, kind="plt", start_date=dt.date(2025, 2, 1)
    )
    Assignment.objects.create(
        employee=EmployeeFactory(),
        position=city.kabid_post,
        kind="promosi",
        start_date=dt.date(2025, 5, 1),
    )
    Employee.objects.filter(pk=city.citra.pk).update(status=EmployeeStatus.RETIRED)

    def run(*args: str) -> str:
        out = StringIO()
        call_command("end_stale_assignments", *args, stdout=out)
        return out.getvalue()

    assert "Would end 1 assignments" in run("--dry-run", "--on", "2025-03-31")
    assert "and 1 acting" in run("--dry-run")
    assert Assignment.objects.filter(end_date__isnull=True, employee=city.citra).exists()
    assert "Ended 1 assignments" in run("--on", "2025-03-31")
    assert city.citra.assignments.get().end_date == dt.date(2025, 3, 31)
    plt = Assignment.objects.get(employee=city.ani, kind="plt")
    assert plt.end_date == dt.date(2025, 4, 30)
    assert "Ended 0 assignments" in run() and "and 0 acting" in run()
    with pytest.raises(CommandError):
        run("--on", "31/03/2025")


def _retire_by_import(person: Employee) -> None:
    table = f"nip,name,status\n{person.nip},{person.name},retired\n"
    imports.people_import(rows=imports.read_rows(BytesIO(table.encode()), "people.csv"))


def _retire_in_the_admin(person: Employee) -> None:
    client = Client()
    client.force_login(UserFactory(username="hr-admin", is_superuser=True))
    response = client.post(
        f"/admin/employees/edit/{person.pk}/",
        {"nip": person.nip, "name": person.name, "status": "retired", "user": person.user_id},
    )
    assert response.status_code == 302, response.content.decode()[:500]


def _retire_through_the_api(person: Employee) -> None:
    client = APIClient()
    client.force_login(UserFactory(username="hr-api", is_superuser=True))
    response = client.patch(f"/api/v1/employees/{person.pk}/", {"status": "retired"}, format="json")
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize(
    "retire",
    [_retire_by_import, _retire_in_the_admin, _retire_through_the_api],
    ids=lambda retire: retire.__name__,
)
def test_every_writer_of_a_status_ends_the_posts(city, retire) -> None:
    """The spreadsheet import, the admin's edit form and the API all go through the one rule
    (``employee_departures_apply``); the bulk sync is in tests/api/test_access_over_time.py."""
    retire(city.kabid)
    city.kabid.refresh_from_db()
    assert city.kabid.status == EmployeeStatus.RETIRED
    assert city.kabid.assignments.get().end_date == dates.today()
    assert visible(city.kabid.user, dates.today()) == set()

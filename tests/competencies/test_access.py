"""Access follows the organisation: a head sees the subtree of the unit they head today."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser

from competencies import access
from competencies.models import AssignmentKind, Employee
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


def test_an_acting_head_sees_the_unit_while_acting(city) -> None:
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
        (
            "head",
            city.ani,
            acting_day,
            {"Kabid Hendra", "Citra Lestari", "Ani Wulandari", "Budi Santoso"},
        ),
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

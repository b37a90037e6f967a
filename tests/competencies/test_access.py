"""Access follows the organisation: a head sees the subtree of the unit they head today."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser

from competencies import access
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

"""Position history: rotations end the previous post, definitive posts never overlap, and
every change is in the audit trail with who and why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from competencies import services
from competencies.exceptions import InvalidDateRangeError, OverlappingAssignmentError
from competencies.models import Assignment
from tests.competencies.factories import EmployeeFactory, PositionFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


def test_a_new_definitive_assignment_ends_the_current_one_the_day_before() -> None:
    person = EmployeeFactory()
    first = assign(person, PositionFactory(), dt.date(2019, 1, 2), kind="initial")
    second = assign(person, PositionFactory(), dt.date(2023, 7, 1), kind="rotasi")
    first.refresh_from_db()
    assert first.end_date == dt.date(2023, 6, 30)
    assert second.end_date is None


def test_an_overlapping_definitive_assignment_is_refused_and_nothing_changes() -> None:
    person = EmployeeFactory()
    assign(person, PositionFactory(), dt.date(2019, 1, 1), kind="initial")
    later = assign(person, PositionFactory(), dt.date(2022, 1, 1))
    with pytest.raises(OverlappingAssignmentError) as raised:
        # Starts before the later post and would run into it.
        services.assignment_create(
            employee=person,
            position=PositionFactory(),
            kind="rotasi",
            start_date=dt.date(2020, 6, 1),
            end_date=dt.date(2022, 6, 1),
        )
    assert raised.value.errors[0].field == "start_date"
    assert Assignment.objects.filter(employee=person).count() == 2
    later.refresh_from_db()
    assert later.end_date is None
    # The first post was not shortened either: the whole write was rolled back.
    assert Assignment.objects.get(
        employee=person, start_date=dt.date(2019, 1, 1)
    ).end_date == dt.date(2021, 12, 31)


def test_the_database_itself_refuses_overlap_even_without_the_service() -> None:
    person = EmployeeFactory()
    position = PositionFactory()
    Assignment.objects.create(
        employee=person, position=position, kind="initial", start_date=dt.date(2020, 1, 1)
    )
    with (
        pytest.raises(IntegrityError, match="assignment_definitive_no_overlap"),
        transaction.atomic(),
    ):
        Assignment.objects.create(
            employee=person,
            position=PositionFactory(),
            kind="rotasi",
            start_date=dt.date(2021, 1, 1),
        )


def test_an_acting_assignment_may_overlap() -> None:
    person = EmployeeFactory()
    home = assign(person, PositionFactory(), dt.date(2020, 1, 1), kind="initial")
    acting = assign(
        person,
        PositionFactory(is_head=True),
        dt.date(2024, 3, 1),
        kind="plt",
        end=dt.date(2024, 6, 30),
    )
    home.refresh_from_db()
    assert home.end_date is None
    assert acting.end_date == dt.date(2024, 6, 30)


def test_end_before_start_is_refused() -> None:
    with pytest.raises(InvalidDateRangeError):
        services.assignment_create(
            employee=EmployeeFactory(),
            position=PositionFactory(),
            kind="initial",
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2023, 12, 31),
        )
    assert not Assignment.objects.exists()


def test_the_audit_trail_keeps_who_when_what_and_why() -> None:
    hr = UserFactory(username="hr-audit")
    person = EmployeeFactory()
    first = services.assignment_create(
        employee=person,
        position=PositionFactory(),
        kind="initial",
        start_date=dt.date(2019, 1, 1),
        user=hr,
        reason="SK pengangkatan",
    )
    services.assignment_create(
        employee=person,
        position=PositionFactory(),
        kind="rotasi",
        start_date=dt.date(2023, 1, 1),
        user=hr,
        reason="SK Wali Kota 800/12/2022",
    )
    events = list(
        first.events.order_by("pgh_id").values("pgh_label", "end_date", "pgh_context__metadata")
    )
    assert [e["pgh_label"] for e in events] == ["insert", "update"]
    assert events[0]["end_date"] is None
    assert events[1]["end_date"] == dt.date(2022, 12, 31)
    assert events[1]["pgh_context__metadata"]["reason"] == "SK Wali Kota 800/12/2022"
    assert events[1]["pgh_context__metadata"]["user"] == hr.pk

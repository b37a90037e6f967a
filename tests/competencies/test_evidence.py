"""Evidence is append-only; proficiency as of a date is the highest counting, valid level."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import ProgrammingError, transaction

from competencies import selectors, services
from competencies.exceptions import InvalidLevelError, UnknownCompetencyError
from competencies.models import Evidence
from tests.competencies.factories import CompetencyFactory, EmployeeFactory, UserFactory, evidence

pytestmark = pytest.mark.django_db


def levels(employee, day: dt.date) -> dict[str, int]:
    return {
        p.competency.code: p.level
        for p in selectors.proficiency_for_employee(employee=employee, as_of=day)
    }


def test_evidence_cannot_be_changed_or_deleted() -> None:
    item = evidence(EmployeeFactory(), CompetencyFactory(), 2)
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        Evidence.objects.filter(pk=item.pk).update(level=5)
    with pytest.raises(ProgrammingError, match="Cannot delete"), transaction.atomic():
        Evidence.objects.filter(pk=item.pk).delete()
    item.refresh_from_db()
    assert item.level == 2


def test_proficiency_is_the_highest_counting_level_valid_on_the_day() -> None:
    person, db = EmployeeFactory(), CompetencyFactory(code="DB-1")
    evidence(person, db, 2, achieved=dt.date(2020, 1, 1))
    evidence(person, db, 4, achieved=dt.date(2022, 1, 1), expires=dt.date(2024, 1, 1))
    assert levels(person, dt.date(2019, 12, 31)) == {}
    assert levels(person, dt.date(2021, 6, 1)) == {"DB-1": 2}
    assert levels(person, dt.date(2023, 12, 31)) == {"DB-1": 4}
    # The expiry date is the first day it no longer counts.
    assert levels(person, dt.date(2024, 1, 1)) == {"DB-1": 2}


def test_a_self_assessment_counts_only_once_validated() -> None:
    person, skill = EmployeeFactory(), CompetencyFactory(code="SELF-1")
    supervisor = UserFactory(username="atasan")
    claim = evidence(person, skill, 4, source="self_assessment")
    day = dt.date(2021, 1, 1)
    [entry] = selectors.proficiency_for_employee(employee=person, as_of=day)
    assert entry.level == 0
    assert entry.evidence == [claim]
    services.evidence_review(evidence=claim, reviewer=supervisor, validate=True)
    assert levels(person, day) == {"SELF-1": 4}


def test_levels_outside_one_to_five_are_refused() -> None:
    person, skill = EmployeeFactory(), CompetencyFactory()
    for bad in (0, 6, -1):
        with pytest.raises(InvalidLevelError):
            evidence(person, skill, bad)
    assert not Evidence.objects.exists()


def test_evidence_for_an_unknown_competency_code_is_refused() -> None:
    with pytest.raises(UnknownCompetencyError) as raised:
        services.competency_by_code("TIK-99")
    assert "TIK-99" in str(raised.value)
    assert raised.value.errors[0].field == "competency"


def test_expiry_must_follow_achievement() -> None:
    with pytest.raises(services.InvalidDateRangeError):
        evidence(
            EmployeeFactory(),
            CompetencyFactory(),
            2,
            achieved=dt.date(2022, 1, 1),
            expires=dt.date(2021, 1, 1),
        )

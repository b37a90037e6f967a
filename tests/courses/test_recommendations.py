"""Recommendations: the open courses that close each gap, fewest JP first, prerequisites included."""

from __future__ import annotations

import pytest
from django.utils import timezone

from competencies import selectors as competency_selectors
from competencies import services as competency_services
from competencies.models import Competency, Evidence
from courses import selectors
from courses.demo import take_course
from tests.competencies.factories import PositionFactory, require

# A course completed just after midnight WIB counts "as of today" (the city's today, not UTC's).
pytestmark = pytest.mark.awkward_hours


def test_the_shortest_path_includes_prerequisites(catalogue, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(8):
        [recommendation] = selectors.recommendations(
            employee=catalogue.learner, as_of=timezone.localdate()
        )
    assert recommendation.gap.code == "TIK-05" and recommendation.gap.gap == 3
    # Basics (4 JP) then Advanced (6 JP) beats the 12-JP express course.
    assert [c.slug for c in recommendation.path] == ["dasar-basis-data", "basis-data-lanjut"]
    assert recommendation.total_jp == 10
    assert recommendation.course == catalogue.advanced


def test_completed_prerequisites_shorten_the_path_and_a_closed_gap_needs_nothing(catalogue) -> None:
    take_course(catalogue.learner, catalogue.basics)
    [recommendation] = selectors.recommendations(
        employee=catalogue.learner, as_of=timezone.localdate()
    )
    assert [c.slug for c in recommendation.path] == ["basis-data-lanjut"]
    assert recommendation.total_jp == 6
    take_course(catalogue.learner, catalogue.advanced)
    # Level 3 is above what a course alone may award: the evidence waits for a reviewer, the
    # gap stays open, and no further course is suggested for it meanwhile.
    pending = Evidence.objects.get(employee=catalogue.learner, level=3)
    assert pending.status == "provisional"
    [held] = competency_selectors.employee_gaps(
        employee=catalogue.learner, as_of=timezone.localdate()
    )
    assert [row.gap for row in held.rows if row.code == "TIK-05"] == [1]
    assert selectors.recommendations(employee=catalogue.learner, as_of=timezone.localdate()) == []
    competency_services.evidence_review(evidence=pending, reviewer=None, validate=True)
    [held] = competency_selectors.employee_gaps(
        employee=catalogue.learner, as_of=timezone.localdate()
    )
    assert [row.gap for row in held.rows if row.code == "TIK-05"] == [0]


def test_recommendations_for_another_position_and_only_open_courses(catalogue) -> None:
    target = PositionFactory(title="Analis Keamanan")
    require(target, Competency.objects.get(code="TIK-13"), 2)
    require(target, catalogue.db, 1)
    # Only the closed course builds TIK-05 level 1, but the open ones build it higher.
    [recommendation] = selectors.recommendations(
        employee=catalogue.learner, as_of=timezone.localdate(), position=target
    )
    assert recommendation.gap.code == "TIK-05"
    assert recommendation.course == catalogue.basics
    # No course builds TIK-13: that gap has no recommendation (the AKPK suggests training).
    assert all(
        r.gap.code != "TIK-13"
        for r in selectors.recommendations(
            employee=catalogue.learner, as_of=timezone.localdate(), position=target
        )
    )

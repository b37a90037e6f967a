"""What a course completion records under the evidence policy (docs/EVIDENCE.md), through
HTTP: never a managerial level, and above the ceiling only provisional evidence."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from competencies.models import Competency, Evidence
from courses.models import CourseCompetency
from tests.courses.conftest import TEXT, make_course


def complete_through_the_site(catalogue, course) -> None:
    client = Client()
    client.force_login(catalogue.learner.user)
    assert client.post(f"/learn/courses/{course.pk}/enroll/").status_code == 302
    for lesson in course.get_children().live().specific():
        assert client.post(f"/learn/lessons/{lesson.pk}/done/").status_code == 302


def test_a_course_never_awards_managerial_evidence(catalogue) -> None:
    lead = Competency.objects.get(code="M.07")
    course = make_course(
        catalogue.index,
        "kepemimpinan-digital",
        jp=5,
        builds=[(catalogue.db, 2)],
        lessons=[("peran-pemimpin", [TEXT])],
    )
    # A course saved before the policy may still name a managerial competency.
    CourseCompetency.objects.create(course=course, competency=lead, level=3, sort_order=9)

    complete_through_the_site(catalogue, course)

    recorded = Evidence.objects.filter(employee=catalogue.learner)
    assert [(e.competency.code, e.level, e.status) for e in recorded] == [
        ("TIK-05", 2, "validated")
    ]


def test_wagtail_refuses_a_course_that_builds_a_managerial_competency(catalogue) -> None:
    link = CourseCompetency(
        course=catalogue.basics, competency=Competency.objects.get(code="M.07"), level=1
    )
    with pytest.raises(ValidationError) as raised:
        link.full_clean()
    assert "competency" in raised.value.message_dict


def test_course_evidence_above_the_ceiling_waits_for_a_reviewer(catalogue) -> None:
    complete_through_the_site(catalogue, catalogue.express)  # builds TIK-05 at level 3
    [evidence] = Evidence.objects.filter(employee=catalogue.learner)
    assert (evidence.level, evidence.status, evidence.counts) == (3, "provisional", False)
    page = Client()
    page.force_login(catalogue.learner.user)
    assert "badge-pending" in page.get("/me/competencies/").content.decode()

"""A civil servant's own pages: competencies against their position (and readiness for any
other position), position history, and certificates.

Each view asks the domain's selectors once per concern and renders; nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from certificates.links import verification_url
from certificates.selectors import certificates_for
from competencies import selectors
from competencies.access import employee_for_user
from competencies.models import Employee
from courses.models import CoursePage
from courses.selectors import Recommendation, recommendations
from frontend.forms import ReadinessForm
from providers.selectors import partner_suggestions


@dataclass
class CourseSuggestion:
    """A recommended course with every gap of the person it closes (the selector gives one
    recommendation per gap; one course often closes several)."""

    course: CoursePage
    path: list[CoursePage]
    total_jp: int
    gaps: list[selectors.GapRow] = field(default_factory=list)

    @property
    def prerequisites(self) -> list[CoursePage]:
        """The courses to take first (the path without the course itself)."""
        return self.path[:-1]


def by_course(items: Iterable[Recommendation]) -> list[CourseSuggestion]:
    """The recommendations grouped by course, in the selector's order (shortest path first)."""
    grouped: dict[int, CourseSuggestion] = {}
    for item in items:
        if item.course is None:
            continue
        entry = grouped.setdefault(
            item.course.pk, CourseSuggestion(item.course, item.path, item.total_jp)
        )
        entry.gaps.append(item.gap)
    return list(grouped.values())


def employee_or_403(request: HttpRequest) -> Employee:
    employee = employee_for_user(user=request.user)
    if employee is None:
        raise PermissionDenied(
            _("Your login is not linked to an employee record; ask HR to link it.")
        )
    return employee


@never_cache
@login_required
@require_GET
def my_competencies(request: HttpRequest) -> HttpResponse:
    """Proficiency against the current position's requirements, the gap and the evidence
    behind each level; with ``?position=<id>``, readiness for that position instead."""
    employee = employee_or_403(request)
    today = timezone.localdate()
    form = ReadinessForm(request.GET or None)
    target = form.cleaned_data.get("position") if form.is_valid() else None
    held = selectors.employee_gaps(employee=employee, as_of=today)
    readiness = (
        selectors.employee_readiness(employee=employee, position=target, as_of=today)
        if target is not None
        else None
    )
    proficiency = {
        p.competency.pk: p
        for p in selectors.proficiency_for_employee(employee=employee, as_of=today)
    }
    shown = [readiness] if readiness is not None else held
    required_ids = {row.competency_id for gaps in shown for row in gaps.rows}
    return render(
        request,
        "frontend/my_competencies.html",
        {
            "employee": employee,
            "today": today,
            "held": held,
            "readiness": readiness,
            "target": target,
            "form": form,
            "proficiency": proficiency,
            "other_proficiency": [
                p for cid, p in proficiency.items() if cid not in required_ids and p.level
            ],
            "suggestions": by_course(
                recommendations(employee=employee, as_of=today, position=target)
            ),
            "partner_suggestions": partner_suggestions(
                gaps=[row for gaps in shown for row in gaps.rows], day=today
            ),
        },
    )


@never_cache
@login_required
@require_GET
def my_history(request: HttpRequest) -> HttpResponse:
    """The position history (rotations, promotions, acting posts) with dates and units, and
    what supervisors and HR decided about the person's evidence."""
    employee = employee_or_403(request)
    return render(
        request,
        "frontend/my_history.html",
        {
            "employee": employee,
            "today": timezone.localdate(),
            "assignments": selectors.assignment_history(employee=employee),
            "reviews": selectors.evidence_reviews_of(employee=employee)[:50],
        },
    )


@never_cache
@login_required
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    """Certificates with their PDF and the public verification link to share."""
    employee = employee_or_403(request)
    certificates = list(certificates_for(employee=employee))
    return render(
        request,
        "frontend/my_certificates.html",
        {
            "employee": employee,
            "certificates": [(c, verification_url(c)) for c in certificates],
        },
    )

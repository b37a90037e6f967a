"""Reads of development plans: a person's plan with its progress, who may sign it, a unit's
plans for the head, the city's status for HR, and the agreed goals that feed the AKPK.

Progress is computed, never stored. The rule "an activity is done" is written once, as an SQL
fragment (``ACTIVITY_DONE``) and its ORM twin (``activity_done``; a test proves they agree):
an activity on a Tangkas course is done when the person's enrollment in that course is
completed (``courses.Enrollment``), one on a partner offering when HR recorded the
completion of their request (``providers.OfferingRequest``), any other (coaching, an
assignment) when the supervisor confirmed it (``PlanActivity.confirmed_on``). It is read in the same statement as the activities, so a
list asks a fixed number of queries however many activities it shows.

Who signs follows the post on the day (``competencies.access.head_assignments_on``): a head
whose unit is, or is above, the unit of a post the person holds that day. A head who rotated
out is no longer among them, the day their assignment ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from competencies.access import AnyUser, head_assignments_on
from competencies.models import Assignment, Employee, OrgUnit
from competencies.selectors._sql import DEFINITIVE_HOLDING, params, rows
from courses.models import Enrollment, EnrollmentStatus
from development.models import (
    DevelopmentPlan,
    PlanActivity,
    PlanGoal,
    PlanStatus,
    PlanTransition,
)
from providers.models import OfferingRequest, RequestStatus

User = get_user_model()

#: Activity ``pa`` of plan ``dp`` is done (SQL): the supervisor confirmed it, the person
#: completed its course, or HR recorded the completion of their request of its partner
#: offering. Only an activity of that kind names a course or an offering, and only another
#: kind is confirmed (check constraints). Same rule as ``activity_done()``.
ACTIVITY_DONE = (
    "(pa.confirmed_on IS NOT NULL"
    " OR EXISTS (SELECT 1 FROM courses_enrollment e"
    " WHERE e.employee_id = dp.employee_id AND e.course_id = pa.course_id"
    " AND e.status = 'completed')"
    " OR EXISTS (SELECT 1 FROM providers_offeringrequest r"
    " WHERE r.employee_id = dp.employee_id AND r.offering_id = pa.offering_id"
    " AND r.status = 'completed'))"
)


def activity_done() -> ExpressionWrapper:
    """An expression for ``PlanActivity`` querysets: the activity is done. Same rule as
    ``ACTIVITY_DONE``."""
    completed_course = Exists(
        Enrollment.objects.filter(
            employee_id=OuterRef("plan__employee_id"),
            course_id=OuterRef("course_id"),
            status=EnrollmentStatus.COMPLETED,
        )
    )
    completed_offering = Exists(
        OfferingRequest.objects.filter(
            employee_id=OuterRef("plan__employee_id"),
            offering_id=OuterRef("offering_id"),
            status=RequestStatus.COMPLETED,
        )
    )
    return ExpressionWrapper(
        Q(confirmed_on__isnull=False) | completed_course | completed_offering,
        output_field=BooleanField(),
    )


# --- One plan -------------------------------------------------------------------------------


def plan_for(*, employee: Employee, year: int) -> DevelopmentPlan | None:
    return (
        DevelopmentPlan.objects.filter(employee=employee, year=year)
        .select_related("employee", "supervisor")
        .first()
    )


def plan_get(*, plan_id: int) -> DevelopmentPlan | None:
    return (
        DevelopmentPlan.objects.filter(pk=plan_id).select_related("employee", "supervisor").first()
    )


@dataclass
class PlanView:
    plan: DevelopmentPlan
    goals: list[PlanGoal]
    activities: list[PlanActivity]
    transitions: list[PlanTransition]
    today: dt.date

    @property
    def done_count(self) -> int:
        return sum(1 for a in self.activities if a.done)

    @property
    def overdue(self) -> list[PlanActivity]:
        return [a for a in self.activities if not a.done and a.target_date < self.today]

    @property
    def progress_pct(self) -> int:
        return round(100 * self.done_count / len(self.activities)) if self.activities else 0


def plan_view(*, plan: DevelopmentPlan, today: dt.date) -> PlanView:
    """The plan with its goals, its activities (each with ``done`` and ``overdue``) and its
    history of states (three queries)."""
    goals = list(PlanGoal.objects.filter(plan=plan).select_related("competency", "target_position"))
    activities = list(
        PlanActivity.objects.filter(plan=plan)
        .select_related("goal__competency", "course", "offering__provider", "confirmed_by")
        .annotate(done=activity_done())
    )
    for activity in activities:
        activity.overdue = not activity.done and activity.target_date < today
    transitions = list(PlanTransition.objects.filter(plan=plan).select_related("actor"))
    return PlanView(plan, goals, activities, transitions, today)


# --- Who signs ------------------------------------------------------------------------------


def _unit_prefixes(*, employee_id: int, day: dt.date) -> set[str]:
    """The paths of the units of the person's posts on ``day`` and of every unit above them."""
    paths = Assignment.objects.active_on(day).filter(employee_id=employee_id)
    step = OrgUnit.steplen
    return {
        path[:end]
        for path in paths.values_list("position__org_unit__path", flat=True)
        for end in range(step, len(path) + 1, step)
    }


def may_sign(*, user: AnyUser, plan: DevelopmentPlan, day: dt.date) -> bool:
    """Whether ``user`` may sign (agree) or return ``plan`` on ``day``: they head, that day, the
    unit of a post the person holds or a unit above it; never the person themselves."""
    if not user.is_authenticated or plan.employee.user_id == user.pk:
        return False
    prefixes = _unit_prefixes(employee_id=plan.employee_id, day=day)
    return (
        bool(prefixes)
        and head_assignments_on(user=user, day=day)
        .filter(position__org_unit__path__in=prefixes)
        .exists()
    )


def plan_signer_ids(*, employee_id: int, day: dt.date) -> list[int]:
    """The users who may sign the person's plan on ``day`` (``may_sign``), for telling them a
    plan waits. A query per candidate head, and a person has a handful above them."""
    prefixes = _unit_prefixes(employee_id=employee_id, day=day)
    candidates = (
        User.objects.filter(
            employee__assignments__in=Assignment.objects.active_on(day).filter(
                position__is_head=True, position__org_unit__path__in=prefixes
            )
        )
        .exclude(employee__id=employee_id)
        .distinct()
    )
    return sorted(
        user.pk
        for user in candidates
        if head_assignments_on(user=user, day=day)
        .filter(position__org_unit__path__in=prefixes)
        .exists()
    )


# --- A unit's plans -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    employee_id: int
    name: str
    position_title: str
    unit_name: str
    plan_id: int | None
    status: str | None
    activities: int
    done: int
    overdue: int

    @property
    def status_label(self) -> str:
        return str(PlanStatus(self.status).label) if self.status else ""


UNIT_PLANS_SQL = f"""
    WITH holders AS (
        SELECT DISTINCT ON (a.employee_id) a.employee_id, p.title, u.name AS unit_name
        FROM competencies_assignment a
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE starts_with(u.path, %(path)s) AND {DEFINITIVE_HOLDING}
        ORDER BY a.employee_id, u.path, p.id
    ),
    progress AS (
        SELECT pa.plan_id, count(*) AS total,
               count(*) FILTER (WHERE {ACTIVITY_DONE}) AS done,
               count(*) FILTER (WHERE NOT {ACTIVITY_DONE} AND pa.target_date < %(today)s) AS overdue
        FROM development_planactivity pa
        JOIN development_developmentplan dp ON dp.id = pa.plan_id
        WHERE dp.year = %(year)s AND dp.employee_id IN (SELECT employee_id FROM holders)
        GROUP BY pa.plan_id
    )
    SELECT h.employee_id, e.name, h.title, h.unit_name, dp.id, dp.status,
           coalesce(pr.total, 0), coalesce(pr.done, 0), coalesce(pr.overdue, 0)
    FROM holders h
    JOIN competencies_employee e ON e.id = h.employee_id
    LEFT JOIN development_developmentplan dp ON dp.employee_id = h.employee_id AND dp.year = %(year)s
    LEFT JOIN progress pr ON pr.plan_id = dp.id
    ORDER BY e.name, h.employee_id
"""  # noqa: S608 (only constant fragments are formatted in; every value is a parameter)


def unit_plan_rows(*, org_unit: OrgUnit, year: int, today: dt.date) -> list[PlanRow]:
    """Everyone holding a post today in the subtree of ``org_unit`` with their plan for ``year``
    (or none), its activities, how many are done and how many are overdue (past their target
    date, not done). One query."""
    return [
        PlanRow(*row)
        for row in rows(
            UNIT_PLANS_SQL, params(path=org_unit.path, day=today, today=today, year=year)
        )
    ]


@dataclass(frozen=True)
class StatusRow:
    unit_id: int
    unit_name: str
    people: int
    without_plan: int
    in_progress: int
    submitted: int
    agreed: int
    overdue: int


STATUS_SQL = f"""
    WITH holders AS (
        SELECT DISTINCT a.employee_id, substr(u.path, 1, %(child_len)s) AS child_path
        FROM competencies_assignment a
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE starts_with(u.path, %(path)s) AND u.depth > %(depth)s AND {DEFINITIVE_HOLDING}
    ),
    plans AS (
        SELECT dp.id, dp.employee_id, dp.status,
               EXISTS (SELECT 1 FROM development_planactivity pa
                       WHERE pa.plan_id = dp.id AND pa.target_date < %(today)s
                         AND NOT {ACTIVITY_DONE}) AS overdue
        FROM development_developmentplan dp
        WHERE dp.year = %(year)s AND dp.employee_id IN (SELECT employee_id FROM holders)
    )
    SELECT t.id, coalesce(nullif(t.short_name, ''), t.name),
           count(*),
           count(*) FILTER (WHERE pl.id IS NULL),
           count(*) FILTER (WHERE pl.status IN ('draft', 'returned')),
           count(*) FILTER (WHERE pl.status = 'submitted'),
           count(*) FILTER (WHERE pl.status = 'agreed'),
           count(*) FILTER (WHERE pl.overdue)
    FROM holders h
    JOIN competencies_orgunit t ON t.path = h.child_path
    LEFT JOIN plans pl ON pl.employee_id = h.employee_id
    GROUP BY t.id, t.name, t.short_name, t.path
    ORDER BY t.path
"""  # noqa: S608 (only constant fragments are formatted in; every value is a parameter)


def plan_status_by_child_unit(*, org_unit: OrgUnit, year: int, today: dt.date) -> list[StatusRow]:
    """For each unit directly under ``org_unit`` (for the city: each perangkat daerah), how
    many people hold a post in it today, how many have no plan for ``year``, a plan being
    written or returned, one waiting for the supervisor, an agreed one, and one with an overdue
    activity. One query, whatever the size of the organisation."""
    return [
        StatusRow(*row)
        for row in rows(
            STATUS_SQL,
            params(
                path=org_unit.path,
                depth=org_unit.depth,
                child_len=(org_unit.depth + 1) * OrgUnit.steplen,
                day=today,
                today=today,
                year=year,
            ),
        )
    ]


# --- Feeding the AKPK -----------------------------------------------------------------------


@dataclass(frozen=True)
class AgreedGoal:
    """A goal of an agreed plan, for the next AKPK draft (``planning``)."""

    competency_id: int
    target_level: int
    target_date: dt.date
    activity_kinds: tuple[str, ...]
    activity_titles: tuple[str, ...]


def agreed_goals(*, year: int, employee_ids: Iterable[int]) -> dict[int, list[AgreedGoal]]:
    """The goals of the agreed plans of ``year`` of these people, by employee id, each with the
    kinds and titles of its activities (in target-date order). One query; a person without an
    agreed plan for the year is not in the result."""
    ids = list(employee_ids)
    if not ids:
        return {}
    ordering = ("activities__target_date", "activities__id")
    goals = (
        PlanGoal.objects.filter(
            plan__year=year, plan__status=PlanStatus.AGREED, plan__employee_id__in=ids
        )
        .annotate(
            kinds=ArrayAgg(
                "activities__kind",
                filter=Q(activities__isnull=False),
                order_by=ordering,
                default=[],
            ),
            titles=ArrayAgg(
                "activities__title",
                filter=Q(activities__isnull=False),
                order_by=ordering,
                default=[],
            ),
        )
        .values_list(
            "plan__employee_id", "competency_id", "target_level", "target_date", "kinds", "titles"
        )
        .order_by("plan__employee_id", "target_date", "competency_id")
    )
    result: dict[int, list[AgreedGoal]] = {}
    for employee_id, competency_id, level, target_date, kinds, titles in goals:
        result.setdefault(employee_id, []).append(
            AgreedGoal(competency_id, level, target_date, tuple(kinds), tuple(titles))
        )
    return result


def plans_of(*, employee: Employee) -> QuerySet[DevelopmentPlan]:
    """A person's plans, newest year first."""
    return DevelopmentPlan.objects.filter(employee=employee).order_by("-year")

"""Writes of development plans. Every change goes through one of these functions.

Each takes keyword-only arguments, runs in a transaction, locks the plan row before it reads
its state (two clicks at once change it once), checks who may act, and records every change of
state as a ``PlanTransition``. ``plan_transitioned`` is sent after the commit, so a listener
never reads a state that was rolled back.

Who may do what:

- the person (the plan's ``employee``) creates the plan, changes its goals and activities while
  it is a draft or returned, and signs it (``plan_submit``);
- the head of one of the person's units on the day (``selectors.may_sign``) agrees it
  (``plan_agree``, signing it too) or returns it with a comment (``plan_return``);
- an agreed plan is read-only for everyone, except that the head of the person's unit on the
  day confirms the activities Tangkas does not record (coaching, an assignment) when they are
  done (``activity_confirm``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competencies import selectors as competency_selectors
from competencies.models import Competency, Employee, Position
from core import dates
from core.exceptions import FieldError
from courses.models import CoursePage
from development import selectors
from development.exceptions import (
    ActivityNotConfirmableError,
    NotPlanOwnerError,
    NotPlanSupervisorError,
    PlanExistsError,
    PlanInputError,
    PlanNotEditableError,
    PlanStateError,
)
from development.models import (
    ActivityKind,
    DevelopmentPlan,
    GoalOrigin,
    PlanActivity,
    PlanGoal,
    PlanStatus,
    PlanTransition,
)
from development.signals import plan_transitioned
from providers.models import Offering


def _locked(plan: DevelopmentPlan) -> DevelopmentPlan:
    return (
        DevelopmentPlan.objects.select_for_update(of=("self",))
        .select_related("employee")
        .get(pk=plan.pk)
    )


def _check_owner(plan: DevelopmentPlan, actor: Any) -> None:
    if plan.employee.user_id is None or plan.employee.user_id != actor.pk:
        raise NotPlanOwnerError()


def _check_editable(plan: DevelopmentPlan) -> None:
    if not plan.is_editable:
        raise PlanNotEditableError()


def _transition(
    plan: DevelopmentPlan, *, to_status: str, actor: Any, comment: str = ""
) -> PlanTransition:
    transition = PlanTransition.objects.create(
        plan=plan, from_status=plan.status, to_status=to_status, actor=actor, comment=comment
    )
    plan.status = to_status
    return transition


def _announce(plan: DevelopmentPlan, transition: PlanTransition) -> None:
    plan_id, transition_id, status = plan.pk, transition.pk, transition.to_status
    transaction.on_commit(
        lambda: plan_transitioned.send(
            sender=DevelopmentPlan,
            plan_id=plan_id,
            transition_id=transition_id,
            to_status=status,
        )
    )


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _check_date(value: dt.date, year: int, field: str) -> None:
    if value.year != year:
        raise PlanInputError(
            errors=[
                FieldError(
                    field,
                    _("Choose a date in %(year)s, the year of the plan.") % {"year": year},
                    "date_outside_plan_year",
                )
            ]
        )


@transaction.atomic
def plan_create(
    *, employee: Employee, year: int, actor: Any, today: dt.date | None = None
) -> DevelopmentPlan:
    """Start the person's plan for ``year`` as a draft, its goals filled in from the counted
    gaps of the posts they hold today (one goal per competency, the highest level required),
    each due at the end of the year. Only the person may start it; once a year."""
    today = today or dates.today()
    if employee.user_id is None or employee.user_id != actor.pk:
        raise NotPlanOwnerError()
    try:
        with transaction.atomic():
            plan = DevelopmentPlan.objects.create(employee=employee, year=year)
    except IntegrityError as exc:
        raise PlanExistsError() from exc
    targets: dict[int, int] = {}
    for position_gaps in competency_selectors.employee_gaps(employee=employee, as_of=today):
        for row in position_gaps.rows:
            if row.gap > 0:
                targets[row.competency_id] = max(
                    targets.get(row.competency_id, 0), row.required_level
                )
    PlanGoal.objects.bulk_create(
        PlanGoal(
            plan=plan,
            competency_id=competency_id,
            target_level=level,
            origin=GoalOrigin.GAP,
            target_date=_year_end(year),
        )
        for competency_id, level in sorted(targets.items())
    )
    PlanTransition.objects.create(
        plan=plan, from_status="", to_status=PlanStatus.DRAFT, actor=actor
    )
    return plan


@transaction.atomic
def goal_add(
    *,
    plan: DevelopmentPlan,
    actor: Any,
    competency: Competency,
    target_level: int,
    target_date: dt.date,
    target_position: Position | None = None,
) -> PlanGoal:
    """Add a goal: a competency and the level to reach by ``target_date``; for a target
    position (a post the person prepares for) when ``target_position`` is given."""
    plan = _locked(plan)
    _check_owner(plan, actor)
    _check_editable(plan)
    errors = []
    if not 1 <= target_level <= 5:
        errors.append(FieldError("target_level", _("Choose a level from 1 to 5."), "invalid_level"))
    if PlanGoal.objects.filter(plan=plan, competency=competency).exists():
        errors.append(
            FieldError(
                "competency",
                _("The plan already has a goal for this competency; change that one."),
                "duplicate_goal",
            )
        )
    if errors:
        raise PlanInputError(errors=errors)
    _check_date(target_date, plan.year, "target_date")
    goal = PlanGoal(
        plan=plan,
        competency=competency,
        target_level=target_level,
        origin=GoalOrigin.TARGET_POSITION if target_position else GoalOrigin.OTHER,
        target_position=target_position,
        target_date=target_date,
    )
    goal.full_clean()
    goal.save()
    DevelopmentPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    return goal


@transaction.atomic
def goal_remove(*, plan: DevelopmentPlan, actor: Any, goal_id: int) -> None:
    """Remove a goal; its activities stay in the plan, tied to no goal."""
    plan = _locked(plan)
    _check_owner(plan, actor)
    _check_editable(plan)
    deleted, _rows = PlanGoal.objects.filter(plan=plan, pk=goal_id).delete()
    if not deleted:
        raise PlanInputError(errors=[FieldError("goal", _("That goal is not in this plan."))])


@transaction.atomic
def activity_add(
    *,
    plan: DevelopmentPlan,
    actor: Any,
    kind: str,
    target_date: dt.date,
    title: str = "",
    course: CoursePage | None = None,
    offering: Offering | None = None,
    goal: PlanGoal | None = None,
) -> PlanActivity:
    """Add an activity. A Tangkas course names the course, a partner training the partner
    offering (the title is theirs unless given); any other kind needs a title."""
    plan = _locked(plan)
    _check_owner(plan, actor)
    _check_editable(plan)
    errors = []
    if kind not in ActivityKind.values:
        errors.append(FieldError("kind", _("Choose a kind of activity from the list.")))
    if kind == ActivityKind.COURSE and course is None:
        errors.append(FieldError("course", _("Choose the Tangkas course."), "course_required"))
    if kind == ActivityKind.OFFERING and offering is None:
        errors.append(
            FieldError("offering", _("Choose the partner offering."), "offering_required")
        )
    if kind != ActivityKind.COURSE:
        course = None
    if kind != ActivityKind.OFFERING:
        offering = None
    if kind not in (ActivityKind.COURSE, ActivityKind.OFFERING) and not title.strip():
        errors.append(FieldError("title", _("Say what the activity is."), "title_required"))
    if goal is not None and goal.plan_id != plan.pk:
        errors.append(FieldError("goal", _("That goal is not in this plan.")))
    if errors:
        raise PlanInputError(errors=errors)
    _check_date(target_date, plan.year, "target_date")
    activity = PlanActivity(
        plan=plan,
        goal=goal,
        kind=kind,
        course=course,
        offering=offering,
        title=(title.strip() or (course or offering).title)[:300],
        target_date=target_date,
    )
    activity.full_clean()
    activity.save()
    DevelopmentPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    return activity


@transaction.atomic
def activity_remove(*, plan: DevelopmentPlan, actor: Any, activity_id: int) -> None:
    plan = _locked(plan)
    _check_owner(plan, actor)
    _check_editable(plan)
    deleted, _rows = PlanActivity.objects.filter(plan=plan, pk=activity_id).delete()
    if not deleted:
        raise PlanInputError(
            errors=[FieldError("activity", _("That activity is not in this plan."))]
        )


@transaction.atomic
def plan_submit(*, plan: DevelopmentPlan, actor: Any, comment: str = "") -> DevelopmentPlan:
    """The person signs the plan (a draft or a returned one) and hands it to the supervisor.
    A plan needs at least one goal and one activity."""
    plan = _locked(plan)
    _check_owner(plan, actor)
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise PlanStateError()
    errors = []
    if not PlanGoal.objects.filter(plan=plan).exists():
        errors.append(FieldError("goals", _("Add at least one goal before you sign."), "no_goals"))
    if not PlanActivity.objects.filter(plan=plan).exists():
        errors.append(
            FieldError(
                "activities", _("Add at least one activity before you sign."), "no_activities"
            )
        )
    if errors:
        raise PlanInputError(errors[0].message, errors=errors)
    transition = _transition(plan, to_status=PlanStatus.SUBMITTED, actor=actor, comment=comment)
    plan.employee_signed_at = timezone.now()
    plan.save(update_fields=["status", "employee_signed_at", "updated_at"])
    _announce(plan, transition)
    return plan


def _supervisor_step(plan: DevelopmentPlan, actor: Any, today: dt.date | None) -> DevelopmentPlan:
    plan = _locked(plan)
    if plan.status != PlanStatus.SUBMITTED:
        raise PlanStateError()
    if not selectors.may_sign(user=actor, plan=plan, day=today or dates.today()):
        raise NotPlanSupervisorError()
    return plan


@transaction.atomic
def plan_agree(
    *, plan: DevelopmentPlan, actor: Any, comment: str = "", today: dt.date | None = None
) -> DevelopmentPlan:
    """The supervisor signs the plan: it is agreed, and read-only from now on."""
    plan = _supervisor_step(plan, actor, today)
    transition = _transition(plan, to_status=PlanStatus.AGREED, actor=actor, comment=comment)
    plan.supervisor = actor
    plan.supervisor_signed_at = timezone.now()
    plan.save(update_fields=["status", "supervisor", "supervisor_signed_at", "updated_at"])
    _announce(plan, transition)
    return plan


@transaction.atomic
def plan_return(
    *, plan: DevelopmentPlan, actor: Any, comment: str, today: dt.date | None = None
) -> DevelopmentPlan:
    """The supervisor returns the plan with a comment saying what to change; the person's
    signature is withdrawn, they change the plan and sign it again."""
    if not comment.strip():
        raise PlanInputError(
            _("Say what should change in the plan."),
            errors=[
                FieldError("comment", _("Say what should change in the plan."), "comment_required")
            ],
        )
    plan = _supervisor_step(plan, actor, today)
    transition = _transition(
        plan, to_status=PlanStatus.RETURNED, actor=actor, comment=comment.strip()
    )
    plan.employee_signed_at = None
    plan.save(update_fields=["status", "employee_signed_at", "updated_at"])
    _announce(plan, transition)
    return plan


@transaction.atomic
def activity_confirm(
    *, plan: DevelopmentPlan, actor: Any, activity_id: int, today: dt.date | None = None
) -> PlanActivity:
    """The supervisor confirms that an activity Tangkas does not record (coaching, an
    assignment, anything else) on the person's agreed plan is done, on ``today``. Courses and
    partner training are done when completed, and are not confirmed by hand."""
    today = today or dates.today()
    plan = _locked(plan)
    if plan.status != PlanStatus.AGREED:
        raise PlanStateError()
    if not selectors.may_sign(user=actor, plan=plan, day=today):
        raise NotPlanSupervisorError()
    activity = PlanActivity.objects.filter(plan=plan, pk=activity_id).first()
    if activity is None or not activity.needs_confirmation or activity.confirmed_on is not None:
        raise ActivityNotConfirmableError()
    activity.confirmed_on = today
    activity.confirmed_by = actor
    activity.save(update_fields=["confirmed_on", "confirmed_by"])
    return activity

"""Writes of the AKPK workflow: generate a draft from the counted gaps, edit its rows, move it
through its states (``planning.rules`` says who may), and open a new revision of an approved
one. Each runs in one transaction and records who did what in ``AkpkTransition``; a change of
state is announced after commit (``planning.signals.akpk_transitioned``)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competencies.access import AnyUser, employee_for_user
from competencies.models import Employee, OrgUnit, OrgUnitKind
from competencies.selectors.akpk import akpk_iter
from core import dates
from core.exceptions import FieldError, NotFoundError, ValidationError
from courses.models import CourseCompetency
from development.selectors import agreed_goals
from planning import rules
from planning.exceptions import (
    AkpkActionNotAllowedError,
    AkpkExistsError,
    AkpkFrozenError,
    InvalidTransitionError,
)
from planning.models import (
    AkpkAction,
    AkpkPlan,
    AkpkRow,
    AkpkState,
    AkpkTransition,
    DevelopmentForm,
    DevelopmentPath,
    Priority,
)
from planning.signals import akpk_transitioned
from providers.selectors import OfferingOption, offerings_by_competency


@dataclass(frozen=True)
class FormDefault:
    path: str
    jp_hours: int
    cost: int  # rupiah per person


#: What a form of development costs and takes by default, before the head adjusts it: a
#: classical training of 3 days (24 JP) at about the city's standard cost (SBM) for a
#: participant, a coaching or mentoring of 8 JP without a fee.
FORM_DEFAULTS: dict[str, FormDefault] = {
    DevelopmentForm.TRAINING: FormDefault(DevelopmentPath.CLASSICAL, 24, 3_500_000),
    DevelopmentForm.E_LEARNING: FormDefault(DevelopmentPath.NON_CLASSICAL, 10, 0),
    DevelopmentForm.SEMINAR: FormDefault(DevelopmentPath.CLASSICAL, 8, 1_000_000),
    DevelopmentForm.COACHING: FormDefault(DevelopmentPath.NON_CLASSICAL, 8, 0),
    DevelopmentForm.MENTORING: FormDefault(DevelopmentPath.NON_CLASSICAL, 8, 0),
    DevelopmentForm.SECONDMENT: FormDefault(DevelopmentPath.NON_CLASSICAL, 40, 2_000_000),
    DevelopmentForm.COURSE: FormDefault(DevelopmentPath.CLASSICAL, 16, 2_500_000),
}


def _actor_label(user: AnyUser | None, client_id: str) -> str:
    if user is None:
        return f"API: {client_id}"
    employee = employee_for_user(user=user)
    if employee is not None:
        return employee.name
    return user.get_full_name() or user.get_username()


def _record(
    *,
    plan: AkpkPlan,
    action: str,
    from_state: str,
    user: AnyUser | None,
    client_id: str = "",
    comment: str = "",
) -> AkpkTransition:
    return AkpkTransition.objects.create(
        plan=plan,
        action=action,
        from_state=from_state,
        to_state=plan.state,
        actor=user if user is not None and user.is_authenticated else None,
        actor_label=_actor_label(user, client_id),
        client_id=client_id,
        comment=comment,
    )


def _courses_for(competency_ids: set[int]) -> dict[int, list[tuple[int, int, int]]]:
    """For each competency: (level it builds, JP, course id) of the open, live Tangkas courses
    that build it, fewest JP first. One query."""
    links = (
        CourseCompetency.objects.filter(
            competency_id__in=competency_ids, course__live=True, course__is_open=True
        )
        .order_by("competency_id", "course__jp_hours", "course__path")
        .values_list("competency_id", "level", "course__jp_hours", "course_id")
    )
    found: dict[int, list[tuple[int, int, int]]] = {}
    for competency_id, level, jp, course_id in links:
        found.setdefault(competency_id, []).append((level, jp, course_id))
    return found


def default_plan_for(
    *,
    gap: int,
    kind: str,
    required_level: int,
    courses: list[tuple[int, int, int]],
    offerings: Sequence[OfferingOption] = (),
) -> dict[str, Any]:
    """The development a counted gap gets in a new draft: the Tangkas course with the fewest
    JP that builds the competency to the required level (an e-learning, free) for a gap of
    one level; else the cheapest partner offering that builds it to that level, with its form,
    path, JP and cost; else a classical training for a gap of two levels or more, e-learning
    for a technical gap of one level, and coaching for a managerial or socio-cultural one
    (``suggested_development``'s rule) at ``FORM_DEFAULTS``."""
    course = next((c for c in courses if c[0] >= required_level), None)
    offering = next((o for o in offerings if o.level >= required_level), None)
    if offering is not None and (course is None or gap >= 2):
        return {
            "development_form": offering.form,
            "path": offering.path,
            "course_id": None,
            "offering_id": offering.id,
            "jp_hours": math.ceil(offering.jp),
            "estimated_cost": int(offering.cost),
        }
    if course is not None and gap < 2:
        form = DevelopmentForm.E_LEARNING
        return {
            "development_form": form,
            "path": FORM_DEFAULTS[form].path,
            "course_id": course[2],
            "jp_hours": course[1],
            "estimated_cost": 0,
        }
    if gap >= 2:
        form = DevelopmentForm.TRAINING
    elif kind == "teknis":
        form = DevelopmentForm.E_LEARNING
    else:
        form = DevelopmentForm.COACHING
    default = FORM_DEFAULTS[form]
    return {
        "development_form": form,
        "path": default.path,
        "course_id": course[2] if course is not None else None,
        "jp_hours": default.jp_hours,
        "estimated_cost": default.cost,
    }


def _priority(*, gap: int, critical: bool) -> int:
    if critical:
        return Priority.HIGH
    return Priority.MEDIUM if gap >= 2 else Priority.LOW


@transaction.atomic
def akpk_plan_generate(
    *, org_unit: OrgUnit, year: int, user: AnyUser, day: dt.date | None = None
) -> AkpkPlan:
    """A new draft AKPK (revision 1, or the next after the approved ones) of ``org_unit`` for
    ``year``, one row per counted gap of the unit's people (``akpk_iter``), with a default
    form, path, course, JP, cost, quarter and priority. A fixed number of queries whatever the
    size of the unit: one read of the gaps, one of the people, one of the courses, one of the
    agreed development plans, one insert.
    """
    day = day or dates.today()
    if org_unit.kind != OrgUnitKind.REGIONAL_BODY:
        raise ValidationError(
            errors=[FieldError("org_unit", _("An AKPK is made per perangkat daerah."), "invalid")]
        )
    if not 2000 <= year <= 2100:
        raise ValidationError(
            errors=[
                FieldError("year", _("Choose a planning year between 2000 and 2100."), "invalid")
            ]
        )
    plan = AkpkPlan(org_unit=org_unit, year=year, gaps_as_of=day)
    if not rules.may_edit(user=user, plan=plan, day=day):
        raise AkpkActionNotAllowedError()
    if (
        AkpkPlan.objects.filter(org_unit=org_unit, year=year)
        .exclude(state=AkpkState.APPROVED)
        .exists()
    ):
        raise AkpkExistsError()
    last = AkpkPlan.objects.filter(org_unit=org_unit, year=year).aggregate(last=Max("revision"))
    plan.revision = (last["last"] or 0) + 1
    plan.previous = (
        AkpkPlan.objects.filter(org_unit=org_unit, year=year, revision=last["last"]).first()
        if last["last"]
        else None
    )
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # another generate won the race
        raise AkpkExistsError() from exc
    gaps = list(akpk_iter(org_unit=org_unit, year=year, as_of=day))
    people = {
        pk: (nip, rank)
        for pk, nip, rank in Employee.objects.filter(
            pk__in={gap.employee_id for gap in gaps}
        ).values_list("pk", "nip", "rank")
    }
    competency_ids = {gap.competency_id for gap in gaps}
    courses = _courses_for(competency_ids) if gaps else {}
    offerings = offerings_by_competency(competency_ids=competency_ids, day=day) if gaps else {}
    # The development plans people agreed with their supervisors for the year feed the draft:
    # a gap a person and their head agreed to close is planned first, in the quarter of its
    # target date (development.selectors.agreed_goals, one query).
    agreed = {
        (employee_id, goal.competency_id): goal
        for employee_id, goals in agreed_goals(year=year, employee_ids=people).items()
        for goal in goals
    }
    rows = []
    for order, gap in enumerate(gaps):
        priority = _priority(gap=gap.gap, critical=gap.is_critical)
        quarter = priority  # the urgent first: high in Q1, low in Q3
        goal = agreed.get((gap.employee_id, gap.competency_id))
        if goal is not None:
            priority = Priority.HIGH
            if goal.target_date is not None and goal.target_date.year == year:
                quarter = (goal.target_date.month - 1) // 3 + 1
        nip, rank = people[gap.employee_id]
        rows.append(
            AkpkRow(
                plan=plan,
                employee_id=gap.employee_id,
                nip=nip,
                name=gap.name,
                rank=rank,
                position_title=gap.position_title,
                unit_name=gap.org_unit_name,
                competency_id=gap.competency_id,
                competency_code=gap.code,
                competency_name=gap.competency_name,
                kind=gap.kind,
                required_level=gap.required_level,
                current_level=gap.proficiency,
                gap=gap.gap,
                is_critical=gap.is_critical,
                planned_quarter=quarter,
                priority=priority,
                position=order,
                **default_plan_for(
                    gap=gap.gap,
                    kind=gap.kind,
                    required_level=gap.required_level,
                    courses=courses.get(gap.competency_id, []),
                    offerings=offerings.get(gap.competency_id, []),
                ),
            )
        )
    AkpkRow.objects.bulk_create(rows, batch_size=2000)
    _record(plan=plan, action=AkpkAction.GENERATE, from_state="", user=user)
    return plan


def _check_editable(*, plan: AkpkPlan, user: AnyUser, day: dt.date) -> None:
    if plan.state != AkpkState.DRAFT:
        raise AkpkFrozenError()
    if not rules.may_edit(user=user, plan=plan, day=day):
        raise AkpkActionNotAllowedError()


#: The columns of a row the head edits.
EDITABLE = (
    "development_form",
    "path",
    "course",
    "offering",
    "planned_quarter",
    "jp_hours",
    "estimated_cost",
    "priority",
    "removed",
)


@transaction.atomic
def akpk_row_update(
    *, row_id: int, plan_id: int, user: AnyUser, changes: dict[str, Any], day: dt.date | None = None
) -> AkpkRow:
    """Change the planned development of a draft's row (``EDITABLE`` columns only). Refused on
    a plan that is not a draft (``AkpkFrozenError``) or by someone who may not edit it."""
    day = day or dates.today()
    plan = AkpkPlan.objects.select_for_update().filter(pk=plan_id).first()
    row = AkpkRow.objects.filter(pk=row_id, plan_id=plan_id).first()
    if plan is None or row is None:
        raise NotFoundError()
    _check_editable(plan=plan, user=user, day=day)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            errors=[
                FieldError(name, _("This column cannot be edited."), "invalid")
                for name in sorted(unknown)
            ]
        )
    for name, value in changes.items():
        setattr(row, name, value)
    if row.course_id is not None and row.offering_id is not None:
        raise ValidationError(
            errors=[
                FieldError(
                    "offering",
                    _("Choose a Tangkas course or a partner offering, not both."),
                    "invalid",
                )
            ]
        )
    row.full_clean(exclude=["plan", "employee", "competency"])
    row.save(update_fields=list(changes))
    AkpkPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    return row


@transaction.atomic
def akpk_plan_transition(
    *,
    plan_id: int,
    action: str,
    user: AnyUser | None = None,
    client_id: str = "",
    comment: str = "",
    day: dt.date | None = None,
) -> AkpkTransition:
    """Take a step of the workflow (``rules.TRANSITIONS``): submit, verify, return (a comment
    is required) or approve. The plan is locked first, so two steps at once take effect one
    after the other and the second sees the first's state. Refused with
    ``InvalidTransitionError`` (409) from the wrong state, ``AkpkActionNotAllowedError`` (403)
    for the wrong person on the day. Whoever must act next is told after commit."""
    day = day or dates.today()
    comment = (comment or "").strip()
    plan = AkpkPlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None:
        raise NotFoundError()
    targets = rules.TRANSITIONS.get(action)
    if targets is None:
        raise ValidationError(errors=[FieldError("action", _("Unknown step."), "invalid")])
    if plan.state not in targets:
        raise InvalidTransitionError(
            errors=[
                FieldError(
                    "action", InvalidTransitionError.default_message, InvalidTransitionError.code
                )
            ]
        )
    if not rules.may_take(action=action, user=user, plan=plan, day=day, client=bool(client_id)):
        raise AkpkActionNotAllowedError()
    if action == AkpkAction.RETURN and not comment:
        raise ValidationError(
            errors=[
                FieldError("comment", _("Say what must change before it comes back."), "required")
            ]
        )
    from_state = plan.state
    plan.state = targets[from_state]
    plan.save(update_fields=["state", "updated_at"])
    transition = _record(
        plan=plan,
        action=action,
        from_state=from_state,
        user=user,
        client_id=client_id,
        comment=comment,
    )
    plan_id, transition_id = plan.pk, transition.pk
    transaction.on_commit(
        lambda: akpk_transitioned.send(
            sender=AkpkPlan, plan_id=plan_id, transition_id=transition_id
        )
    )
    return transition


@transaction.atomic
def akpk_revision_open(*, plan_id: int, user: AnyUser, day: dt.date | None = None) -> AkpkPlan:
    """A new draft revision of an approved AKPK: the same rows (snapshot and plan), copied in
    one statement, to change what was approved. The approved one stays as it was."""
    day = day or dates.today()
    plan = AkpkPlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None:
        raise NotFoundError()
    if plan.state != AkpkState.APPROVED:
        raise InvalidTransitionError()
    if not rules.may_edit(user=user, plan=plan, day=day):
        raise AkpkActionNotAllowedError()
    if AkpkPlan.objects.filter(
        org_unit_id=plan.org_unit_id, year=plan.year, revision__gt=plan.revision
    ).exists():
        raise AkpkExistsError()
    revision = AkpkPlan(
        org_unit_id=plan.org_unit_id,
        year=plan.year,
        revision=plan.revision + 1,
        previous=plan,
        gaps_as_of=plan.gaps_as_of,
    )
    try:
        with transaction.atomic():
            revision.save()
    except IntegrityError as exc:
        raise AkpkExistsError() from exc
    copied = [
        field.attname for field in AkpkRow._meta.concrete_fields if field.name not in ("id", "plan")
    ]
    AkpkRow.objects.bulk_create(
        [
            AkpkRow(plan=revision, **{name: getattr(row, name) for name in copied})
            for row in AkpkRow.objects.filter(plan=plan).iterator(chunk_size=2000)
        ],
        batch_size=2000,
    )
    _record(
        plan=revision,
        action=AkpkAction.REVISE,
        from_state="",
        user=user,
        comment=f"Revisi dari revisi {plan.revision}",
    )
    return revision

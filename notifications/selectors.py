"""Reads of notifications: a person's list and unread count, their choices, and who an event
concerns (with what the notification says, ``services.Item``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from certificates.models import Certificate
from competencies.access import HR_GROUP_NAME, evidence_reviewees
from competencies.models import Assignment, AssignmentKind, EmployeeStatus, Evidence, EvidenceStatus
from courses.models import QuizAttempt
from development.models import PlanStatus, PlanTransition
from development.selectors import plan_signer_ids
from notifications import kinds
from notifications.models import Notification, NotificationPreference, NotificationProfile
from planning.models import AkpkAction, AkpkState, AkpkTransition

#: Notifications per page of the list.
PAGE_SIZE = 20

User = get_user_model()


@dataclass(frozen=True)
class Item:
    """One notification to create: for whom, its key (event or period), what it says."""

    recipient_id: int
    key: str
    params: dict[str, Any]
    link: str


def active_user_ids(user_ids: Iterable[int]) -> list[int]:
    """Of these users, those with an active login and in service (no left person is told)."""
    return list(
        User.objects.filter(pk__in=list(user_ids), is_active=True)
        .filter(Q(employee__isnull=True) | Q(employee__status=EmployeeStatus.ACTIVE))
        .values_list("pk", flat=True)
    )


# --- A person's list ------------------------------------------------------------------------


def unread_count(*, user: Any) -> int:
    """One query on the partial index of unread notifications; none for an anonymous user."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class Line:
    notification: Notification
    title: str
    text: str


def notification_page(*, user: Any, page: Any) -> tuple[Page, list[Line]]:
    """One page of a person's notifications, newest first, with their text in the current
    language (two queries: the count and the page)."""
    paginator = Paginator(
        Notification.objects.filter(recipient=user).only(
            "id", "kind", "params", "link", "created_at", "read_at"
        ),
        PAGE_SIZE,
    )
    current = paginator.get_page(page)
    lines = []
    for notification in current.object_list:
        kind = kinds.KINDS.get(notification.kind)
        if kind is None:
            continue
        lines.append(
            Line(notification, kind.subject(notification.params), kind.body(notification.params))
        )
    return current, lines


@dataclass(frozen=True)
class Choice:
    kind: kinds.Kind
    email: bool
    digest: bool


def preferences_of(*, user: Any) -> tuple[str, list[Choice]]:
    """The person's mail language and their choice for every wired kind (two queries)."""
    profile = NotificationProfile.objects.filter(user=user).first()
    saved = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    choices = []
    for kind in kinds.wired_kinds():
        preference = saved.get(kind.code)
        choices.append(
            Choice(
                kind,
                preference.email if preference else kind.email_default,
                preference.digest if preference else False,
            )
        )
    return (profile.language if profile else settings.LANGUAGE_CODE), choices


# --- Whom an event concerns -----------------------------------------------------------------


def _certificate_item(certificate_id: Any) -> list[Item]:
    certificate = Certificate.objects.select_related("employee").filter(pk=certificate_id).first()
    if certificate is None or certificate.employee.user_id is None:
        return []
    recipients = active_user_ids([certificate.employee.user_id])
    return [
        Item(
            user_id,
            str(certificate.pk),
            {"title": certificate.title, "code": certificate.short_code},
            "/me/certificates/",
        )
        for user_id in recipients
    ]


def certificate_issued_items(*, certificate_id: Any) -> list[Item]:
    return _certificate_item(certificate_id)


def certificate_revoked_items(*, certificate_id: Any) -> list[Item]:
    return _certificate_item(certificate_id)


def evidence_reviewers(*, employee_id: int, day: dt.date) -> list[int]:
    """Who is told that a person's evidence waits for validation: the head of the nearest
    unit above (or of) the person's posts on ``day`` who may review it
    (``competencies.access.evidence_reviewees``: definitive, or Plt. while no definitive head
    holds the post), or, where nobody heads one, the HR staff."""
    paths = list(
        Assignment.objects.active_on(day)
        .filter(employee_id=employee_id)
        .values_list("position__org_unit__path", flat=True)
    )
    steplen = 4  # treebeard's materialised path: four characters per level
    prefixes = {path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)}
    heads = (
        Assignment.objects.active_on(day)
        .filter(position__is_head=True, position__org_unit__path__in=prefixes)
        .filter(employee__user__isnull=False, employee__status=EmployeeStatus.ACTIVE)
        .exclude(employee_id=employee_id)
        .select_related("employee__user", "position__org_unit")
        .order_by("-position__org_unit__depth", "kind")
    )
    by_depth: dict[int, list[Any]] = {}
    for assignment in heads:
        by_depth.setdefault(assignment.position.org_unit.depth, []).append(assignment)
    for depth in sorted(by_depth, reverse=True):
        definitive = [a for a in by_depth[depth] if a.kind != AssignmentKind.ACTING]
        candidates = definitive or by_depth[depth]
        reviewers = [
            a.employee.user_id
            for a in candidates
            if evidence_reviewees(user=a.employee.user, as_of=day).filter(pk=employee_id).exists()
        ]
        if reviewers:
            return sorted(set(reviewers))
    hr = User.objects.filter(groups__name=HR_GROUP_NAME, is_active=True).exclude(
        employee__id=employee_id
    )
    return active_user_ids(hr.values_list("pk", flat=True))


def evidence_to_review_items(*, evidence_id: int, day: dt.date) -> list[Item]:
    """Provisional evidence: its reviewers, once a day each (the key is the day)."""
    evidence = Evidence.objects.select_related("competency").filter(pk=evidence_id).first()
    if evidence is None or evidence.status != EvidenceStatus.PROVISIONAL:
        return []
    params = {"competency": evidence.competency.code, "level": evidence.level}
    return [
        Item(user_id, day.isoformat(), params, "/dashboard/validation/")
        for user_id in evidence_reviewers(employee_id=evidence.employee_id, day=day)
    ]


def quiz_failed_items(*, attempt_id: int) -> list[Item]:
    """A graded quiz whose last attempt was failed: the learner, once per quiz."""
    attempt = (
        QuizAttempt.objects.select_related("enrollment__employee", "enrollment__course", "lesson")
        .filter(pk=attempt_id)
        .first()
    )
    if attempt is None or attempt.enrollment.employee.user_id is None:
        return []
    course = attempt.enrollment.course
    params = {
        "course": course.title,
        "score": f"{attempt.score:g}" if attempt.score is not None else "0",
        "passing": course.passing_score,
    }
    return [
        Item(
            user_id, f"{attempt.enrollment_id}:{attempt.quiz_id}", params, attempt.lesson.url or "/"
        )
        for user_id in active_user_ids([attempt.enrollment.employee.user_id])
    ]


def development_plan_items(*, plan_id: int, transition_id: int, day: dt.date) -> list[Item]:
    """A development plan changed state: signed by the person, whoever may sign it on ``day``
    (the heads of the person's units, ``development.selectors.plan_signer_ids``); agreed or
    returned, the person. Once per change of state (the key is the transition)."""
    transition = (
        PlanTransition.objects.select_related("plan__employee")
        .filter(pk=transition_id, plan_id=plan_id)
        .first()
    )
    if transition is None:
        return []
    plan = transition.plan
    params = {"year": plan.year, "status": transition.to_status}
    if transition.to_status == PlanStatus.SUBMITTED:
        recipients = plan_signer_ids(employee_id=plan.employee_id, day=day)
        link = f"/dashboard/plans/{plan.pk}/"
    elif transition.to_status in (PlanStatus.AGREED, PlanStatus.RETURNED):
        recipients = [plan.employee.user_id] if plan.employee.user_id else []
        link = "/me/plan/"
    else:
        return []
    return [
        Item(user_id, f"{plan.pk}:{transition.pk}", params, link)
        for user_id in active_user_ids(recipients)
    ]


def akpk_action_items(*, transition_id: int) -> list[Item]:
    """A step of an AKPK: whoever must act next, once per step (the key is the step's id).
    Submitted: BKPSDM (the HR staff); verified: the PPK's delegates; returned to draft or
    approved: the head of the perangkat daerah on the day of the step."""
    transition = (
        AkpkTransition.objects.select_related("plan__org_unit").filter(pk=transition_id).first()
    )
    if transition is None or transition.action not in (
        AkpkAction.SUBMIT,
        AkpkAction.VERIFY,
        AkpkAction.RETURN,
        AkpkAction.APPROVE,
    ):
        return []
    plan = transition.plan
    if transition.to_state == AkpkState.SUBMITTED:
        users = User.objects.filter(groups__name=HR_GROUP_NAME)
    elif transition.to_state == AkpkState.VERIFIED:
        approve = Q(codename="approve_akpk", content_type__app_label="planning")
        users = User.objects.filter(
            Q(groups__permissions__in=Permission.objects.filter(approve))
            | Q(user_permissions__in=Permission.objects.filter(approve))
        )
    else:
        day = timezone.localdate(transition.at)
        users = User.objects.filter(
            employee__in=Assignment.objects.active_on(day)
            .filter(position__is_head=True, position__org_unit=plan.org_unit_id)
            .values("employee_id")
        )
    recipients = active_user_ids(users.exclude(pk=transition.actor_id).values_list("pk", flat=True))
    params = {
        "unit": plan.org_unit.name,
        "year": plan.year,
        "revision": plan.revision,
        "state": transition.to_state,
        "action": transition.action,
    }
    link = f"/planning/akpk/{plan.pk}/"
    return [Item(user_id, str(transition.pk), params, link) for user_id in recipients]


def notifications_of(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)

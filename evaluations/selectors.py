"""Reads of training evaluation: what a person can still evaluate, what waits for a supervisor
today, a course's rating for the catalogue, and the report per course and per provider.

Every list is a fixed number of queries whatever the data (aggregates run in PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, F, Q, QuerySet

from competencies.access import evidence_reviewees, head_assignments_on, user_is_hr
from courses.models import CoursePage, LearningRecord
from evaluations.models import Application, BehaviourEvaluation, ReactionSurvey
from evaluations.services import REACTION_OPEN_DAYS
from providers.models import Provider, RequestStatus


def may_read_reports(*, user: Any) -> bool:
    """HR staff and course editors (people who may use the Wagtail admin, where courses are
    written) read the evaluation reports; nobody else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user_is_hr(user=user) or user.has_perm("wagtailadmin.access_admin")


# --- A participant ---------------------------------------------------------------------------


def reaction_open_list(*, user: Any, today: dt.date) -> QuerySet[LearningRecord]:
    """The person's completions of the past ``REACTION_OPEN_DAYS`` they have not evaluated,
    newest first."""
    if not getattr(user, "is_authenticated", False):
        return LearningRecord.objects.none()
    return LearningRecord.objects.filter(
        employee__user=user,
        completed_date__gte=today - dt.timedelta(days=REACTION_OPEN_DAYS),
        reaction_survey__isnull=True,
    ).order_by("-completed_date", "-id")


def reaction_answered_list(*, user: Any, limit: int = 20) -> QuerySet[ReactionSurvey]:
    """The person's latest answers."""
    if not getattr(user, "is_authenticated", False):
        return ReactionSurvey.objects.none()
    return (
        ReactionSurvey.objects.filter(learning_record__employee__user=user)
        .select_related("learning_record")
        .order_by("-answered_at")[:limit]
    )


def reaction_open_for_course(
    *, user: Any, course: CoursePage, today: dt.date
) -> LearningRecord | None:
    """The person's completion of ``course`` still waiting for their reaction, if any."""
    return reaction_open_list(user=user, today=today).filter(enrollment__course=course).first()


# --- A supervisor ----------------------------------------------------------------------------


def may_answer_behaviour(*, user: Any, today: dt.date) -> bool:
    """Heads of a unit on the day and HR answer level-3 evaluations."""
    return user_is_hr(user=user) or head_assignments_on(user=user, day=today).exists()


def behaviour_pending_list(*, user: Any, today: dt.date) -> QuerySet[BehaviourEvaluation]:
    """Level-3 evaluations due by ``today`` and unanswered, of the people ``user`` leads today
    (``evidence_reviewees``: the post on the day decides; a head who rotated out no longer sees
    them, the new head does)."""
    if isinstance(user, AnonymousUser) or not may_answer_behaviour(user=user, today=today):
        return BehaviourEvaluation.objects.none()
    people = evidence_reviewees(user=user, as_of=today)
    return (
        BehaviourEvaluation.objects.filter(
            answered_at__isnull=True,
            due_date__lte=today,
            learning_record__employee__in=people,
        )
        .select_related("learning_record", "learning_record__employee")
        .order_by("due_date", "id")
    )


# --- Ratings and reports ---------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    average: Decimal
    responses: int


def _overall() -> Any:
    return (F("relevance") + F("quality") + F("applicability")) / 3.0


def course_ratings(*, course_ids: list[int]) -> dict[int, Rating]:
    """The average reaction (the mean of the three scores) of each course with at least
    ``EVALUATION_RATING_MIN_RESPONSES`` answers; courses with fewer are left out. One query."""
    rows = (
        ReactionSurvey.objects.filter(learning_record__enrollment__course_id__in=course_ids)
        .values(course_id=F("learning_record__enrollment__course_id"))
        .annotate(average=Avg(_overall()), responses=Count("id"))
        .filter(responses__gte=settings.EVALUATION_RATING_MIN_RESPONSES)
    )
    return {
        row["course_id"]: Rating(
            Decimal(str(row["average"])).quantize(Decimal("0.1")), row["responses"]
        )
        for row in rows
    }


def _average(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class ReportRow:
    """One course (or provider): completions, level-1 answers and scores, level-3 answers."""

    name: str
    completions: int
    responses: int
    relevance: Decimal | None
    quality: Decimal | None
    applicability: Decimal | None
    level3_due: int
    level3_answered: int
    level3_yes: int
    level3_partly: int
    level3_no: int
    key: Any = None

    @property
    def response_rate(self) -> Decimal | None:
        if not self.completions:
            return None
        return (Decimal(100) * self.responses / self.completions).quantize(Decimal("0.1"))

    @property
    def overall(self) -> Decimal | None:
        scores = [s for s in (self.relevance, self.quality, self.applicability) if s is not None]
        if not scores:
            return None
        return (sum(scores) / len(scores)).quantize(Decimal("0.01"))


def _aggregates() -> dict[str, Any]:
    answered = Q(behaviour_evaluation__answered_at__isnull=False)
    return {
        "completions": Count("id", distinct=True),
        "responses": Count("reaction_survey", distinct=True),
        "relevance": Avg("reaction_survey__relevance"),
        "quality": Avg("reaction_survey__quality"),
        "applicability": Avg("reaction_survey__applicability"),
        "level3_due": Count("behaviour_evaluation", distinct=True),
        "level3_answered": Count("behaviour_evaluation", filter=answered, distinct=True),
        "level3_yes": Count(
            "behaviour_evaluation",
            filter=Q(behaviour_evaluation__answer=Application.YES),
            distinct=True,
        ),
        "level3_partly": Count(
            "behaviour_evaluation",
            filter=Q(behaviour_evaluation__answer=Application.PARTLY),
            distinct=True,
        ),
        "level3_no": Count(
            "behaviour_evaluation",
            filter=Q(behaviour_evaluation__answer=Application.NO),
            distinct=True,
        ),
    }


def _row(name: str, key: Any, row: dict[str, Any]) -> ReportRow:
    return ReportRow(
        name=name,
        key=key,
        completions=row["completions"],
        responses=row["responses"],
        relevance=_average(row["relevance"]),
        quality=_average(row["quality"]),
        applicability=_average(row["applicability"]),
        level3_due=row["level3_due"],
        level3_answered=row["level3_answered"],
        level3_yes=row["level3_yes"],
        level3_partly=row["level3_partly"],
        level3_no=row["level3_no"],
    )


def course_report(*, since: dt.date | None = None) -> list[ReportRow]:
    """Per Tangkas course (by title): its completions (since ``since``), how many answered the
    reaction survey, the average scores and the level-3 answers. One query."""
    records = LearningRecord.objects.filter(enrollment__isnull=False)
    if since is not None:
        records = records.filter(completed_date__gte=since)
    rows = (
        records.values("enrollment__course_id", "enrollment__course__title")
        .annotate(**_aggregates())
        .order_by("enrollment__course__title", "enrollment__course_id")
    )
    return [_row(r["enrollment__course__title"], r["enrollment__course_id"], r) for r in rows]


def provider_report(*, since: dt.date | None = None) -> list[ReportRow]:
    """Per provider as the ledger names it (``LearningRecord.provider``; Tangkas's own courses
    name the city): completions, reaction scores and level-3 answers. One query."""
    records = LearningRecord.objects.all()
    if since is not None:
        records = records.filter(completed_date__gte=since)
    rows = records.values("provider").annotate(**_aggregates()).order_by("provider")
    return [_row(r["provider"] or "—", r["provider"], r) for r in rows]


def rating_minimum() -> int:
    """Answers a course needs before the catalogue shows its rating."""
    return settings.EVALUATION_RATING_MIN_RESPONSES


@dataclass(frozen=True)
class PartnerRow:
    """One partner provider: its offerings, participants (approved or completed requests),
    completions recorded by HR, and what the participants and their supervisors answered."""

    provider: Provider
    offerings: int
    participants: int
    completions: int
    responses: int
    relevance: Decimal | None
    quality: Decimal | None
    applicability: Decimal | None
    level3_answered: int
    level3_yes: int

    @property
    def response_rate(self) -> Decimal | None:
        if not self.completions:
            return None
        return (Decimal(100) * self.responses / self.completions).quantize(Decimal("0.1"))

    @property
    def overall(self) -> Decimal | None:
        scores = [s for s in (self.relevance, self.quality, self.applicability) if s is not None]
        if not scores:
            return None
        return (sum(scores) / len(scores)).quantize(Decimal("0.01"))


def partner_provider_report() -> list[PartnerRow]:
    """Per partner provider (``providers``), through the requests whose completion HR recorded
    (``OfferingRequest.learning_record``). One query."""
    request = "offerings__requests"
    survey = f"{request}__learning_record__reaction_survey"
    behaviour = f"{request}__learning_record__behaviour_evaluation"
    taking = Q(**{f"{request}__status__in": [RequestStatus.APPROVED, RequestStatus.COMPLETED]})
    rows = Provider.objects.annotate(
        n_offerings=Count("offerings", distinct=True),
        n_participants=Count(f"{request}__employee", filter=taking, distinct=True),
        n_completions=Count(
            request, filter=Q(**{f"{request}__status": RequestStatus.COMPLETED}), distinct=True
        ),
        n_responses=Count(survey, distinct=True),
        avg_relevance=Avg(f"{survey}__relevance"),
        avg_quality=Avg(f"{survey}__quality"),
        avg_applicability=Avg(f"{survey}__applicability"),
        n_level3_answered=Count(
            behaviour, filter=Q(**{f"{behaviour}__answered_at__isnull": False}), distinct=True
        ),
        n_level3_yes=Count(
            behaviour, filter=Q(**{f"{behaviour}__answer": Application.YES}), distinct=True
        ),
    ).order_by("name")
    return [
        PartnerRow(
            provider=row,
            offerings=row.n_offerings,
            participants=row.n_participants,
            completions=row.n_completions,
            responses=row.n_responses,
            relevance=_average(row.avg_relevance),
            quality=_average(row.avg_quality),
            applicability=_average(row.avg_applicability),
            level3_answered=row.n_level3_answered,
            level3_yes=row.n_level3_yes,
        )
        for row in rows
    ]

"""Writes of training evaluation: a participant's reaction survey (level 1), the daily creation
of the level-3 evaluations that fall due, and a supervisor's level-3 answer, which on "yes"
validates the provisional evidence recorded from that completion through
``competencies.services.evidence_review`` (the supervisor is the reviewer)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competencies import services as competency_services
from competencies.access import evidence_reviewees
from competencies.models import AssignmentKind, Evidence, EvidenceSource, EvidenceStatus
from core.exceptions import FieldError, NotFoundError, ValidationError
from courses.models import LearningRecord, LearningSource
from evaluations import sql
from evaluations.exceptions import AlreadyEvaluatedError, NotYourEvaluationError
from evaluations.models import SCORE_FIELDS, Application, BehaviourEvaluation, ReactionSurvey

#: Days after its due day that a level-3 evaluation the daily run missed is still created (the
#: beat or the broker was down); older completions are not asked about any more.
LEVEL3_CATCH_UP_DAYS = 7
#: Days after a completion that its participant may still answer the reaction survey.
REACTION_OPEN_DAYS = 180


def _score_errors(scores: dict[str, Any]) -> list[FieldError]:
    errors = []
    for name in SCORE_FIELDS:
        value = scores.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors.append(FieldError(name, _("Choose a score from 1 to 5."), "score_range"))
    return errors


@transaction.atomic
def reaction_survey_submit(
    *,
    user: Any,
    learning_record_id: int,
    relevance: int,
    quality: int,
    applicability: int,
    comment: str = "",
    today: dt.date,
) -> ReactionSurvey:
    """The participant's reaction to one of their own completions, once. Someone else's
    record is not found (and says nothing about whether it exists)."""
    record = (
        LearningRecord.objects.select_for_update()
        .filter(pk=learning_record_id, employee__user=user)
        .filter(completed_date__gte=today - dt.timedelta(days=REACTION_OPEN_DAYS))
        .first()
    )
    if record is None or not getattr(user, "is_authenticated", False):
        raise NotFoundError(_("This training is not among those you can evaluate."))
    if ReactionSurvey.objects.filter(learning_record=record).exists():
        raise AlreadyEvaluatedError()
    scores = {"relevance": relevance, "quality": quality, "applicability": applicability}
    errors = _score_errors(scores)
    if errors:
        raise ValidationError(errors=errors)
    try:
        with transaction.atomic():
            return ReactionSurvey.objects.create(
                learning_record=record, comment=(comment or "").strip(), **scores
            )
    except IntegrityError as error:  # the same form sent twice at once
        raise AlreadyEvaluatedError() from error


def level3_evaluations_create(*, today: dt.date) -> int:
    """Create the level-3 evaluations due ``today`` (completion plus
    ``EVALUATION_LEVEL3_MONTHS``), and any of the past ``LEVEL3_CATCH_UP_DAYS`` a missed run
    left, each with the person's supervisor on ``today``. One statement; run twice, it creates
    nothing more. Returns how many it created."""
    months = settings.EVALUATION_LEVEL3_MONTHS
    since = today - dt.timedelta(days=LEVEL3_CATCH_UP_DAYS)
    earliest = since - dt.timedelta(days=31 * months + 1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            sql.LEVEL3_CREATE,
            {
                "today": today,
                "since": since,
                "earliest": earliest,
                "months": months,
                "acting": AssignmentKind.ACTING.value,
            },
        )
        return len(cursor.fetchall())


def related_provisional_evidence(record: LearningRecord) -> list[Evidence]:
    """The provisional evidence recorded from this completion: what ``courses.services`` wrote
    for it (the enrollment's course evidence, or the external training's certificate evidence),
    same person, same day."""
    if record.source == LearningSource.COURSE:
        source, reference = EvidenceSource.COURSE_COMPLETION, f"enrollment:{record.enrollment_id}"
    else:
        source = EvidenceSource.EXTERNAL_CERTIFICATE
        reference = record.reference or f"learning-record:{record.pk}"
    return list(
        Evidence.objects.filter(
            employee_id=record.employee_id,
            source=source,
            reference=reference,
            achieved_date=record.completed_date,
            status=EvidenceStatus.PROVISIONAL,
        ).order_by("pk")
    )


@transaction.atomic
def behaviour_evaluation_answer(
    *,
    user: Any,
    evaluation_id: int,
    answer: str,
    comment: str = "",
    validate_evidence: bool = False,
    today: dt.date,
) -> BehaviourEvaluation:
    """The supervisor's level-3 answer, once. Only someone who leads the person ``today``
    (``evidence_reviewees``: the head of their unit on the day, or HR) may answer. A "yes" with
    ``validate_evidence`` validates the provisional evidence of the completion, with the
    supervisor as its reviewer."""
    evaluation = (
        BehaviourEvaluation.objects.select_for_update()
        .select_related("learning_record")
        .filter(pk=evaluation_id, due_date__lte=today)
        .first()
    )
    if evaluation is None:
        raise NotFoundError(_("This evaluation is not among those waiting for you."))
    record = evaluation.learning_record
    if not evidence_reviewees(user=user, as_of=today).filter(pk=record.employee_id).exists():
        raise NotYourEvaluationError()
    if evaluation.is_answered:
        raise AlreadyEvaluatedError()
    if answer not in Application.values:
        raise ValidationError(
            errors=[FieldError("answer", _("Choose yes, partly or no."), "invalid_choice")]
        )
    validated = 0
    if answer == Application.YES and validate_evidence:
        note = _("Level-3 evaluation: applies what was learned in “%(title)s”.") % {
            "title": record.title
        }
        for evidence in related_provisional_evidence(record):
            competency_services.evidence_review(
                evidence=evidence, reviewer=user, validate=True, note=note
            )
            validated += 1
    evaluation.answer = answer
    evaluation.comment = (comment or "").strip()
    evaluation.answered_by = user
    evaluation.answered_at = timezone.now()
    evaluation.evidence_validated = validated
    evaluation.save(
        update_fields=["answer", "comment", "answered_by", "answered_at", "evidence_validated"]
    )
    return evaluation

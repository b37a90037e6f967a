"""The rules of a quiz, written once for the services (writes) and the selectors (reads): what
an attempt asks (the draw), where a graded quiz stands (attempts used, the score that counts,
whether it is passed or finished, when the next attempt may start), and when the answers may
be shown. Nothing here queries or writes; docs/ASSESSMENT.md says the rules in prose.

A choice is named on the page by its place in the order the attempt shows it ("0", "1", …),
never by its block id, so that a graded quiz's page carries nothing that tells a right answer
from a wrong one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from courses.blocks import QuizKind, ScorePolicy
from courses.models import AttemptStatus, QuizAttempt

#: How late a timed attempt may still be submitted: the seconds a form takes to travel from a
#: slow connection, so that a learner who pressed "submit" at the last second is not refused.
TIME_LIMIT_GRACE = dt.timedelta(seconds=10)

# Draws must not be predictable from earlier ones (the random module's generator can be).
_random = secrets.SystemRandom()


def is_graded(quiz: Any) -> bool:
    return quiz["kind"] == QuizKind.GRADED


def questions_of(quiz: Any) -> list[tuple[str, Any]]:
    """The quiz's questions as (id, value), in the order the editor wrote them."""
    return [(bound.id, bound.value) for bound in quiz["questions"].bound_blocks]


def choices_of(question: Any) -> list[tuple[str, Any]]:
    return [(bound.id, bound.value) for bound in question["choices"].bound_blocks]


def correct_choices(question: Any) -> list[str]:
    return sorted(choice_id for choice_id, choice in choices_of(question) if choice["correct"])


def questions_asked(quiz: Any) -> int:
    """How many questions one attempt asks."""
    total = len(quiz["questions"])
    drawn = quiz["questions_per_attempt"] if is_graded(quiz) else None
    return min(drawn, total) if drawn else total


def draw(quiz: Any) -> list[dict[str, Any]]:
    """What one attempt asks, in the order it is shown.

    A practice quiz asks every question with its choices as written. A graded quiz asks
    ``questions_per_attempt`` of them drawn at random (kept in the editor's order, since
    lessons build up), each with its choices shuffled.
    """
    questions = questions_of(quiz)
    if is_graded(quiz):
        asked = set(_random.sample(range(len(questions)), questions_asked(quiz)))
        questions = [question for number, question in enumerate(questions) if number in asked]
    drawn = []
    for question_id, question in questions:
        choice_ids = [choice_id for choice_id, _choice in choices_of(question)]
        if is_graded(quiz):
            _random.shuffle(choice_ids)
        drawn.append({"question": question_id, "choices": choice_ids})
    return drawn


def retry_wait() -> dt.timedelta:
    return dt.timedelta(minutes=settings.QUIZ_RETRY_WAIT_MINUTES)


def is_overdue(attempt: QuizAttempt, now: dt.datetime) -> bool:
    """An open attempt whose time limit (and its grace) has passed: it can no longer be
    submitted and counts as an attempt scored 0."""
    return (
        attempt.status == AttemptStatus.OPEN
        and attempt.deadline_at is not None
        and now > attempt.deadline_at + TIME_LIMIT_GRACE
    )


def _ended_score(attempt: QuizAttempt, now: dt.datetime) -> Decimal | None:
    if attempt.status == AttemptStatus.SUBMITTED:
        return attempt.score
    if attempt.status == AttemptStatus.EXPIRED or is_overdue(attempt, now):
        return Decimal(0)
    return None  # still in progress


def counted_score(attempts: list[QuizAttempt], policy: str, now: dt.datetime) -> Decimal | None:
    """The score that counts among a graded quiz's ``attempts`` (in order): the best or the
    last ended one, as the quiz says; ``None`` before any attempt ended."""
    scores = [s for s in (_ended_score(a, now) for a in attempts) if s is not None]
    if not scores:
        return None
    return scores[-1] if policy == ScorePolicy.LAST else max(scores)


@dataclass(frozen=True)
class GradedState:
    """Where a learner stands with one graded quiz at one moment."""

    attempts: list[QuizAttempt]
    allowed: int
    open_attempt: QuizAttempt | None
    last_ended: QuizAttempt | None
    score: Decimal | None
    passed: bool
    next_start_at: dt.datetime | None

    @property
    def used(self) -> int:
        return len(self.attempts)

    @property
    def attempts_left(self) -> int:
        return max(0, self.allowed - self.used)

    @property
    def finished(self) -> bool:
        """Passed, or every attempt used and none in progress: from now on the answers may be
        shown, and no attempt may start."""
        return self.passed or (self.attempts_left == 0 and self.open_attempt is None)


def graded_state(
    *, quiz: Any, attempts: list[QuizAttempt], passing_score: int, now: dt.datetime
) -> GradedState:
    """``attempts`` are the learner's graded attempts at ``quiz``, in order."""
    score = counted_score(attempts, quiz["score_policy"], now)
    passed = score is not None and score >= passing_score
    open_attempt = next(
        (a for a in attempts if a.status == AttemptStatus.OPEN and not is_overdue(a, now)), None
    )
    ended = [a for a in attempts if _ended_score(a, now) is not None]
    last_ended = ended[-1] if ended else None
    next_start_at = None
    if last_ended is not None and open_attempt is None and not passed:
        ended_at = last_ended.ended_at or now
        next_start_at = ended_at + retry_wait()
    return GradedState(
        attempts=attempts,
        allowed=quiz["max_attempts"],
        open_attempt=open_attempt,
        last_ended=last_ended,
        score=score,
        passed=passed,
        next_start_at=next_start_at,
    )

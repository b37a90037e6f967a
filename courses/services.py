"""Writes for taking courses: enrolling, finishing lessons, starting and submitting quiz
attempts, completing, and the learning-hours ledger.

Every write of a learner's progress in a course locks their enrollment row first
(``select_for_update``), so two simultaneous requests (two tabs, a double click) take turns:
the second sees what the first wrote. Unique constraints on the attempts stand behind it.

Completing a course is one service (``course_complete``) that, in one transaction, marks the
enrollment complete, records competency evidence for what the course builds, and adds its JP
to the ledger; after commit it announces ``course_completed`` for the certificates app.
Completing twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from competencies import policy as competency_policy
from competencies import services as competency_services
from competencies.models import Competency, Employee, EvidenceSource
from core import dates
from core.exceptions import FieldError, ValidationError
from courses import quizzes
from courses.blocks import QuizKind
from courses.exceptions import (
    AttemptAlreadySubmittedError,
    AttemptExpiredError,
    AttemptNotStartedError,
    AttemptsExhaustedError,
    CourseNotFinishedError,
    EnrollmentClosedError,
    InvalidAnswersError,
    LessonLockedError,
    LessonNotInCourseError,
    NotEnrolledError,
    PrerequisitesNotMetError,
    QuizAlreadyPassedError,
    QuizAttemptNotFoundError,
    QuizNotFoundError,
    QuizNotGradedError,
    RetryTooSoonError,
)
from courses.models import (
    AttemptStatus,
    CoursePage,
    Enrollment,
    EnrollmentStatus,
    LearningRecord,
    LearningSource,
    LessonPage,
    LessonProgress,
    QuizAttempt,
)
from courses.signals import course_completed, learning_recorded, quiz_failed


def lessons_of(course: CoursePage) -> list[LessonPage]:
    """The course's published lessons in the order the editor put them."""
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def course_of(lesson: LessonPage) -> CoursePage:
    parent = lesson.get_parent()
    course = parent.specific if parent is not None else None
    if not isinstance(course, CoursePage):
        raise LessonNotInCourseError()
    return course


def _lesson_in_course(lesson: LessonPage, course: CoursePage) -> bool:
    return lesson.depth == course.depth + 1 and lesson.path.startswith(course.path)


# --- Enrolling ------------------------------------------------------------------------------


@transaction.atomic
def enrollment_create(*, employee: Employee, course: CoursePage) -> Enrollment:
    """Enroll ``employee`` in ``course``; returns the existing enrollment if there is one."""
    existing = Enrollment.objects.filter(employee=employee, course=course).first()
    if existing is not None:
        return existing
    if not (course.live and course.is_open):
        raise EnrollmentClosedError()
    prerequisites = list(course.prerequisites.all())
    completed = set(
        Enrollment.objects.filter(
            employee=employee, course__in=prerequisites, status=EnrollmentStatus.COMPLETED
        ).values_list("course_id", flat=True)
    )
    missing = [p for p in prerequisites if p.pk not in completed]
    if missing:
        titles = ", ".join(p.title for p in missing)
        raise PrerequisitesNotMetError(
            _("Complete these courses first: %(titles)s.") % {"titles": titles},
            errors=[FieldError("course", p.title, "prerequisite_missing") for p in missing],
        )
    enrollment, _created = Enrollment.objects.get_or_create(employee=employee, course=course)
    return enrollment


def _enrollment_for(employee: Employee, course: CoursePage) -> Enrollment:
    enrollment = (
        Enrollment.objects.select_for_update().filter(employee=employee, course=course).first()
    )
    if enrollment is None:
        raise NotEnrolledError()
    return enrollment


# --- Lessons --------------------------------------------------------------------------------


@transaction.atomic
def lesson_complete(*, employee: Employee, lesson: LessonPage) -> Enrollment:
    """Mark ``lesson`` done for ``employee``; completes the course when that was the last step."""
    course = course_of(lesson)
    return _lesson_done(_enrollment_for(employee, course), course, lesson)


def _check_open_in_order(enrollment: Enrollment, course: CoursePage, lesson: LessonPage) -> None:
    if not _lesson_in_course(lesson, course):
        raise LessonNotInCourseError()
    if course.lesson_order != "sequential" or enrollment.is_completed:
        return
    done = set(enrollment.lessons_done.values_list("lesson_id", flat=True))
    for earlier in lessons_of(course):
        if earlier.pk == lesson.pk:
            return
        if earlier.is_required and earlier.pk not in done:
            raise LessonLockedError()


def _lesson_done(enrollment: Enrollment, course: CoursePage, lesson: LessonPage) -> Enrollment:
    _check_open_in_order(enrollment, course, lesson)
    LessonProgress.objects.get_or_create(enrollment=enrollment, lesson=lesson)
    enrollment.last_lesson = lesson
    enrollment.save(update_fields=["last_lesson", "updated_at"])
    if (
        not enrollment.is_completed
        and completion_blockers(enrollment=enrollment, course=course) == []
    ):
        course_complete(enrollment=enrollment)
    return enrollment


@transaction.atomic
def lesson_visit(*, enrollment: Enrollment, lesson: LessonPage) -> None:
    """Remember where the learner is, so that "continue" resumes there."""
    if enrollment.last_lesson_id != lesson.pk:
        enrollment.last_lesson = lesson
        enrollment.save(update_fields=["last_lesson", "updated_at"])


# --- Quizzes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    prompt: str
    chosen: list[str]
    correct_choices: list[str]
    is_correct: bool
    explanation: str


@dataclass(frozen=True)
class QuizResult:
    """One scored attempt. ``results`` (the right answers and explanations) is empty while a
    graded quiz withholds them: until it is passed or its last attempt is used."""

    attempt: QuizAttempt
    results: list[QuestionResult]
    passed: bool | None
    attempts_left: int | None
    finished: bool


def _quiz(enrollment: Enrollment, course: CoursePage, lesson: LessonPage, quiz_id: str) -> Any:
    _check_open_in_order(enrollment, course, lesson)
    quiz = lesson.quizzes().get(quiz_id)
    if quiz is None:
        raise QuizNotFoundError()
    return quiz


def _graded_attempts(enrollment: Enrollment, quiz_id: str) -> list[QuizAttempt]:
    return list(
        QuizAttempt.objects.filter(
            enrollment=enrollment, quiz_id=quiz_id, kind=QuizKind.GRADED
        ).order_by("number")
    )


def _next_number(enrollment: Enrollment, quiz_id: str) -> int:
    # Practice and graded attempts of one quiz share the numbering (an editor may switch kinds).
    last = QuizAttempt.objects.filter(enrollment=enrollment, quiz_id=quiz_id).aggregate(
        last=Max("number")
    )["last"]
    return (last or 0) + 1


def _expire_overdue(attempts: list[QuizAttempt], now: dt.datetime) -> None:
    for attempt in attempts:
        if quizzes.is_overdue(attempt, now):
            attempt.status = AttemptStatus.EXPIRED
            attempt.correct, attempt.questions = 0, len(attempt.draw)
            attempt.score = Decimal("0.00")
            attempt.save(update_fields=["status", "correct", "questions", "score"])


@transaction.atomic
def quiz_attempt_start(*, employee: Employee, lesson: LessonPage, quiz_id: str) -> QuizAttempt:
    """Start an attempt at a graded quiz: draw its questions, fix its deadline, and store it.

    Starting again while an attempt is in progress returns that attempt (a reload, a double
    click, a second tab). Refused when the quiz is passed, every attempt is used, or the
    waiting time since the last attempt has not passed. The enrollment row is locked, so two
    simultaneous starts make one attempt.
    """
    course = course_of(lesson)
    enrollment = _enrollment_for(employee, course)
    quiz = _quiz(enrollment, course, lesson, quiz_id)
    if not quizzes.is_graded(quiz):
        raise QuizNotGradedError()
    now = timezone.now()
    attempts = _graded_attempts(enrollment, quiz_id)
    _expire_overdue(attempts, now)
    state = quizzes.graded_state(
        quiz=quiz, attempts=attempts, passing_score=course.passing_score, now=now
    )
    if state.open_attempt is not None:
        return state.open_attempt
    if state.passed:
        raise QuizAlreadyPassedError()
    if state.attempts_left == 0:
        raise AttemptsExhaustedError()
    if state.next_start_at is not None and now < state.next_start_at:
        at = timezone.localtime(state.next_start_at)
        raise RetryTooSoonError(
            _("Wait before the next attempt: you can start it at %(time)s.")
            % {"time": formats.date_format(at, "H:i T")},
            errors=[FieldError("quiz", at.isoformat(), "retry_wait")],
        )
    limit = quiz["time_limit_minutes"]
    return QuizAttempt.objects.create(
        enrollment=enrollment,
        lesson=lesson,
        quiz_id=quiz_id,
        kind=QuizKind.GRADED,
        number=_next_number(enrollment, quiz_id),
        status=AttemptStatus.OPEN,
        draw=quizzes.draw(quiz),
        started_at=now,
        deadline_at=now + dt.timedelta(minutes=limit) if limit else None,
    )


def _check_answers(
    quiz: Any, drawn: list[dict[str, Any]], answers: Mapping[str, Iterable[str]]
) -> dict[str, list[str]]:
    """The chosen choice ids per drawn question, from ``answers``: the places of the chosen
    choices ("0", "1", …) in the order the attempt showed them, per question id."""
    questions = dict(quizzes.questions_of(quiz))
    asked = {item["question"]: item["choices"] for item in drawn if item["question"] in questions}
    errors = []
    for question_id in answers:
        if question_id not in questions:
            errors.append(
                FieldError(
                    f"answers.{question_id}",
                    _("There is no such question in this quiz."),
                    "unknown_question",
                )
            )
        elif question_id not in asked:
            errors.append(
                FieldError(
                    f"answers.{question_id}",
                    _("This question is not part of your attempt."),
                    "not_drawn",
                )
            )
    cleaned: dict[str, list[str]] = {}
    # A question the editor deleted after the draw is neither asked nor scored.
    for question_id, shown in asked.items():
        places = {str(place) for place in answers.get(question_id, [])}
        field = f"answers.{question_id}"
        if not places:
            errors.append(FieldError(field, _("Answer this question."), "required"))
        elif any(not p.isdigit() or int(p) >= len(shown) for p in places):
            errors.append(
                FieldError(field, _("That answer is not one of the choices."), "unknown_choice")
            )
        elif questions[question_id]["kind"] == "single" and len(places) != 1:
            errors.append(FieldError(field, _("Choose exactly one answer."), "single_choice"))
        else:
            cleaned[question_id] = sorted(shown[int(p)] for p in places)
    if errors:
        raise InvalidAnswersError(errors=errors)
    return cleaned


def _percent(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal("100.00")
    return (Decimal(100) * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _score(quiz: Any, chosen: dict[str, list[str]]) -> list[QuestionResult]:
    questions = dict(quizzes.questions_of(quiz))
    results = []
    for question_id, choice_ids in chosen.items():
        question = questions[question_id]
        correct = quizzes.correct_choices(question)
        results.append(
            QuestionResult(
                question_id=question_id,
                prompt=question["prompt"],
                chosen=choice_ids,
                correct_choices=correct,
                is_correct=choice_ids == correct,
                explanation=question["explanation"],
            )
        )
    return results


def _open_attempt_for(
    enrollment: Enrollment, quiz_id: str, attempt_id: int | None, now: dt.datetime
) -> QuizAttempt:
    if attempt_id is None:
        raise AttemptNotStartedError()
    attempt = (
        QuizAttempt.objects.select_for_update()
        .filter(pk=attempt_id, enrollment=enrollment, quiz_id=quiz_id, kind=QuizKind.GRADED)
        .first()
    )
    if attempt is None:  # someone else's, another quiz's, or none at all: nothing is revealed
        raise QuizAttemptNotFoundError()
    if attempt.status == AttemptStatus.EXPIRED or quizzes.is_overdue(attempt, now):
        raise AttemptExpiredError()
    if attempt.status != AttemptStatus.OPEN:
        raise AttemptAlreadySubmittedError()
    return attempt


@transaction.atomic
def quiz_submit(
    *,
    employee: Employee,
    lesson: LessonPage,
    quiz_id: str,
    answers: Mapping[str, Iterable[str]],
    attempt_id: int | None = None,
) -> QuizResult:
    """Score an attempt from what it asked, store it, and return the feedback allowed.

    ``answers`` name the chosen choices by their places in the order the attempt showed them
    (see ``courses.quizzes``). A practice quiz is scored at once against all its questions. A
    graded quiz is scored against the draw of the started attempt ``attempt_id``, which must be
    the learner's own, still open and within its time limit; its feedback is withheld until the
    quiz is finished (passed, or the last attempt used).

    Submitting a quiz marks the lesson done; the course completes when that was the last
    step. Nothing is stored when the submission is refused.
    """
    course = course_of(lesson)
    enrollment = _enrollment_for(employee, course)
    quiz = _quiz(enrollment, course, lesson, quiz_id)
    now = timezone.now()
    graded = quizzes.is_graded(quiz)
    attempt = _open_attempt_for(enrollment, quiz_id, attempt_id, now) if graded else None
    drawn = attempt.draw if attempt is not None else quizzes.draw(quiz)
    results = _score(quiz, _check_answers(quiz, drawn, answers))
    right = sum(1 for r in results if r.is_correct)
    if attempt is None:
        attempt = QuizAttempt(
            enrollment=enrollment,
            lesson=lesson,
            quiz_id=quiz_id,
            kind=QuizKind.PRACTICE,
            number=_next_number(enrollment, quiz_id),
            draw=drawn,
            started_at=now,
        )
    attempt.status = AttemptStatus.SUBMITTED
    attempt.submitted_at = now
    attempt.answers = {r.question_id: r.chosen for r in results}
    attempt.correct, attempt.questions = right, len(results)
    attempt.score = _percent(right, len(results))
    if attempt.pk is None:
        attempt.save()
    else:
        attempt.save(
            update_fields=["status", "submitted_at", "answers", "correct", "questions", "score"]
        )
    _lesson_done(enrollment, course, lesson)
    if not graded:
        return QuizResult(
            attempt=attempt, results=results, passed=None, attempts_left=None, finished=True
        )
    state = quizzes.graded_state(
        quiz=quiz,
        attempts=_graded_attempts(enrollment, quiz_id),
        passing_score=course.passing_score,
        now=now,
    )
    if state.finished and not state.passed:
        attempt_id = attempt.pk
        transaction.on_commit(lambda: quiz_failed.send(sender=QuizAttempt, attempt_id=attempt_id))
    return QuizResult(
        attempt=attempt,
        results=results if state.finished else [],
        passed=attempt.score >= course.passing_score,
        attempts_left=state.attempts_left,
        finished=state.finished,
    )


def graded_quizzes(lessons: list[LessonPage]) -> dict[str, Any]:
    """The graded quizzes of ``lessons`` by id: the ones that decide a pass."""
    return {
        quiz_id: quiz
        for lesson in lessons
        for quiz_id, quiz in lesson.quizzes().items()
        if quizzes.is_graded(quiz)
    }


def counted_scores(*, enrollment: Enrollment, graded: Mapping[str, Any]) -> dict[str, Decimal]:
    """The score that counts for each of the ``graded`` quizzes attempted: the best or the
    last, as each quiz says. Practice attempts never count."""
    now = timezone.now()
    by_quiz: dict[str, list[QuizAttempt]] = {}
    for attempt in enrollment.attempts.filter(kind=QuizKind.GRADED, quiz_id__in=list(graded)):
        by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
    scores = {}
    for quiz_id, attempts in by_quiz.items():
        attempts.sort(key=lambda a: a.number)
        score = quizzes.counted_score(attempts, graded[quiz_id]["score_policy"], now)
        if score is not None:
            scores[quiz_id] = score
    return scores


def completion_blockers(*, enrollment: Enrollment, course: CoursePage) -> list[str]:
    """What still stands between the learner and completion (empty when nothing does)."""
    lessons = lessons_of(course)
    done = set(enrollment.lessons_done.values_list("lesson_id", flat=True))
    blockers = [
        str(_("Finish the lesson “%(title)s”.") % {"title": lesson.title})
        for lesson in lessons
        if lesson.is_required and lesson.pk not in done
    ]
    graded = graded_quizzes([lesson for lesson in lessons if lesson.is_required])
    scores = counted_scores(enrollment=enrollment, graded=graded)
    for quiz_id, quiz in graded.items():
        if scores.get(quiz_id, Decimal(-1)) < course.passing_score:
            blockers.append(
                str(
                    _("Pass “%(title)s” with at least %(score)s%%.")
                    % {"title": quiz["title"], "score": course.passing_score}
                )
            )
    return blockers


# --- Completion -----------------------------------------------------------------------------


@transaction.atomic
def course_complete(*, enrollment: Enrollment, completed_on: dt.date | None = None) -> Enrollment:
    """Complete the enrollment: evidence for each competency built, JP into the ledger, and
    the ``course_completed`` announcement after commit. A second call changes nothing."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.is_completed:
        return enrollment
    course = CoursePage.objects.get(pk=enrollment.course_id)
    blockers = completion_blockers(enrollment=enrollment, course=course)
    if blockers:
        raise CourseNotFinishedError(
            errors=[FieldError("course", b, "not_finished") for b in blockers]
        )
    day = completed_on or dates.today()
    scores = counted_scores(enrollment=enrollment, graded=graded_quizzes(lessons_of(course)))
    assessed = list(scores.values())
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = timezone.now()
    enrollment.score = (
        (sum(assessed) / len(assessed)).quantize(Decimal("0.01")) if assessed else None
    )
    enrollment.save(update_fields=["status", "completed_at", "score", "updated_at"])

    expires = (
        dates.add_years(day, course.certificate_validity_years)
        if course.certificate_validity_years
        else None
    )
    for link in course.competencies.select_related("competency"):
        if competency_policy.evidence_decision(
            source=EvidenceSource.COURSE_COMPLETION,
            competency_kind=link.competency.kind,
            level=link.level,
        ).refused:
            continue  # a course built before the policy may still name a managerial competency
        competency_services.evidence_record(
            employee=enrollment.employee,
            competency=link.competency,
            level=link.level,
            source=EvidenceSource.COURSE_COMPLETION,
            achieved_date=day,
            expires_date=expires,
            reference=f"enrollment:{enrollment.pk}",
            note=course.title,
        )
    record = LearningRecord.objects.create(
        employee=enrollment.employee,
        year=day.year,
        start_date=min(timezone.localdate(enrollment.enrolled_at), day),
        completed_date=day,
        jp_hours=Decimal(course.jp_hours),
        source=LearningSource.COURSE,
        title=course.title,
        provider=settings.CITY_NAME,
        enrollment=enrollment,
        reference=f"enrollment:{enrollment.pk}",
    )
    transaction.on_commit(lambda: _announce_completion(enrollment.pk, record.pk))
    return enrollment


def _announce_completion(enrollment_id: int, record_id: int) -> None:
    course_completed.send(sender=Enrollment, enrollment_id=enrollment_id)
    learning_recorded.send(sender=LearningRecord, learning_record_id=record_id)


# --- External training ----------------------------------------------------------------------


@transaction.atomic
def learning_record_create(
    *,
    employee: Employee,
    title: str,
    jp_hours: Decimal,
    completed_date: dt.date,
    provider: str = "",
    reference: str = "",
    competencies: Iterable[tuple[Competency, int]] = (),
    valid_until: dt.date | None = None,
    start_date: dt.date | None = None,
    recorded_by: Any = None,
) -> LearningRecord:
    """Record external training (e.g. a Digital Talent Scholarship course) in the ledger, with
    evidence for the competencies it attests. ``start_date`` is its first day, when known."""
    errors = []
    if start_date is not None and start_date > completed_date:
        errors.append(
            FieldError(
                "start_date",
                _("The training cannot start after it ended."),
                "invalid_date_range",
            )
        )
    if not title.strip():
        errors.append(FieldError("title", _("The title has no text."), "only_whitespace"))
    if jp_hours is None or Decimal(jp_hours) <= 0:
        errors.append(FieldError("jp_hours", _("JP must be more than zero."), "invalid"))
    if completed_date > dates.today():
        errors.append(
            FieldError("completed_date", _("The training cannot end in the future."), "future_date")
        )
    competencies = list(competencies)
    for index, (competency, level) in enumerate(competencies):
        decision = competency_policy.evidence_decision(
            source=EvidenceSource.EXTERNAL_CERTIFICATE,
            competency_kind=competency.kind,
            level=level,
        )
        if decision.refused:
            errors.append(
                FieldError(f"competencies.{index}.competency", decision.refusal, "evidence_policy")
            )
    if errors:
        raise ValidationError(errors=errors)
    record = LearningRecord.objects.create(
        employee=employee,
        year=completed_date.year,
        start_date=start_date,
        completed_date=completed_date,
        jp_hours=Decimal(jp_hours),
        source=LearningSource.EXTERNAL,
        title=title.strip(),
        provider=provider,
        reference=reference,
        recorded_by=recorded_by if getattr(recorded_by, "pk", None) else None,
    )
    for competency, level in competencies:
        competency_services.evidence_record(
            employee=employee,
            competency=competency,
            level=level,
            source=EvidenceSource.EXTERNAL_CERTIFICATE,
            achieved_date=completed_date,
            expires_date=valid_until,
            recorded_by=recorded_by,
            reference=reference or f"learning-record:{record.pk}",
            note=title,
        )
    transaction.on_commit(lambda: _announce_record(record.pk))
    return record


def _announce_record(record_id: int) -> None:
    learning_recorded.send(sender=LearningRecord, learning_record_id=record_id)

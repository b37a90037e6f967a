"""Writes for taking courses: enrolling, finishing lessons, answering quizzes, completing, and
the learning-hours ledger.

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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competencies import services as competency_services
from competencies.models import Competency, Employee, EvidenceSource
from core import dates
from core.exceptions import FieldError, ValidationError
from courses.exceptions import (
    AttemptsExhaustedError,
    CourseNotFinishedError,
    EnrollmentClosedError,
    InvalidAnswersError,
    LessonLockedError,
    LessonNotInCourseError,
    NotEnrolledError,
    PrerequisitesNotMetError,
    QuizNotFoundError,
)
from courses.models import (
    CoursePage,
    Enrollment,
    EnrollmentStatus,
    LearningRecord,
    LearningSource,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    ScorePolicy,
)
from courses.signals import course_completed, learning_recorded


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
    attempt: QuizAttempt
    results: list[QuestionResult]
    passed: bool | None
    attempts_left: int | None


def _questions(quiz: Any) -> list[tuple[str, Any]]:
    return [(bound.id, bound.value) for bound in quiz["questions"].bound_blocks]


def _choices(question: Any) -> list[tuple[str, Any]]:
    return [(bound.id, bound.value) for bound in question["choices"].bound_blocks]


def _check_answers(quiz: Any, answers: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    questions = dict(_questions(quiz))
    errors = [
        FieldError(
            f"answers.{question_id}",
            _("There is no such question in this quiz."),
            "unknown_question",
        )
        for question_id in answers
        if question_id not in questions
    ]
    cleaned: dict[str, list[str]] = {}
    for question_id, question in questions.items():
        chosen = [str(c) for c in answers.get(question_id, [])]
        valid = {choice_id for choice_id, _choice in _choices(question)}
        if not chosen:
            errors.append(
                FieldError(f"answers.{question_id}", _("Answer this question."), "required")
            )
        elif any(c not in valid for c in chosen):
            errors.append(
                FieldError(
                    f"answers.{question_id}",
                    _("That answer is not one of the choices."),
                    "unknown_choice",
                )
            )
        elif question["kind"] == "single" and len(set(chosen)) != 1:
            errors.append(
                FieldError(
                    f"answers.{question_id}", _("Choose exactly one answer."), "single_choice"
                )
            )
        cleaned[question_id] = sorted(set(chosen))
    if errors:
        raise InvalidAnswersError(errors=errors)
    return cleaned


def _percent(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal("100.00")
    return (Decimal(100) * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def quiz_submit(
    *, employee: Employee, lesson: LessonPage, quiz_id: str, answers: Mapping[str, Iterable[str]]
) -> QuizResult:
    """Score one attempt of a quiz, store it, and return the feedback for each question.

    Submitting the quiz of a lesson also marks the lesson done; the course completes when that
    was the last step. Nothing is stored when the learner is not enrolled, the quiz or a
    question does not exist, or the attempts are used up.
    """
    course = course_of(lesson)
    enrollment = _enrollment_for(employee, course)
    _check_open_in_order(enrollment, course, lesson)
    quiz = lesson.quizzes().get(quiz_id)
    if quiz is None:
        raise QuizNotFoundError()
    cleaned = _check_answers(quiz, answers)
    previous = QuizAttempt.objects.filter(enrollment=enrollment, quiz_id=quiz_id).count()
    if course.max_attempts is not None and previous >= course.max_attempts:
        raise AttemptsExhaustedError()

    results = []
    for question_id, question in _questions(quiz):
        correct = sorted(choice_id for choice_id, choice in _choices(question) if choice["correct"])
        results.append(
            QuestionResult(
                question_id=question_id,
                prompt=question["prompt"],
                chosen=cleaned[question_id],
                correct_choices=correct,
                is_correct=cleaned[question_id] == correct,
                explanation=question["explanation"],
            )
        )
    right = sum(1 for r in results if r.is_correct)
    attempt = QuizAttempt.objects.create(
        enrollment=enrollment,
        lesson=lesson,
        quiz_id=quiz_id,
        number=previous + 1,
        answers=cleaned,
        correct=right,
        questions=len(results),
        score=_percent(right, len(results)),
        is_assessment=bool(quiz["is_assessment"]),
    )
    _lesson_done(enrollment, course, lesson)
    attempts_left = None if course.max_attempts is None else course.max_attempts - attempt.number
    return QuizResult(
        attempt=attempt,
        results=results,
        passed=attempt.score >= course.passing_score if attempt.is_assessment else None,
        attempts_left=attempts_left,
    )


def counted_scores(*, enrollment: Enrollment, course: CoursePage) -> dict[str, Decimal]:
    """The score that counts for each quiz attempted: best or last, as the course says."""
    scores: dict[str, Decimal] = {}
    for attempt in enrollment.attempts.order_by("number"):
        if course.score_policy == ScorePolicy.LAST:
            scores[attempt.quiz_id] = attempt.score
        else:
            scores[attempt.quiz_id] = max(scores.get(attempt.quiz_id, Decimal(0)), attempt.score)
    return scores


def assessment_quizzes(lessons: list[LessonPage]) -> list[str]:
    """Ids of the quizzes that decide a pass: those marked as assessment, else every quiz."""
    marked = [
        qid for lesson in lessons for qid, quiz in lesson.quizzes().items() if quiz["is_assessment"]
    ]
    return marked or [qid for lesson in lessons for qid in lesson.quizzes()]


def completion_blockers(*, enrollment: Enrollment, course: CoursePage) -> list[str]:
    """What still stands between the learner and completion (empty when nothing does)."""
    lessons = lessons_of(course)
    done = set(enrollment.lessons_done.values_list("lesson_id", flat=True))
    blockers = [
        str(_("Finish the lesson “%(title)s”.") % {"title": lesson.title})
        for lesson in lessons
        if lesson.is_required and lesson.pk not in done
    ]
    scores = counted_scores(enrollment=enrollment, course=course)
    for quiz_id in assessment_quizzes([lesson for lesson in lessons if lesson.is_required]):
        if scores.get(quiz_id, Decimal(-1)) < course.passing_score:
            blockers.append(
                str(
                    _("Pass the assessment with at least %(score)s%%.")
                    % {"score": course.passing_score}
                )
            )
            break
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
    scores = counted_scores(enrollment=enrollment, course=course)
    assessed = [scores[q] for q in assessment_quizzes(lessons_of(course)) if q in scores]
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
    recorded_by: Any = None,
) -> LearningRecord:
    """Record external training (e.g. a Digital Talent Scholarship course) in the ledger, with
    evidence for the competencies it attests."""
    errors = []
    if not title.strip():
        errors.append(FieldError("title", _("This field is required."), "required"))
    if jp_hours is None or Decimal(jp_hours) <= 0:
        errors.append(FieldError("jp_hours", _("JP must be more than zero."), "invalid"))
    if completed_date > dates.today():
        errors.append(
            FieldError("completed_date", _("The training cannot end in the future."), "invalid")
        )
    if errors:
        raise ValidationError(errors=errors)
    record = LearningRecord.objects.create(
        employee=employee,
        year=completed_date.year,
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

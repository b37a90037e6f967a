"""Enrolling, lessons in order, quizzes with retakes, and what completion records (the
services; the graded quizzes' rules through HTTP are in test_graded_quizzes.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from competencies.models import Evidence
from courses import selectors, services
from courses.exceptions import (
    AttemptsExhaustedError,
    CourseNotFinishedError,
    EnrollmentClosedError,
    InvalidAnswersError,
    LessonLockedError,
    LessonNotInCourseError,
    NotEnrolledError,
    PrerequisitesNotMetError,
    QuizAlreadyPassedError,
    QuizNotFoundError,
)
from courses.models import Enrollment, LearningRecord, LessonProgress, QuizAttempt
from courses.signals import course_completed
from tests.courses.conftest import answers_for, lesson, set_quiz

# Completion dates, JP years and expiry dates are the city's dates at any hour.
pytestmark = pytest.mark.awkward_hours


@pytest.fixture(autouse=True)
def _no_waiting(settings) -> None:
    """Retakes here need no waiting time (test_graded_quizzes.py tests it)."""
    settings.QUIZ_RETRY_WAIT_MINUTES = 0


def attempt_at(catalogue, final, *, right: bool = True, answers=None):
    """Start an attempt at the graded quiz of ``final`` and submit it."""
    quiz_id = next(iter(final.quizzes()))
    attempt = services.quiz_attempt_start(employee=catalogue.learner, lesson=final, quiz_id=quiz_id)
    if answers is None:
        _quiz_id, answers = answers_for(final, right=right, attempt=attempt)
    return services.quiz_submit(
        employee=catalogue.learner,
        lesson=final,
        quiz_id=quiz_id,
        answers=answers(attempt) if callable(answers) else answers,
        attempt_id=attempt.pk,
    )


def finish(catalogue, *, right: bool = True):
    services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    services.lesson_complete(
        employee=catalogue.learner, lesson=lesson(catalogue.basics, "tabel-dan-relasi")
    )
    return attempt_at(catalogue, lesson(catalogue.basics, "ujian-akhir"), right=right)


def test_enrolling_with_unmet_prerequisites_is_refused(catalogue) -> None:
    with pytest.raises(PrerequisitesNotMetError) as raised:
        services.enrollment_create(employee=catalogue.learner, course=catalogue.advanced)
    assert "Dasar Basis Data" in str(raised.value)
    assert not Enrollment.objects.exists()


def test_enrolling_in_a_closed_course_is_refused(catalogue) -> None:
    with pytest.raises(EnrollmentClosedError):
        services.enrollment_create(employee=catalogue.learner, course=catalogue.closed)
    assert not Enrollment.objects.exists()


def test_enrolling_twice_keeps_one_enrollment(catalogue) -> None:
    first = services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    assert services.enrollment_create(employee=catalogue.learner, course=catalogue.basics) == first
    assert Enrollment.objects.count() == 1


def test_lessons_open_in_order_when_the_course_says_so(catalogue) -> None:
    services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    final = lesson(catalogue.basics, "ujian-akhir")
    quiz_id = next(iter(final.quizzes()))
    with pytest.raises(LessonLockedError):
        services.quiz_attempt_start(employee=catalogue.learner, lesson=final, quiz_id=quiz_id)
    with pytest.raises(LessonLockedError):
        services.quiz_submit(
            employee=catalogue.learner, lesson=final, quiz_id=quiz_id, answers={}, attempt_id=1
        )
    assert not QuizAttempt.objects.exists()


def test_progress_and_resume(catalogue) -> None:
    enrollment = services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    state = selectors.progress(course=catalogue.basics, enrollment=enrollment)
    assert (state.done, state.total, state.percent) == (0, 2, 0)
    assert state.resume.slug == "tabel-dan-relasi"
    assert [s.locked for s in state.lessons] == [False, True]
    services.lesson_complete(
        employee=catalogue.learner, lesson=lesson(catalogue.basics, "tabel-dan-relasi")
    )
    state = selectors.progress(course=catalogue.basics, enrollment=enrollment)
    assert (state.done, state.percent) == (1, 50)
    assert state.resume.slug == "ujian-akhir"


def test_a_quiz_is_scored_with_multiple_choice_all_or_nothing(catalogue) -> None:
    services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    services.lesson_complete(
        employee=catalogue.learner, lesson=lesson(catalogue.basics, "tabel-dan-relasi")
    )
    final = lesson(catalogue.basics, "ujian-akhir")

    def half(attempt):  # the single choice right, one of the two right keys: wrong
        _quiz_id, right = answers_for(final, attempt=attempt)
        single, multiple = sorted(right, key=lambda q: len(right[q]))
        return {single: right[single], multiple: right[multiple][:1]}

    result = attempt_at(catalogue, final, answers=half)
    assert (result.attempt.correct, result.attempt.score) == (1, Decimal("50.00"))
    assert result.passed is False and result.attempts_left == 2
    assert result.results == []  # a graded quiz says nothing per question before it is finished
    assert not Enrollment.objects.get().is_completed
    # A retake that gets both right passes, completes the course, and shows the feedback.
    result = attempt_at(catalogue, final)
    assert (result.attempt.number, result.attempt.score, result.passed) == (
        2,
        Decimal("100.00"),
        True,
    )
    assert result.finished and [r.is_correct for r in result.results] == [True, True]
    assert result.results[1].explanation.startswith("Penjelasan")
    assert Enrollment.objects.get().is_completed


def test_the_best_or_the_last_attempt_counts_as_the_quiz_says(catalogue) -> None:
    services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    services.lesson_complete(
        employee=catalogue.learner, lesson=lesson(catalogue.basics, "tabel-dan-relasi")
    )
    final = lesson(catalogue.basics, "ujian-akhir")

    def half(attempt):
        _quiz_id, right = answers_for(final, attempt=attempt)
        _quiz_id, wrong = answers_for(final, right=False, attempt=attempt)
        first, second = right
        return {first: right[first], second: wrong[second]}

    attempt_at(catalogue, final, answers=half)
    attempt_at(catalogue, final, right=False)
    enrollment = Enrollment.objects.get()
    [(quiz_id, quiz)] = final.quizzes().items()
    assert quiz["score_policy"] == "best"
    assert services.counted_scores(enrollment=enrollment, graded={quiz_id: quiz}) == {
        quiz_id: Decimal(50)
    }
    last = set_quiz(final, score_policy="last").quizzes()
    assert services.counted_scores(enrollment=enrollment, graded=last) == {quiz_id: Decimal(0)}
    assert not enrollment.is_completed


def test_retakes_stop_when_the_attempts_are_used_up(catalogue) -> None:
    services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    services.lesson_complete(
        employee=catalogue.learner, lesson=lesson(catalogue.basics, "tabel-dan-relasi")
    )
    final = set_quiz(lesson(catalogue.basics, "ujian-akhir"), max_attempts=2)
    first = attempt_at(catalogue, final, right=False)
    assert (first.attempts_left, first.finished, first.results) == (1, False, [])
    second = attempt_at(catalogue, final, right=False)
    assert (second.attempts_left, second.finished) == (0, True)
    assert [r.is_correct for r in second.results] == [False, False]  # the answers, at last
    with pytest.raises(AttemptsExhaustedError):
        attempt_at(catalogue, final, right=False)
    assert QuizAttempt.objects.count() == 2


def test_a_passed_quiz_takes_no_more_attempts(catalogue) -> None:
    finish(catalogue)
    with pytest.raises(QuizAlreadyPassedError):
        attempt_at(catalogue, lesson(catalogue.basics, "ujian-akhir"))
    assert QuizAttempt.objects.count() == 1


def test_completion_records_evidence_ledger_and_announces_once_after_commit(
    catalogue, django_capture_on_commit_callbacks
) -> None:
    received = []

    def listener(sender, enrollment_id, **kwargs):
        received.append(enrollment_id)

    course_completed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            finish(catalogue)
        assert received == []  # nothing is announced before the commit
        for callback in callbacks:
            callback()
        enrollment = Enrollment.objects.get()
        assert received == [enrollment.pk]
        # Completing again changes nothing and announces nothing.
        with django_capture_on_commit_callbacks(execute=True) as again:
            services.course_complete(enrollment=enrollment)
        assert again == [] and received == [enrollment.pk]
    finally:
        course_completed.disconnect(listener)

    today = timezone.localdate()
    assert enrollment.is_completed and enrollment.score == Decimal("100.00")
    [evidence] = Evidence.objects.filter(employee=catalogue.learner, source="course_completion")
    assert (evidence.competency.code, evidence.level, evidence.achieved_date) == (
        "TIK-05",
        2,
        today,
    )
    assert evidence.expires_date == today.replace(year=today.year + 3)
    [record] = LearningRecord.objects.all()
    assert (record.jp_hours, record.year, record.source, record.enrollment) == (
        Decimal(4),
        today.year,
        "course_completion",
        enrollment,
    )
    assert Evidence.objects.count() == 1 and LearningRecord.objects.count() == 1


def test_completing_an_unfinished_course_is_refused(catalogue) -> None:
    enrollment = services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    with pytest.raises(CourseNotFinishedError) as raised:
        services.course_complete(enrollment=enrollment)
    assert len(raised.value.errors) == 3  # two lessons and the assessment
    assert not LearningRecord.objects.exists()


def test_a_failed_assessment_does_not_complete(catalogue) -> None:
    result = finish(catalogue, right=False)
    assert result.passed is False
    assert not Enrollment.objects.get().is_completed
    assert not Evidence.objects.filter(source="course_completion").exists()


def test_answers_to_a_quiz_without_enrollment_are_refused(catalogue) -> None:
    final = lesson(catalogue.basics, "ujian-akhir")
    quiz_id = next(iter(final.quizzes()))
    with pytest.raises(NotEnrolledError):
        services.quiz_attempt_start(employee=catalogue.learner, lesson=final, quiz_id=quiz_id)
    with pytest.raises(NotEnrolledError):
        services.quiz_submit(
            employee=catalogue.learner, lesson=final, quiz_id=quiz_id, answers={}, attempt_id=1
        )
    assert not QuizAttempt.objects.exists()


def test_answers_for_questions_that_do_not_exist_are_refused(catalogue) -> None:
    services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    services.lesson_complete(
        employee=catalogue.learner, lesson=lesson(catalogue.basics, "tabel-dan-relasi")
    )
    final = lesson(catalogue.basics, "ujian-akhir")
    quiz_id = next(iter(final.quizzes()))
    attempt = services.quiz_attempt_start(employee=catalogue.learner, lesson=final, quiz_id=quiz_id)
    _quiz_id, answers = answers_for(final, attempt=attempt)

    def submit(answers, quiz_id=quiz_id):
        return services.quiz_submit(
            employee=catalogue.learner,
            lesson=final,
            quiz_id=quiz_id,
            answers=answers,
            attempt_id=attempt.pk,
        )

    with pytest.raises(InvalidAnswersError) as raised:
        submit({**answers, "no-such-question": ["0"]})
    assert raised.value.errors[0].field == "answers.no-such-question"
    with pytest.raises(QuizNotFoundError):
        submit(answers, quiz_id="no-such-quiz")
    single = next(iter(answers))
    for nonsense in (["9"], ["x"], []):
        with pytest.raises(InvalidAnswersError):
            submit({**answers, single: nonsense})
    assert not QuizAttempt.objects.exclude(status="open").exists()


def test_marking_a_lesson_of_another_course_is_refused(catalogue) -> None:
    services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    with pytest.raises(NotEnrolledError):
        services.lesson_complete(
            employee=catalogue.learner, lesson=lesson(catalogue.express, "semua-sekaligus")
        )
    with pytest.raises(LessonNotInCourseError):
        services.lesson_complete(
            employee=catalogue.learner, lesson=catalogue.basics
        )  # a course is not a lesson
    assert not LessonProgress.objects.exists()


def test_a_published_change_keeps_progress(catalogue) -> None:
    finish(catalogue)
    final = lesson(catalogue.basics, "ujian-akhir")
    final.title = "Ujian Akhir (revisi 2026)"
    final.save_revision().publish()
    enrollment = Enrollment.objects.get()
    state = selectors.progress(course=catalogue.basics, enrollment=enrollment)
    assert (state.done, state.total) == (2, 2)
    assert enrollment.is_completed


def test_learning_hours_against_the_target_by_source(catalogue) -> None:
    finish(catalogue)
    year = timezone.localdate().year
    services.learning_record_create(
        employee=catalogue.learner,
        title="Digital Talent Scholarship",
        jp_hours=Decimal("7.5"),
        completed_date=dt.date(year, 1, 15)
        if timezone.localdate() >= dt.date(year, 1, 15)
        else timezone.localdate(),
    )
    hours = selectors.learning_hours(employee=catalogue.learner, year=year)
    assert hours.total == Decimal("11.5")
    assert hours.by_source == {"course_completion": Decimal(4), "external_training": Decimal("7.5")}
    assert (hours.target, hours.met, hours.remaining) == (20, False, Decimal("8.5"))
    assert selectors.learning_hours(employee=catalogue.learner, year=year - 1).total == 0

"""Errors the course services raise (see ``core.exceptions``)."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import ConflictError, NotFoundError, PermissionDeniedError, ValidationError


class EnrollmentClosedError(ConflictError):
    code = "enrollment_closed"
    default_message = _("This course is not open for enrollment.")


class PrerequisitesNotMetError(ConflictError):
    code = "prerequisites_not_met"
    default_message = _("Complete the prerequisite courses first.")


class NotEnrolledError(PermissionDeniedError):
    code = "not_enrolled"
    default_message = _("You are not enrolled in this course.")


class LessonNotInCourseError(ValidationError):
    code = "lesson_not_in_course"
    default_message = _("This lesson does not belong to the course.")


class LessonLockedError(ConflictError):
    code = "lesson_locked"
    default_message = _("Finish the earlier lessons first: this course is taken in order.")


class QuizNotFoundError(NotFoundError):
    code = "quiz_not_found"
    default_message = _("There is no such quiz in this lesson.")


class InvalidAnswersError(ValidationError):
    code = "invalid_answers"
    default_message = _("The answers do not match the quiz's questions.")


class AttemptsExhaustedError(ConflictError):
    code = "attempts_exhausted"
    default_message = _("You have used every attempt this quiz allows.")


class QuizNotGradedError(ValidationError):
    code = "quiz_not_graded"
    default_message = _("This is a practice quiz: answer it without starting an attempt.")


class QuizAlreadyPassedError(ConflictError):
    code = "quiz_passed"
    default_message = _("You have already passed this quiz.")


class RetryTooSoonError(ConflictError):
    code = "retry_too_soon"
    default_message = _("Wait a little before the next attempt.")


class AttemptNotStartedError(ConflictError):
    code = "attempt_not_started"
    default_message = _("Start an attempt before submitting answers to this quiz.")


class QuizAttemptNotFoundError(NotFoundError):
    code = "attempt_not_found"
    default_message = _("You have no such attempt at this quiz.")


class AttemptAlreadySubmittedError(ConflictError):
    code = "attempt_submitted"
    default_message = _("This attempt has already been submitted.")


class AttemptExpiredError(ConflictError):
    code = "attempt_expired"
    default_message = _(
        "The time for this attempt has run out, so its answers can no longer be submitted."
    )


class CourseNotFinishedError(ConflictError):
    code = "course_not_finished"
    default_message = _(
        "The course is not finished yet: complete every required lesson and pass the assessment."
    )

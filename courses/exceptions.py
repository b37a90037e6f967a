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
    default_message = _("You have used every attempt this course allows for this quiz.")


class CourseNotFinishedError(ConflictError):
    code = "course_not_finished"
    default_message = _(
        "The course is not finished yet: complete every required lesson and pass the assessment."
    )

"""Form posts for taking a course: enroll, mark a lesson done, start a graded quiz's attempt,
submit a quiz.

Each view makes one service call, shows the service's message when it refuses, and redirects
(post/redirect/get), so that every step works with plain HTML forms and no JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from competencies.access import employee_for_user
from competencies.models import Employee
from core.exceptions import ApplicationError
from courses import services
from courses.models import CoursePage, LessonPage


def _employee(request: HttpRequest) -> Employee:
    employee = employee_for_user(user=request.user)
    if employee is None:
        raise PermissionDenied(
            _("Your login is not linked to an employee record; ask HR to link it.")
        )
    return employee


@login_required
@require_POST
def enroll(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        enrollment = services.enrollment_create(employee=_employee(request), course=course)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect(course.url)
    messages.success(request, _("You are enrolled. Good luck!"))
    first = services.lessons_of(course)
    return redirect(first[0].url if first and not enrollment.is_completed else course.url)


@login_required
@require_POST
def lesson_done(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        enrollment = services.lesson_complete(employee=_employee(request), lesson=lesson)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect(lesson.url)
    if enrollment.is_completed:
        messages.success(request, _("Congratulations, you completed the course!"))
        return redirect(enrollment.course.url)
    following = (
        LessonPage.objects.live()
        .sibling_of(lesson, inclusive=False)
        .filter(path__gt=lesson.path)
        .order_by("path")
        .first()
    )
    return redirect(following.url if following else lesson.get_parent().url)


def _refused(
    request: HttpRequest, error: ApplicationError, lesson: LessonPage, quiz_id: str
) -> HttpResponse:
    """Show the service's refusal (and what it says of each answer) on the quiz."""
    messages.error(request, str(error))
    for item in error.errors[:5]:
        if item.code not in {"unknown_question", "retry_wait"}:
            messages.error(request, str(item.message))
    return redirect(f"{lesson.url}#quiz-{quiz_id}")


@login_required
@require_POST
def quiz_start(request: HttpRequest, lesson_id: int, quiz_id: str) -> HttpResponse:
    """Start an attempt at a graded quiz; the lesson page then shows its questions."""
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        services.quiz_attempt_start(employee=_employee(request), lesson=lesson, quiz_id=quiz_id)
    except ApplicationError as error:
        return _refused(request, error, lesson, quiz_id)
    return redirect(f"{lesson.url}#quiz-{quiz_id}")


@login_required
@require_POST
def quiz_submit(request: HttpRequest, lesson_id: int, quiz_id: str) -> HttpResponse:
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    answers = {key[2:]: request.POST.getlist(key) for key in request.POST if key.startswith("q-")}
    attempt = request.POST.get("attempt", "").strip()
    try:
        result = services.quiz_submit(
            employee=_employee(request),
            lesson=lesson,
            quiz_id=quiz_id,
            answers=answers,
            # Anything but a number names no attempt of this learner: refused as not found.
            attempt_id=(int(attempt) if attempt.isdigit() else 0) if attempt else None,
        )
    except ApplicationError as error:
        return _refused(request, error, lesson, quiz_id)
    enrollment = result.attempt.enrollment
    enrollment.refresh_from_db(fields=["status"])
    if enrollment.is_completed and result.passed:
        messages.success(request, _("You passed the assessment and completed the course!"))
    return redirect(f"{lesson.url}#quiz-{quiz_id}")

"""The Wagtail admin's view of training evaluation: the aggregate per course (completions,
reaction answers, response rate, average scores, level-3 answers) for course editors, with a
menu item. Read-only: the answers are the participants' and supervisors', never edited here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from evaluations import selectors


def course_evaluations(request: HttpRequest) -> HttpResponse:
    if not selectors.may_read_reports(user=request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "evaluations/admin/courses.html",
        {
            "rows": selectors.course_report(),
            "minimum": selectors.rating_minimum(),
        },
    )


@hooks.register("register_admin_urls")
def register_evaluation_urls() -> list:
    return [path("course-evaluations/", course_evaluations, name="evaluations_courses")]


class EvaluationMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return selectors.may_read_reports(user=request.user)


@hooks.register("register_admin_menu_item")
def register_evaluation_menu_item() -> MenuItem:
    return EvaluationMenuItem(
        _("Course evaluations"), reverse("evaluations_courses"), icon_name="list-ul", order=220
    )

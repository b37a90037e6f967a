"""The course pages' context: what the templates in ``templates/courses/`` show, read from the
selectors as the views of the other pages do.

The pages (``courses.models``) ask for it through the ``construct_course_page_context`` hook,
because the selectors query the pages and the pages must not import them back.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from courses import selectors
from courses.models import PAGE_CONTEXT_HOOK, CourseIndexPage, CoursePage, LessonPage


@hooks.register(PAGE_CONTEXT_HOOK)
def construct_course_page_context(
    page: Page, request: HttpRequest, context: dict[str, Any]
) -> None:
    if isinstance(page, CourseIndexPage):
        filters = selectors.CatalogueFilters.from_query(request.GET)
        context["filters"] = filters
        context["courses"] = selectors.catalogue(index_page=page, filters=filters)
        context["filter_options"] = selectors.catalogue_filter_options()
    elif isinstance(page, CoursePage):
        context.update(selectors.course_page_context(course=page, user=request.user))
    elif isinstance(page, LessonPage):
        context.update(selectors.lesson_page_context(lesson=page, user=request.user))

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

from core import dates
from courses import selectors
from courses.models import PAGE_CONTEXT_HOOK, CourseIndexPage, CoursePage, LessonPage
from evaluations import selectors as evaluation_selectors


@hooks.register(PAGE_CONTEXT_HOOK)
def construct_course_page_context(
    page: Page, request: HttpRequest, context: dict[str, Any]
) -> None:
    if isinstance(page, CourseIndexPage):
        filters = selectors.CatalogueFilters.from_query(request.GET)
        context["filters"] = filters
        courses = selectors.catalogue(index_page=page, filters=filters)
        ratings = evaluation_selectors.course_ratings(course_ids=[c.pk for c in courses])
        for course in courses:
            course.rating = ratings.get(course.pk)
        context["courses"] = courses
        context["filter_options"] = selectors.catalogue_filter_options()
    elif isinstance(page, CoursePage):
        context.update(selectors.course_page_context(course=page, user=request.user))
        context["rating"] = evaluation_selectors.course_ratings(course_ids=[page.pk]).get(page.pk)
        context["reaction_open"] = evaluation_selectors.reaction_open_for_course(
            user=request.user, course=page, today=dates.today()
        )
    elif isinstance(page, LessonPage):
        context.update(selectors.lesson_page_context(lesson=page, user=request.user))

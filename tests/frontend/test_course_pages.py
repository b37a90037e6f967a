"""The course pages get their context from the web interface's hook
(``frontend/wagtail_hooks.py``) however they are rendered: served, and previewed in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from courses.models import CourseIndexPage, CoursePage, LessonPage
from tests.frontend.conftest import Demo, login

#: A page type and a context entry only the hook provides.
PAGES = [(CourseIndexPage, "courses"), (CoursePage, "builds"), (LessonPage, "lesson_state")]
PREVIEWS = [
    (CourseIndexPage, "courses"),
    (CoursePage, "builds"),
    (LessonPage, "lesson_state"),
]


def first_live(page_class: type[Page]) -> Page:
    return page_class.objects.live().order_by("path").first()


@pytest.mark.parametrize(("page_class", "key"), PREVIEWS, ids=lambda v: getattr(v, "__name__", v))
def test_the_admin_previews_each_course_page_with_its_context(
    demo: Demo, page_class: type[Page], key: str
) -> None:
    editor = login("admin")
    page = first_live(page_class)
    html = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    if page_class is LessonPage:
        # The lesson's StreamField is drawn by JavaScript, so it is not in the HTML form.
        data.update(
            nested_form_data({"body": streamfield([("paragraph", rich_text("<p>Draf.</p>"))])})
        )
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    response = editor.post(preview, data)
    assert response.json() == {"is_valid": True, "is_available": True}
    response = editor.get(preview, {"mode": ""})
    assert response.status_code == 200
    assert key in response.context


@pytest.mark.parametrize(("page_class", "key"), PAGES, ids=lambda v: getattr(v, "__name__", v))
def test_each_course_page_is_served_with_its_context(
    demo: Demo, page_class: type[Page], key: str
) -> None:
    response = login("demo.pegawai").get(first_live(page_class).url)
    assert response.status_code == 200
    assert key in response.context

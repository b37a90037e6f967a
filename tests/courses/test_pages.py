"""The page tree, authoring in the admin, the catalogue and its search, and what the pages
show — never the quiz answers before a submission."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from competencies.models import Competency
from courses import selectors, services
from courses.models import CourseIndexPage, CoursePage, Enrollment, LessonPage, QuizAttempt
from tests.competencies.factories import UserFactory
from tests.courses.conftest import TEXT, answers_for, lesson, make_course, question, quiz


def list_block(items: list[dict]) -> dict:
    """Form data of a ListBlock, as the page editor posts it."""
    data: dict = {"count": len(items)}
    for number, value in enumerate(items):
        data[str(number)] = {"deleted": "", "order": number, "value": value}
    return data


class PageTreeRules(WagtailPageTestCase):
    def test_the_catalogue_holds_courses_and_courses_hold_lessons(self) -> None:
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertCanCreateAt(Page, CourseIndexPage)
        self.assertCanCreateAt(CourseIndexPage, CoursePage)
        self.assertCanCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(Page, CoursePage)
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertCanNotCreateAt(LessonPage, LessonPage)


@pytest.mark.django_db
def test_an_editor_authors_a_course_and_a_lesson_with_a_quiz_in_the_admin(client: Client) -> None:
    client.force_login(UserFactory(username="widyaiswara", is_superuser=True, is_staff=True))
    root = Site.objects.get(is_default_site=True).root_page
    index = CourseIndexPage(title="Katalog", slug="courses")
    root.add_child(instance=index)
    tik13 = Competency.objects.get(code="TIK-13")
    response = client.post(
        f"/admin/pages/add/courses/coursepage/{index.pk}/",
        nested_form_data(
            {
                "title": "Keamanan Surel",
                "slug": "keamanan-surel",
                "summary": "Mengenali surel berbahaya.",
                "description": rich_text("<p>Untuk semua ASN.</p>"),
                "jp_hours": 2,
                "delivery_mode": "e_learning",
                "level": "dasar",
                "competencies": inline_formset([{"competency": tik13.pk, "level": 1}]),
                "passing_score": 80,
                "lesson_order": "sequential",
                "is_open": "on",
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:500]
    course = CoursePage.objects.get(slug="keamanan-surel")
    assert course.live and course.jp_hours == 2
    assert list(course.competencies.values_list("competency__code", "level")) == [("TIK-13", 1)]
    response = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/",
        nested_form_data(
            {
                "title": "Tautan Palsu",
                "slug": "tautan-palsu",
                "duration_minutes": 30,
                "is_required": "on",
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>Periksa alamat pengirim.</p>")),
                        (
                            "quiz",
                            {
                                "title": "Uji",
                                "kind": "graded",
                                "max_attempts": 2,
                                "score_policy": "last",
                                "questions_per_attempt": "",
                                "time_limit_minutes": 15,
                                "questions": list_block(
                                    [
                                        {
                                            "prompt": "Apa yang diperiksa?",
                                            "kind": "single",
                                            "explanation": "Alamat pengirim.",
                                            "choices": list_block(
                                                [
                                                    {"text": "Alamat pengirim", "correct": "on"},
                                                    {"text": "Warna logo"},
                                                ]
                                            ),
                                        }
                                    ]
                                ),
                            },
                        ),
                    ]
                ),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, re.findall(
        r"error-message\">(.*?)<", response.content.decode(), re.S
    )
    new_lesson = LessonPage.objects.get(slug="tautan-palsu")
    [(_quiz_id, value)] = new_lesson.quizzes().items()
    assert (value["kind"], value["max_attempts"], value["score_policy"]) == ("graded", 2, "last")
    assert (value["questions_per_attempt"], value["time_limit_minutes"]) == (None, 15)
    assert value["questions"][0]["prompt"] == "Apa yang diperiksa?"
    assert [c["correct"] for c in value["questions"][0]["choices"]] == [True, False]


@pytest.mark.django_db
def test_a_single_choice_question_needs_exactly_one_correct_answer() -> None:
    from wagtail.blocks.struct_block import StructBlockValidationError

    from courses.blocks import QuestionBlock

    block = QuestionBlock()
    value = block.to_python(question("?", "single", [("a", True), ("b", True)]))
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


def test_a_quiz_cannot_draw_more_questions_than_it_has() -> None:
    from wagtail.blocks.struct_block import StructBlockValidationError

    from courses.blocks import QuizBlock

    block = QuizBlock()
    value = block.to_python(
        quiz("Q", [question("?", "single", [("a", True), ("b", False)])], questions_per_attempt=2)[
            "value"
        ]
    )
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


def test_quiz_answers_are_not_in_the_page_before_submitting(catalogue, client: Client) -> None:
    client.force_login(catalogue.learner.user)
    services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    services.lesson_complete(
        employee=catalogue.learner, lesson=lesson(catalogue.basics, "tabel-dan-relasi")
    )
    final = lesson(catalogue.basics, "ujian-akhir")
    [quiz_id] = final.quizzes()
    client.post(f"/learn/lessons/{final.pk}/quiz/{quiz_id}/start/")
    html = client.get(final.url).content.decode()
    assert "Perintah untuk membaca data?" in html
    assert "Penjelasan" not in html  # explanations come only after the quiz is finished
    assert "correct" not in html.split('<article class="lesson">')[1].split("</article>")[
        0
    ].replace("correct answer", "")
    attempt = QuizAttempt.objects.get()
    quiz_id, answers = answers_for(final, attempt=attempt)
    client.post(
        f"/learn/lessons/{final.pk}/quiz/{quiz_id}/",
        {"attempt": attempt.pk, **{f"q-{q}": places for q, places in answers.items()}},
    )
    html = client.get(final.url).content.decode()
    assert "Penjelasan: Perintah untuk membaca data?" in html
    assert Enrollment.objects.get().is_completed


def cards(response) -> list[str]:
    return re.findall(
        r'<li class="course-card">\s*<h2><a href="([^"]+)"', response.content.decode()
    )


def test_the_catalogue_searches_titles_summaries_and_lesson_text(catalogue, client: Client) -> None:
    assert len(cards(client.get("/courses/"))) == 4
    assert cards(client.get("/courses/", {"q": "lanjut"})) == [catalogue.advanced.url]
    # "relasional" appears only in lesson text.
    assert len(cards(client.get("/courses/", {"q": "relasional"}))) == 4
    assert cards(client.get("/courses/", {"q": "kuantum"})) == []
    assert len(cards(client.get("/courses/", {"competency": "TIK-05", "level": "dasar"}))) == 4
    assert cards(client.get("/courses/", {"competency": "TIK-13"})) == []


def test_catalogue_search_finds_courses_by_their_lessons(catalogue) -> None:
    found = selectors.catalogue(filters=selectors.CatalogueFilters(query="replikasi"))
    assert [c.slug for c in found] == ["basis-data-lanjut"]


def test_catalogue_and_lesson_queries_do_not_grow_with_courses_or_lessons(
    catalogue, client: Client, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(catalogue.learner.user)
    services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    target = lesson(catalogue.basics, "tabel-dan-relasi")

    def count(url: str) -> int:
        client.get(url)  # warm per-process caches (site root, content types)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = (count("/courses/"), count(target.url))
    for number in range(6):
        make_course(
            catalogue.index,
            f"tambahan-{number}",
            jp=2,
            builds=[(catalogue.db, 1)],
            lessons=[
                (f"l{i}", [TEXT, quiz("Q", [question("?", "single", [("a", True), ("b", False)])])])
                for i in range(4)
            ],
        )
    extra = LessonPage(title="Tambahan", slug="tambahan", body=[])
    catalogue.basics.add_child(instance=extra)
    extra.save_revision().publish()
    assert (count("/courses/"), count(target.url)) == before


def test_enrolling_and_finishing_through_the_pages(catalogue, client: Client) -> None:
    client.force_login(catalogue.learner.user)
    response = client.post(f"/learn/courses/{catalogue.basics.pk}/enroll/")
    assert response.status_code == 302
    first = lesson(catalogue.basics, "tabel-dan-relasi")
    assert response["Location"] == first.url
    response = client.post(f"/learn/lessons/{first.pk}/done/")
    assert response["Location"] == lesson(catalogue.basics, "ujian-akhir").url
    html = client.get(catalogue.basics.url).content.decode()
    assert "1 dari 2" in html or "1 of 2" in html


def test_refusals_through_the_pages_record_nothing(catalogue, client: Client) -> None:
    client.force_login(catalogue.learner.user)
    response = client.post(f"/learn/courses/{catalogue.closed.pk}/enroll/", follow=True)
    assert "tidak dibuka" in response.content.decode() or "not open" in response.content.decode()
    response = client.post(f"/learn/courses/{catalogue.advanced.pk}/enroll/", follow=True)
    assert "Dasar Basis Data" in response.content.decode()
    express = lesson(catalogue.express, "semua-sekaligus")
    client.post(f"/learn/lessons/{express.pk}/done/")
    final = lesson(catalogue.basics, "ujian-akhir")
    [quiz_id] = final.quizzes()
    client.post(f"/learn/lessons/{final.pk}/quiz/{quiz_id}/start/")
    client.post(f"/learn/lessons/{final.pk}/quiz/{quiz_id}/", {"attempt": "1", "q-x": "0"})
    assert not Enrollment.objects.exists() and not QuizAttempt.objects.exists()


def test_a_login_without_an_employee_record_is_told_so(catalogue, client: Client) -> None:
    client.force_login(UserFactory(username="tamu"))
    response = client.post(f"/learn/courses/{catalogue.basics.pk}/enroll/")
    assert response.status_code == 403

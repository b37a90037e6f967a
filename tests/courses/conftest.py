"""A small catalogue built in the tests: courses, lessons with quizzes, and a learner."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from wagtail.models import Site

from competencies.models import Competency, Employee
from courses import quizzes
from courses.demo import _block
from courses.models import CourseCompetency, CourseIndexPage, CoursePage, LessonPage, QuizAttempt
from tests.competencies.factories import (
    EmployeeFactory,
    PositionFactory,
    UserFactory,
    assign,
    require,
)


def quiz(title: str, questions: list[dict[str, Any]], **settings: Any) -> dict[str, Any]:
    """A quiz block; in a course's last lesson it is the graded assessment (``courses.demo``),
    with the demo's settings unless ``settings`` say otherwise."""
    return {"type": "quiz", "value": {"title": title, **settings, "questions": questions}}


def question(prompt: str, kind: str, choices: list[tuple[str, bool]]) -> dict[str, Any]:
    return {
        "prompt": prompt,
        "kind": kind,
        "choices": [{"text": text, "correct": correct} for text, correct in choices],
        "explanation": f"Penjelasan: {prompt}",
    }


def make_course(
    index: CourseIndexPage,
    slug: str,
    *,
    jp: int,
    builds: list[tuple[Competency, int]],
    lessons: list[tuple[str, list[dict[str, Any]]]],
    prerequisites: list[CoursePage] = (),
    **fields: Any,
) -> CoursePage:
    course = CoursePage(
        title=slug.replace("-", " ").title(),
        slug=slug,
        summary=f"Ringkasan {slug}",
        jp_hours=jp,
        **fields,
    )
    for order, (competency, level) in enumerate(builds):
        course.competencies.add(
            CourseCompetency(competency=competency, level=level, sort_order=order)
        )
    index.add_child(instance=course)
    course.save_revision().publish()
    last = len(lessons) - 1
    for number, (lesson_slug, blocks) in enumerate(lessons):
        lesson = LessonPage(
            title=lesson_slug.replace("-", " ").title(),
            slug=lesson_slug,
            body=[
                _block(block, (slug, lesson_slug, i), number == last)
                for i, block in enumerate(blocks)
            ],
        )
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    if prerequisites:
        course.prerequisites.set(prerequisites)
        course.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


TEXT = {
    "type": "paragraph",
    "value": "<p>Basis data relasional menyimpan data dalam tabel yang saling berelasi.</p>",
}


@dataclass
class Catalogue:
    index: CourseIndexPage
    basics: CoursePage
    advanced: CoursePage
    express: CoursePage
    closed: CoursePage
    db: Competency
    learner: Employee


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    root = Site.objects.get(is_default_site=True).root_page
    index = CourseIndexPage(title="Katalog", slug="courses")
    root.add_child(instance=index)
    index.save_revision().publish()
    tik05 = Competency.objects.get(code="TIK-05")
    basics = make_course(
        index,
        "dasar-basis-data",
        jp=4,
        builds=[(tik05, 2)],
        certificate_validity_years=3,
        lessons=[
            ("tabel-dan-relasi", [TEXT]),
            (
                "ujian-akhir",
                [
                    TEXT,
                    quiz(
                        "Asesmen",
                        [
                            question(
                                "Perintah untuk membaca data?",
                                "single",
                                [("SELECT", True), ("DROP", False), ("GRANT", False)],
                            ),
                            question(
                                "Mana yang termasuk kunci?",
                                "multiple",
                                [("Primary key", True), ("Foreign key", True), ("Font key", False)],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )
    advanced = make_course(
        index,
        "basis-data-lanjut",
        jp=6,
        builds=[(tik05, 3)],
        prerequisites=[basics],
        lessons=[
            (
                "replikasi",
                [
                    TEXT,
                    quiz(
                        "Asesmen",
                        [
                            question(
                                "Replikasi untuk?",
                                "single",
                                [("Ketersediaan", True), ("Warna", False)],
                            )
                        ],
                    ),
                ],
            )
        ],
    )
    express = make_course(
        index,
        "basis-data-kilat",
        jp=12,
        builds=[(tik05, 3)],
        lessons=[("semua-sekaligus", [TEXT])],
    )
    closed = make_course(
        index, "ditutup", jp=2, builds=[(tik05, 1)], is_open=False, lessons=[("a", [TEXT])]
    )
    learner = EmployeeFactory(name="Ayu Anggraini", user=UserFactory(username="ayu"))
    post = PositionFactory(title="Pranata Komputer")
    require(post, tik05, 3, critical=True)
    assign(learner, post, dt.date(2022, 1, 1), kind="initial")
    return Catalogue(index, basics, advanced, express, closed, tik05, learner)


def lesson(course: CoursePage, slug: str) -> LessonPage:
    return LessonPage.objects.child_of(course).get(slug=slug)


def set_quiz(page: LessonPage, **settings: Any) -> LessonPage:
    """Publish ``page`` with its quiz's block settings changed, as an editor would."""
    body = [dict(block) for block in page.body.raw_data]
    for block in body:
        if block["type"] == "quiz":
            block["value"] = {**block["value"], **settings}
    page.body = body
    page.save_revision().publish()
    return LessonPage.objects.get(pk=page.pk)


def answers_for(
    page: LessonPage, *, right: bool = True, attempt: QuizAttempt | None = None
) -> tuple[str, dict[str, list[str]]]:
    """The lesson's quiz and answers to it as the form sends them (the places of the chosen
    choices in the order shown): all right, or one wrong choice per question. A graded quiz's
    answers depend on the ``attempt``'s draw."""
    [(quiz_id, value)] = page.quizzes().items()
    questions = dict(quizzes.questions_of(value))
    if attempt is None and quizzes.is_graded(value):
        raise ValueError("a graded quiz is answered within an attempt")
    drawn = attempt.draw if attempt is not None else quizzes.draw(value)
    result = {}
    for item in drawn:
        correct = set(quizzes.correct_choices(questions[item["question"]]))
        places = [
            str(n) for n, choice in enumerate(item["choices"]) if (choice in correct) == right
        ]
        result[item["question"]] = places if right else places[:1]
    return quiz_id, result

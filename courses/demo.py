"""Demo courses from ``data/courses.json`` as Wagtail pages, and demo learners' progress.

Idempotent: the catalogue and each course are matched by slug; learners' enrollments are
made once. Learners go through the same services as on the site (answering the quizzes),
so completions produce evidence, ledger lines and certificates the ordinary way.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from wagtail.models import Page, Site

from competencies.models import Competency, Employee
from core import dates
from courses import quizzes, services
from courses.blocks import DEFAULT_MAX_ATTEMPTS, QuizKind, ScorePolicy
from courses.models import (
    CourseCompetency,
    CourseIndexPage,
    CoursePage,
    Enrollment,
    LessonPage,
    QuizAttempt,
)

DATA = Path(__file__).resolve().parent / "data" / "courses.json"
NAMESPACE = uuid.UUID("7b0c4a52-3d1c-4c1e-9a59-3f4f3a6f0d11")


def _id(*parts: object) -> str:
    """Stable block ids, so that the same content always gets the same quiz/question ids."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


#: How the demo courses' final assessments are taken unless a quiz in the data says otherwise:
#: graded, three attempts, the best counts, half an hour (the database course draws 8 of its
#: 12 questions and gives 20 minutes). The lessons' own quizzes are practice.
FINAL_ASSESSMENT = {
    "kind": QuizKind.GRADED,
    "max_attempts": DEFAULT_MAX_ATTEMPTS,
    "score_policy": ScorePolicy.BEST,
    "questions_per_attempt": None,
    "time_limit_minutes": 30,
}
PRACTICE = {**FINAL_ASSESSMENT, "kind": QuizKind.PRACTICE, "time_limit_minutes": None}


def _block(block: dict[str, Any], key: tuple[object, ...], is_final: bool) -> dict[str, Any]:
    """A StreamField block from the data; a quiz of the last lesson is the graded assessment."""
    kind, value = block["type"], block["value"]
    if kind == "quiz":
        defaults = FINAL_ASSESSMENT if is_final else PRACTICE
        value = {
            "title": value.get("title", "Uji pemahaman"),
            **{name: value.get(name, default) for name, default in defaults.items()},
            "questions": [
                {
                    "type": "item",
                    "id": _id(*key, "q", qi),
                    "value": {
                        "prompt": question["prompt"],
                        "kind": question["kind"],
                        "explanation": question["explanation"],
                        "choices": [
                            {"type": "item", "id": _id(*key, "q", qi, "c", ci), "value": choice}
                            for ci, choice in enumerate(question["choices"])
                        ],
                    },
                }
                for qi, question in enumerate(value["questions"])
            ],
        }
    return {"type": kind, "value": value, "id": _id(*key)}


def catalogue_page() -> CourseIndexPage:
    existing = CourseIndexPage.objects.first()
    if existing is not None:
        return existing
    site = Site.objects.get(is_default_site=True)
    root: Page = site.root_page.specific
    index = CourseIndexPage(
        title="Katalog Kursus",
        slug="courses",
        intro="<p>Kursus kompetensi TIK untuk ASN. Setiap kursus menambah jam pelajaran (JP) Anda "
        "menuju 20 JP setahun dan mencatat kompetensi yang dibangunnya.</p>",
    )
    root.add_child(instance=index)
    index.save_revision().publish()
    return index


@transaction.atomic
def seed_courses() -> int:
    """Create the catalogue and the demo courses that are not there yet; returns how many."""
    index = catalogue_page()
    data = json.loads(DATA.read_text(encoding="utf-8"))
    competencies = {c.code: c for c in Competency.objects.all()}
    existing = {page.slug: page for page in CoursePage.objects.child_of(index)}
    created = 0
    for entry in data:
        if entry["slug"] in existing:
            continue
        course = CoursePage(
            title=entry["title"],
            slug=entry["slug"],
            summary=entry["summary"],
            description=entry["description"],
            jp_hours=entry["jp_hours"],
            delivery_mode=entry["delivery_mode"],
            level=entry["level"],
            passing_score=entry["passing_score"],
            certificate_validity_years=entry["validity_years"],
            lesson_order=entry["lesson_order"],
            is_open=True,
        )
        for order, link in enumerate(entry["competencies"]):
            course.competencies.add(
                CourseCompetency(
                    competency=competencies[link["code"]], level=link["level"], sort_order=order
                )
            )
        index.add_child(instance=course)
        course.save_revision().publish()
        last = len(entry["lessons"]) - 1
        for number, lesson_data in enumerate(entry["lessons"]):
            lesson = LessonPage(
                title=lesson_data["title"],
                slug=lesson_data["slug"],
                duration_minutes=lesson_data["duration_minutes"],
                body=[
                    _block(block, (entry["slug"], lesson_data["slug"], position), number == last)
                    for position, block in enumerate(lesson_data["blocks"])
                ],
            )
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
        existing[entry["slug"]] = course
        created += 1
    for entry in data:
        course = existing[entry["slug"]]
        wanted = [existing[slug] for slug in entry["prerequisites"]]
        if set(course.prerequisites.all()) != set(wanted):
            course.prerequisites.set(wanted)
            course.save_revision().publish()
    return created


def correct_answers(
    lesson: LessonPage, quiz_id: str, attempt: QuizAttempt | None = None
) -> dict[str, list[str]]:
    """The right answers as the quiz form sends them: per question asked, the places of the
    right choices in the order shown — the draw of ``attempt`` for a graded quiz, the
    editor's order for a practice one."""
    quiz = lesson.quizzes()[quiz_id]
    if attempt is None and quizzes.is_graded(quiz):
        raise ValueError("a graded quiz's right answers depend on the attempt's draw")
    questions = dict(quizzes.questions_of(quiz))
    drawn = attempt.draw if attempt is not None else quizzes.draw(quiz)
    return {
        item["question"]: [
            str(place)
            for place, choice_id in enumerate(item["choices"])
            if choice_id in quizzes.correct_choices(questions[item["question"]])
        ]
        for item in drawn
    }


def take_course(
    employee: Employee, course: CoursePage, *, lessons: int | None = None
) -> Enrollment:
    """Take ``course`` as a learner would: enroll, read, answer every quiz correctly (starting
    an attempt first where the quiz is graded)."""
    enrollment = services.enrollment_create(employee=employee, course=course)
    for lesson in services.lessons_of(course)[:lessons]:
        lesson_quizzes = lesson.quizzes()
        if not lesson_quizzes:
            services.lesson_complete(employee=employee, lesson=lesson)
        for quiz_id, quiz in lesson_quizzes.items():
            attempt = None
            if quizzes.is_graded(quiz):
                attempt = services.quiz_attempt_start(
                    employee=employee, lesson=lesson, quiz_id=quiz_id
                )
            services.quiz_submit(
                employee=employee,
                lesson=lesson,
                quiz_id=quiz_id,
                answers=correct_answers(lesson, quiz_id, attempt),
                attempt_id=attempt.pk if attempt is not None else None,
            )
    enrollment.refresh_from_db()
    return enrollment


@transaction.atomic
def seed_learners(*, pegawai: Employee | None, others: list[Employee]) -> int:
    """The demo civil servant has finished one course and is halfway through another; a few
    colleagues have finished courses too. Runs once (returns 0 when already done)."""
    if Enrollment.objects.exists():
        return 0
    courses = {page.slug: page for page in CoursePage.objects.live()}
    count = 0
    if pegawai is not None:
        take_course(pegawai, courses["keamanan-informasi-dasar-asn"])
        take_course(pegawai, courses["manajemen-data-satu-data-indonesia"], lessons=2)
        services.learning_record_create(
            employee=pegawai,
            title="Digital Talent Scholarship: Government Transformation Academy — Cloud Computing",
            provider="Kementerian Komunikasi dan Digital",
            jp_hours=Decimal(8),
            completed_date=dates.today().replace(month=3, day=14)
            if dates.today() >= dates.today().replace(month=3, day=14)
            else dates.today(),
            reference="DTS-GTA-2026-0412",
        )
        count += 2
    for number, employee in enumerate(others):
        slug = [
            "keamanan-informasi-dasar-asn",
            "dasar-pengelolaan-basis-data",
            "manajemen-layanan-ti-pemda",
        ][number % 3]
        take_course(employee, courses[slug], lessons=None if number % 2 == 0 else 1)
        count += 1
    return count

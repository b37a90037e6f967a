"""Graded quizzes through the web pages and the API: the answers stay on the server until the
quiz is finished, attempts are limited and spaced, a timed attempt ends on the server, each
attempt is scored against the questions it drew, and practice quizzes still teach at once.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.http import HttpResponse as Response
from django.test import Client
from django.utils import timezone

from competencies.models import Employee
from courses import quizzes, services
from courses.models import CoursePage, Enrollment, LessonPage, QuizAttempt
from tests.competencies.factories import EmployeeFactory, UserFactory
from tests.conftest import wait_until
from tests.courses.conftest import (
    TEXT,
    Catalogue,
    answers_for,
    lesson,
    make_course,
    question,
    quiz,
    set_quiz,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


@dataclass
class Learner:
    client: Client
    employee: Employee
    course: CoursePage
    final: LessonPage
    quiz_id: str

    def page(self, headers: dict[str, str] = EN) -> str:
        response = self.client.get(self.final.url, **headers)
        assert response.status_code == 200
        return response.content.decode()

    def quiz_html(self, headers: dict[str, str] = EN) -> str:
        """The quiz's section of the lesson page (without its per-request CSRF token)."""
        html = self.page(headers)
        section = html.split(f'id="quiz-{self.quiz_id}"', 1)[1].split("</section>", 1)[0]
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", section)

    def start(self, headers: dict[str, str] = EN) -> str:
        response = self.client.post(
            f"/learn/lessons/{self.final.pk}/quiz/{self.quiz_id}/start/", follow=True, **headers
        )
        assert response.status_code == 200
        return response.content.decode()

    def attempt(self) -> QuizAttempt:
        """The attempt in progress."""
        return QuizAttempt.objects.get(
            enrollment__employee=self.employee, quiz_id=self.quiz_id, status="open"
        )

    def submit(
        self,
        answers: dict[str, list[str]],
        *,
        attempt: int | str | None,
        headers: dict[str, str] = EN,
    ) -> str:
        data: dict[str, object] = {f"q-{q}": places for q, places in answers.items()}
        if attempt is not None:
            data["attempt"] = str(attempt)
        response = self.client.post(
            f"/learn/lessons/{self.final.pk}/quiz/{self.quiz_id}/", data, follow=True, **headers
        )
        assert response.status_code == 200
        return response.content.decode()

    def take(self, *, right: bool) -> str:
        """Start an attempt and submit it all right or all wrong; the page after."""
        self.start()
        attempt = self.attempt()
        _quiz_id, answers = answers_for(self.final, right=right, attempt=attempt)
        return self.submit(answers, attempt=attempt.pk)


def enrolled(catalogue: Catalogue, client: Client) -> Learner:
    """The catalogue's learner, logged in, enrolled in the basics course with its first lesson
    done, before its graded assessment (two questions, three attempts)."""
    client.force_login(catalogue.learner.user)
    services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    services.lesson_complete(
        employee=catalogue.learner, lesson=lesson(catalogue.basics, "tabel-dan-relasi")
    )
    final = set_quiz(lesson(catalogue.basics, "ujian-akhir"), time_limit_minutes=None)
    [quiz_id] = final.quizzes()
    return Learner(client, catalogue.learner, catalogue.basics, final, quiz_id)


def choice_ids(page: LessonPage) -> list[str]:
    return [
        choice.id
        for quiz_value in page.quizzes().values()
        for question_block in quiz_value["questions"].bound_blocks
        for choice in question_block.value["choices"].bound_blocks
    ]


def explanations(page: LessonPage) -> list[str]:
    return [
        question_value["explanation"]
        for quiz_value in page.quizzes().values()
        for _question_id, question_value in quizzes.questions_of(quiz_value)
    ]


def assert_no_answers(html: str, page: LessonPage, *, quiz_id: str) -> None:
    """Nothing in ``html`` (a page, or a JSON document) tells a right choice from a wrong one:
    no choice ids (the page names choices by their place), no explanation, and in the quiz no
    mark, class or attribute that singles out a choice or a question."""
    for choice_id in choice_ids(page):
        assert choice_id not in html
    for explanation in explanations(page):
        assert explanation not in html
    section = html.split(f'id="quiz-{quiz_id}"', 1)[-1].split("</section>", 1)[0]
    for marker in ("✓", "✗", "choice-mark", "correct answer", "Correct.", "Not quite", " data-"):
        assert marker not in section
    assert not re.search(r'class="(question (in)?correct|explanation)', section)


@pytest.fixture
def no_wait(settings) -> None:
    settings.QUIZ_RETRY_WAIT_MINUTES = 0


# --- What the browser gets ---------------------------------------------------------------------


def test_the_answers_stay_on_the_server_until_the_last_attempt(
    catalogue, client: Client, no_wait
) -> None:
    learner = enrolled(catalogue, client)
    before = learner.quiz_html()
    assert "Start the quiz" in before
    assert "2 questions per attempt" in before and "3 attempts allowed" in before
    assert "Perintah untuk membaca data?" not in before  # questions come with an attempt
    assert_no_answers(learner.page(), learner.final, quiz_id=learner.quiz_id)

    learner.start()
    during = learner.page()
    assert "Perintah untuk membaca data?" in during and "Mana yang termasuk kunci?" in during
    assert f'name="attempt" value="{learner.attempt().pk}"' in during
    assert_no_answers(during, learner.final, quiz_id=learner.quiz_id)

    for left in (2, 1):
        html = learner.take(right=False)
        section = learner.quiz_html()
        assert "0 of 2 correct (0%)" in section and "Not passed yet." in section
        assert f"{left} attempt{'s' if left > 1 else ''} left." in section
        assert_no_answers(html, learner.final, quiz_id=learner.quiz_id)

    # The third and last attempt: now the right answers and the explanations are shown.
    learner.take(right=False)
    section = learner.quiz_html()
    assert "You have used every attempt." in section
    final_attempt = QuizAttempt.objects.filter(quiz_id=learner.quiz_id).latest("number")
    [(_quiz_id, value)] = learner.final.quizzes().items()
    questions = dict(quizzes.questions_of(value))
    for item in final_attempt.draw:
        assert questions[item["question"]]["explanation"] in section
    assert section.count('aria-label="correct answer"') == 3  # SELECT; primary and foreign key
    assert section.count("Not quite.") == 2
    assert 'name="attempt"' not in section and "Start the next attempt" not in section


def test_passing_shows_the_answers(catalogue, client: Client) -> None:
    learner = enrolled(catalogue, client)
    learner.take(right=True)
    section = learner.quiz_html()
    assert "2 of 2 correct (100%)" in section and "Passed." in section
    assert "Penjelasan: Perintah untuk membaca data?" in section
    assert section.count("Correct.") == 2
    assert "Start the next attempt" not in section
    assert learner.course.enrollments.get().is_completed


def test_the_json_api_carries_no_quiz_answers(catalogue, client: Client, no_wait) -> None:
    learner = enrolled(catalogue, client)
    learner.take(right=False)
    for url in ("/api/v1/courses/", "/api/v1/enrollments/", "/api/v1/schema/?format=json"):
        response = client.get(url, **EN)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert_no_answers(body, learner.final, quiz_id=learner.quiz_id)
        assert learner.quiz_id not in body


def test_a_visitor_who_is_not_enrolled_sees_no_graded_questions(catalogue, client: Client) -> None:
    client.force_login(catalogue.learner.user)
    final = lesson(catalogue.basics, "ujian-akhir")
    html = client.get(final.url, **EN).content.decode()
    assert "Enroll in the course to take this quiz." in html
    assert "Perintah untuk membaca data?" not in html
    assert_no_answers(html, final, quiz_id=next(iter(final.quizzes())))


# --- Attempts, waiting and time ----------------------------------------------------------------


def test_a_fourth_attempt_is_refused(catalogue, client: Client, no_wait) -> None:
    learner = enrolled(catalogue, client)
    for _attempt in range(3):
        learner.take(right=False)
    html = learner.start()
    assert "You have used every attempt this quiz allows." in html
    assert QuizAttempt.objects.count() == 3
    # In Indonesian too.
    html = learner.start(ID)
    assert "Anda sudah menggunakan semua percobaan yang diizinkan untuk kuis ini." in html
    assert QuizAttempt.objects.count() == 3


def test_a_retry_inside_the_waiting_time_is_refused(catalogue, client: Client, settings) -> None:
    settings.QUIZ_RETRY_WAIT_MINUTES = 10
    learner = enrolled(catalogue, client)
    submitted_at = timezone.now().replace(microsecond=0)
    with time_machine.travel(submitted_at, tick=False) as clock:
        learner.take(right=False)
        clock.shift(dt.timedelta(minutes=9, seconds=59))
        ready = timezone.localtime(submitted_at + dt.timedelta(minutes=10)).strftime("%H:%M")
        assert "You can start the next attempt at" in learner.quiz_html()
        html = learner.start()
        assert f"Wait before the next attempt: you can start it at {ready}" in html
        assert QuizAttempt.objects.count() == 1
        clock.shift(dt.timedelta(seconds=1))
        assert "Start the next attempt" in learner.quiz_html()
        learner.start()
        assert QuizAttempt.objects.filter(status="open").count() == 1


def test_a_submission_after_the_time_limit_is_refused(catalogue, client: Client, settings) -> None:
    settings.QUIZ_RETRY_WAIT_MINUTES = 10
    learner = enrolled(catalogue, client)
    learner.final = set_quiz(learner.final, time_limit_minutes=5)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        # Submitted a few seconds after the deadline: within the grace, accepted.
        learner.start()
        assert "Submit your answers by" in learner.quiz_html()
        first = learner.attempt()
        assert first.deadline_at == first.started_at + dt.timedelta(minutes=5)
        clock.shift(dt.timedelta(minutes=5, seconds=5))
        _quiz_id, wrong = answers_for(learner.final, right=False, attempt=first)
        learner.submit(wrong, attempt=first.pk)
        first.refresh_from_db()
        assert first.status == "submitted"

        # Past the grace: refused, nothing stored, and the attempt is used up.
        clock.shift(dt.timedelta(minutes=10))
        learner.start()
        second = learner.attempt()
        clock.shift(quizzes.TIME_LIMIT_GRACE + dt.timedelta(minutes=5, seconds=1))
        _quiz_id, right = answers_for(learner.final, attempt=second)
        html = learner.submit(right, attempt=second.pk)
        assert "The time for this attempt has run out" in html
        second.refresh_from_db()
        assert (second.status, second.score, second.answers) == ("open", None, None)
        section = learner.quiz_html()
        assert "Attempt 2: the time ran out before the answers were submitted (0%)." in section
        assert "1 attempt left." in section
        assert not learner.course.enrollments.get().is_completed

        # The next attempt waits from the deadline; starting it closes the one that ran out.
        clock.shift(dt.timedelta(minutes=10))
        learner.start()
        second.refresh_from_db()
        assert (second.status, second.score) == ("expired", 0)
        assert QuizAttempt.objects.filter(status="open").count() == 1


# --- Pools and what a submission may name ------------------------------------------------------


@pytest.fixture
def pooled(catalogue: Catalogue, client: Client) -> Learner:
    """A course whose graded quiz draws 3 of its 5 questions for each attempt."""
    course = make_course(
        catalogue.index,
        "keamanan-basis-data",
        jp=2,
        builds=[(catalogue.db, 1)],
        lessons=[
            (
                "asesmen",
                [
                    TEXT,
                    quiz(
                        "Asesmen keamanan",
                        [
                            question(
                                f"Pertanyaan {n}?",
                                "single",
                                [
                                    (f"Benar {n}", True),
                                    (f"Salah {n}a", False),
                                    (f"Salah {n}b", False),
                                ],
                            )
                            for n in range(1, 6)
                        ],
                        questions_per_attempt=3,
                        time_limit_minutes=None,
                    ),
                ],
            )
        ],
    )
    client.force_login(catalogue.learner.user)
    services.enrollment_create(employee=catalogue.learner, course=course)
    final = lesson(course, "asesmen")
    [quiz_id] = final.quizzes()
    return Learner(client, catalogue.learner, course, final, quiz_id)


def shown(html: str) -> list[tuple[str, list[str]]]:
    """The questions on the page and the texts of their choices, in order."""
    return [
        (question_id, re.findall(r"<span>([^<]+)</span>", fieldset))
        for question_id, fieldset in re.findall(
            r'name="q-([^"]+)"[^>]*>(.*?)</fieldset>', html, flags=re.S
        )
    ]


def test_the_draw_stays_the_same_across_reloads(pooled: Learner) -> None:
    pooled.start()
    attempt = pooled.attempt()
    assert len(attempt.draw) == 3
    first = pooled.quiz_html()
    questions = re.findall(r'name="q-([^"]+)"', first)
    assert list(dict.fromkeys(questions)) == [item["question"] for item in attempt.draw]
    assert first.count("<fieldset>") == 3
    # A reload, and starting again (a second tab): the same questions, choices in the same order.
    assert pooled.quiz_html() == first
    pooled.start()
    assert QuizAttempt.objects.count() == 1
    assert pooled.quiz_html() == first
    # The choices are shown in the order the attempt drew them.
    [(_quiz_id, value)] = pooled.final.quizzes().items()
    texts = {
        choice_id: choice["text"]
        for _question_id, q in quizzes.questions_of(value)
        for choice_id, choice in quizzes.choices_of(q)
    }
    for item in attempt.draw:
        section = first.split(f'name="q-{item["question"]}"', 1)[1]
        positions = [section.index(f"<span>{texts[c]}</span>") for c in item["choices"]]
        assert positions == sorted(positions)


def test_a_question_that_was_not_drawn_is_refused(pooled: Learner) -> None:
    pooled.start()
    attempt = pooled.attempt()
    _quiz_id, answers = answers_for(pooled.final, attempt=attempt)
    [(_quiz_id, value)] = pooled.final.quizzes().items()
    [undrawn, *_rest] = [
        question_id for question_id, _q in quizzes.questions_of(value) if question_id not in answers
    ]
    html = pooled.submit({**answers, undrawn: ["0"]}, attempt=attempt.pk)
    assert "This question is not part of your attempt." in html
    attempt.refresh_from_db()
    assert (attempt.status, attempt.answers) == ("open", None)
    # The same answers without it are scored against the draw.
    pooled.submit(answers, attempt=attempt.pk)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.correct, attempt.questions) == ("submitted", 3, 3)


def test_submissions_for_other_attempts_are_refused(catalogue, client: Client) -> None:
    learner = enrolled(catalogue, client)
    learner.start()
    mine = learner.attempt()
    _quiz_id, answers = answers_for(learner.final, attempt=mine)

    # Someone else, enrolled in the same course, cannot submit my attempt.
    other = Client()
    colleague = EmployeeFactory(name="Bima Saputra", user=UserFactory(username="bima"))
    services.enrollment_create(employee=colleague, course=learner.course)
    services.lesson_complete(employee=colleague, lesson=lesson(learner.course, "tabel-dan-relasi"))
    other.force_login(colleague.user)
    intruder = Learner(other, colleague, learner.course, learner.final, learner.quiz_id)
    assert "You have no such attempt at this quiz." in intruder.submit(answers, attempt=mine.pk)
    assert "Start an attempt before submitting" in learner.submit(answers, attempt=None)
    assert "You have no such attempt at this quiz." in learner.submit(answers, attempt="x")
    mine.refresh_from_db()
    assert mine.status == "open"

    # Submitted once, then the same attempt again.
    learner.submit(answers, attempt=mine.pk)
    assert "This attempt has already been submitted." in learner.submit(answers, attempt=mine.pk)
    assert QuizAttempt.objects.filter(enrollment__employee=catalogue.learner).count() == 1


def test_practice_quizzes_teach_at_once(catalogue, client: Client) -> None:
    course = make_course(
        catalogue.index,
        "latihan-sql",
        jp=2,
        builds=[(catalogue.db, 1)],
        lessons=[
            (
                "latihan",
                [
                    TEXT,
                    quiz(
                        "Latihan",
                        [
                            question(
                                "Perintah membaca?", "single", [("SELECT", True), ("DROP", False)]
                            )
                        ],
                    ),
                ],
            ),
            ("penutup", [TEXT]),
        ],
    )
    client.force_login(catalogue.learner.user)
    services.enrollment_create(employee=catalogue.learner, course=course)
    practice = lesson(course, "latihan")
    [quiz_id] = practice.quizzes()
    learner = Learner(client, catalogue.learner, course, practice, quiz_id)
    assert "Practice" in learner.quiz_html() and "Start the quiz" not in learner.quiz_html()
    for attempt in range(1, 5):  # no limit and no waiting
        _quiz_id, wrong = answers_for(practice, right=False)
        learner.submit(wrong, attempt=None)
        section = learner.quiz_html()
        assert f"Attempt {attempt}: 0 of 1 correct (0%)." in section
        assert "Not quite." in section and "Penjelasan: Perintah membaca?" in section
        assert section.count('aria-label="correct answer"') == 1
    assert QuizAttempt.objects.filter(kind="practice", status="submitted").count() == 4


# --- Two requests at once ----------------------------------------------------------------------


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps the first view of pg_stat_activity: drop it.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _while_the_first_holds_the_lock(enrollment_id: int, second, first) -> Response:
    """Two requests at once, in a known order: ``first`` (a service call) holds the
    enrollment's row lock while ``second`` (a request from another tab) arrives and must wait
    for it; then ``first`` writes and commits, and ``second`` goes on. The second's response."""
    outcome: list[Response | Exception] = []

    def send() -> None:
        try:
            outcome.append(second())
        except Exception as error:  # e.g. an IntegrityError had the two not taken turns
            outcome.append(error)
        finally:
            connections.close_all()

    other = threading.Thread(target=send)
    with transaction.atomic():
        Enrollment.objects.select_for_update().get(pk=enrollment_id)
        other.start()
        wait_until(_waiting_for_a_lock, what="the second request to wait its turn")
        first()
    other.join(timeout=60)
    [response] = outcome
    assert isinstance(response, Response), repr(response)
    return response


@pytest.mark.usefixtures("transactional_db", "django_db_serialized_rollback")
def test_two_starts_or_two_submissions_at_once_take_turns(catalogue) -> None:
    learner = enrolled(catalogue, Client())
    tab = Client()
    tab.force_login(catalogue.learner.user)
    enrollment = learner.course.enrollments.get()
    start = f"/learn/lessons/{learner.final.pk}/quiz/{learner.quiz_id}/start/"
    response = _while_the_first_holds_the_lock(
        enrollment.pk,
        lambda: tab.post(start, **EN),
        lambda: services.quiz_attempt_start(
            employee=learner.employee, lesson=learner.final, quiz_id=learner.quiz_id
        ),
    )
    assert response.status_code == 302
    [attempt] = QuizAttempt.objects.all()  # the second start found the first one's attempt

    _quiz_id, answers = answers_for(learner.final, attempt=attempt)
    data = {"attempt": attempt.pk, **{f"q-{q}": p for q, p in answers.items()}}
    response = _while_the_first_holds_the_lock(
        enrollment.pk,
        lambda: tab.post(f"/learn/lessons/{learner.final.pk}/quiz/{learner.quiz_id}/", data, **EN),
        lambda: services.quiz_submit(
            employee=learner.employee,
            lesson=learner.final,
            quiz_id=learner.quiz_id,
            answers=answers,
            attempt_id=attempt.pk,
        ),
    )
    assert response.status_code == 302
    assert (
        "This attempt has already been submitted."
        in tab.get(learner.final.url, **EN).content.decode()
    )
    [attempt] = QuizAttempt.objects.all()
    assert (attempt.status, attempt.score) == ("submitted", 100)
    assert learner.course.enrollments.get().is_completed

"""A civil servant's pages: home, my competencies (and readiness), history, certificates, and
the demo courses' graded assessments."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from certificates.selectors import certificates_for
from competencies import selectors
from competencies.models import Position
from courses import services
from courses.demo import take_course
from courses.models import CoursePage
from courses.selectors import in_progress, learning_hours
from tests.competencies.factories import EmployeeFactory, UserFactory
from tests.frontend.conftest import Demo

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def test_anonymous_visitors_get_the_landing_page(client: Client, demo: Demo) -> None:
    html = client.get("/", **EN).content.decode()
    assert "Browse courses" in html
    assert "Courses in progress" not in html


@pytest.mark.parametrize(
    "url", ["/me/competencies/", "/me/history/", "/me/certificates/", "/dashboard/"]
)
def test_anonymous_visitors_are_sent_to_log_in(client: Client, demo: Demo, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


def test_the_home_shows_progress_jp_recommendations_and_certificates(
    pegawai: Client, demo: Demo
) -> None:
    response = pegawai.get("/", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Welcome, {demo.pegawai.name}" in html
    # The course in progress, its progress bar and where to continue.
    [item] = in_progress(employee=demo.pegawai)
    assert item.enrollment.course.title in html
    assert f'aria-valuenow="{item.percent}"' in html
    assert f"{item.done} of {item.total} lessons" in html
    assert re.search(r'class="button small-button" href="/courses/[^"]+/">Continue', html)
    # JP this year against the target, with the breakdown by source.
    hours = learning_hours(employee=demo.pegawai, year=timezone.localdate().year)
    assert hours.by_source["course_completion"] and hours.by_source["external_training"]
    assert 'role="img"' in html and f"of {hours.target} JP" in html
    assert "Tangkas courses" in html and "External training" in html
    assert f"{hours.total.normalize():f} / {hours.target} JP" in html
    # Courses for the gaps, and the latest certificate.
    assert "Recommended for your gaps" in html
    assert response.context["suggestions"]
    for suggestion in response.context["suggestions"]:
        assert suggestion.course.title in html
    [certificate] = certificates_for(employee=demo.pegawai)
    assert certificate.title in html and "Valid" in html


def test_a_head_sees_a_link_to_the_dashboard_on_the_home_page(
    kepala: Client, pegawai: Client, demo: Demo
) -> None:
    assert 'href="/dashboard/"' in kepala.get("/").content.decode()
    assert 'href="/dashboard/"' not in pegawai.get("/").content.decode()


def test_a_login_without_an_employee_gets_the_landing_page_with_a_note(
    client: Client, demo: Demo
) -> None:
    client.force_login(UserFactory(username="visitor"))
    html = client.get("/", **EN).content.decode()
    assert "not linked to an employee record" in html
    response = client.get("/me/competencies/", **EN)
    assert response.status_code == 403
    assert "not linked to an employee record" in response.content.decode()


def test_my_competencies_chart_gaps_and_evidence(pegawai: Client, demo: Demo) -> None:
    response = pegawai.get("/me/competencies/", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    [held] = selectors.employee_gaps(employee=demo.pegawai, as_of=timezone.localdate())
    assert held.position.title in html
    # The SVG chart and, next to it, the same numbers in a table with headers.
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert "Proficiency against the requirements of" in html
    assert '<th scope="col" class="num">Gap</th>' in html
    for row in held.rows:
        assert f'<a href="/competencies/{row.code}/">{row.code}</a>' in html
        assert f"{row.proficiency}/{row.required_level}" in html
    assert f"{held.readiness_pct:.0f}%" in html and "requirements met" in html
    # The evidence behind each level.
    evidence = [e for p in response.context["proficiency"].values() for e in p.evidence]
    assert evidence
    assert "piece of evidence" in html or "pieces of evidence" in html
    assert evidence[0].get_source_display() in html


def test_readiness_for_another_position(pegawai: Client, demo: Demo) -> None:
    target = Position.objects.get(code="DISKOMINFO-APTIKA-EGOV-PK-AM")
    response = pegawai.get(f"/me/competencies/?position={target.pk}", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    readiness = selectors.employee_readiness(
        employee=demo.pegawai, position=target, as_of=timezone.localdate()
    )
    assert f"Readiness for {target.title}" in html
    assert f"{readiness.readiness_pct:.0f}%" in html
    assert f'<option value="{target.pk}" selected>' in html
    assert "Back to my current position" in html


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_an_unknown_position_is_explained(pegawai: Client, demo: Demo, value: str) -> None:
    response = pegawai.get(f"/me/competencies/?position={value}", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose one of the positions in the list." in html
    assert 'aria-invalid="true"' in html
    assert response.context["readiness"] is None


def test_my_position_history(pegawai: Client, demo: Demo) -> None:
    response = pegawai.get("/me/history/", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    history = list(selectors.assignment_history(employee=demo.pegawai))
    assert len(history) >= 2
    for assignment in history:
        assert assignment.position.title in html
        assert assignment.position.org_unit.name in html
        assert assignment.start_date.strftime("%Y-%m-%d") in html
    assert "today" in html


def test_my_certificates_with_pdf_and_share_link(pegawai: Client, demo: Demo) -> None:
    response = pegawai.get("/me/certificates/", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    [certificate] = certificates_for(employee=demo.pegawai)
    assert certificate.pdf
    assert certificate.title in html and certificate.short_code in html
    assert f'href="/verify/{certificate.code}/certificate.pdf"' in html
    assert f'value="http://127.0.0.1:8000/verify/{certificate.code}/"' in html
    pdf = pegawai.get(f"/verify/{certificate.code}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_civil_servant_without_certificates_is_told_how_to_earn_one(
    client: Client, demo: Demo
) -> None:
    client.force_login(EmployeeFactory(user=UserFactory(username="newcomer")).user)
    html = client.get("/me/certificates/", **EN).content.decode()
    assert "No certificates yet" in html
    assert 'href="/courses/"' in html


def test_the_header_marks_the_current_page(pegawai: Client, demo: Demo) -> None:
    html = pegawai.get("/me/history/", **EN).content.decode()
    assert '<a href="/me/competencies/" aria-current="page">My competencies</a>' in html
    assert '<a href="/me/history/" aria-current="page">Position history</a>' in html


def test_the_demo_courses_end_with_a_graded_assessment(demo: Demo) -> None:
    for course in CoursePage.objects.live():
        *lessons, last = services.lessons_of(course)
        kinds = [quiz["kind"] for page in lessons for quiz in page.quizzes().values()]
        assert kinds and set(kinds) == {"practice"}, course.slug
        [assessment] = last.quizzes().values()
        assert assessment["kind"] == "graded", course.slug
        assert (assessment["max_attempts"], assessment["score_policy"]) == (3, "best")
        assert assessment["time_limit_minutes"], course.slug


def test_the_database_assessment_draws_8_of_its_12_questions(pegawai: Client, demo: Demo) -> None:
    course = CoursePage.objects.get(slug="dasar-pengelolaan-basis-data")
    take_course(demo.pegawai, course, lessons=3)
    final = services.lessons_of(course)[-1]
    [(quiz_id, assessment)] = final.quizzes().items()
    assert len(assessment["questions"]) == 12
    html = pegawai.get(final.url, **ID).content.decode()
    assert "8 pertanyaan per percobaan, waktu menjawab 20 menit." in html
    assert re.search(r"Nilai kelulusan: 70%\.\s+3 kali percobaan, berjarak 10 menit\.", html)
    response = pegawai.post(f"/learn/lessons/{final.pk}/quiz/{quiz_id}/start/", **ID)
    assert response.status_code == 302
    html = pegawai.get(final.url, **ID).content.decode()
    assert html.count("<fieldset>") == 8
    assert "Kirim jawaban Anda paling lambat pukul" in html
    assert "Kirim percobaan ke-1" in html

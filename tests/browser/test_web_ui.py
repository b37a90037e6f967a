"""The web UI in a real browser, the four scenarios of the issue:

1. a civil servant logs in, enrolls, completes a lesson and a quiz, finishes a course, and
   downloads the certificate;
2. a head of unit opens the dashboard, filters the heatmap, drills down, tries a rotation, and
   downloads the AKPK (with JavaScript off: every step is a plain link or form);
3. a head cannot open another unit (403);
4. the language switch keeps the page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from django.utils import timezone
from openpyxl import load_workbook

from competencies.models import OrgUnit, Position
from courses.demo import correct_answers
from courses.models import CoursePage, Enrollment, LessonPage, QuizAttempt
from tests.browser.conftest import Site, log_in, screenshot

COURSE = "dasar-pengelolaan-basis-data"


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]


def answer(page, lesson: LessonPage, *, right: bool) -> None:
    """Tick the right (or a wrong) choice of every question of the lesson's quiz and send it;
    a graded quiz is started first, and answered in the order its attempt drew."""
    [(quiz_id, quiz)] = lesson.quizzes().items()
    attempt = None
    if quiz["kind"] == "graded":
        page.click(f"#quiz-{quiz_id} button[type=submit]")  # "Start the quiz"
        page.wait_for_load_state()
        attempt = QuizAttempt.objects.get(
            lesson=lesson, status="open", enrollment__employee__user__username="demo.pegawai"
        )
        assert page.get_by_text("Submit your answers by").is_visible()  # the demo's are timed
        assert page.locator(f"#quiz-{quiz_id} .explanation").count() == 0
    for question_id, correct in correct_answers(lesson, quiz_id, attempt).items():
        inputs = page.locator(f'input[name="q-{question_id}"]')
        values = [inputs.nth(i).get_attribute("value") for i in range(inputs.count())]
        chosen = correct if right else [next(v for v in values if v not in correct)]
        for value in values:  # the page shows the last attempt's answers ticked
            box = page.locator(f'input[name="q-{question_id}"][value="{value}"]')
            if value in chosen:
                box.check()
            elif box.get_attribute("type") == "checkbox":
                box.uncheck()
    page.click(f"#quiz-{quiz_id} button[type=submit]")
    page.wait_for_load_state()


def test_a_civil_servant_takes_a_course_and_downloads_the_certificate(
    site: Site, tmp_path: Path
) -> None:
    page = site.page()
    log_in(page, "demo.pegawai")
    assert path_of(page) == "/"
    assert page.locator("h1").inner_text().startswith("Welcome,")
    assert page.locator(".progress-item").count() == 1  # the demo course in progress
    screenshot(page, "01-home")

    # The catalogue, then the course page with what it builds, and enroll.
    page.click("nav.main-nav >> text=Courses")
    assert page.locator(".course-card").count() == 7
    page.fill("#q", "basis data")
    page.click("form.filters button[type=submit]")
    assert page.locator(".course-card").count() >= 1
    screenshot(page, "02-catalogue")
    course = CoursePage.objects.get(slug=COURSE)
    page.click(f"text={course.title}")
    assert "What it builds" in page.content()
    page.click("text=Enroll")
    page.wait_for_load_state()
    assert page.get_by_text("You are enrolled. Good luck!").is_visible()

    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    first = lessons[0]
    assert path_of(page) == first.url
    # Answer the first quiz wrong: feedback in place, the lesson is done all the same.
    answer(page, first, right=False)
    assert page.locator(".question.incorrect").count() >= 1
    assert page.get_by_text("Not quite.").first.is_visible()
    assert page.locator(".lesson-outline .current .mark").inner_text() == "✓"
    screenshot(page, "03-lesson-quiz-feedback")
    answer(page, first, right=True)
    assert page.locator(".question.incorrect").count() == 0
    assert "Correct." in page.content()

    # Next, next, …: the remaining lessons, the last quiz is the graded assessment: started,
    # answered within its time, and only then its answers shown.
    for lesson in lessons[1:]:
        page.click("a[rel=next]")
        assert path_of(page) == lesson.url
        answer(page, lesson, right=True)
    assert page.get_by_text("Your final attempt, with the right answers:").is_visible()
    screenshot(page, "10-graded-assessment")
    assert page.get_by_text("You passed the assessment and completed the course!").is_visible()
    enrollment = Enrollment.objects.get(employee__user__username="demo.pegawai", course=course)
    assert enrollment.is_completed

    # The new certificate is listed first, with its PDF and its share link.
    page.click("nav.main-nav >> text=My certificates")
    card = page.locator(".certificate-card").filter(has_text=course.title)
    assert card.count() == 1
    share = card.locator("input[readonly]").input_value()
    assert re.search(r"/verify/[0-9A-Z]{26}/$", share)
    screenshot(page, "05-my-certificates")
    with page.expect_download() as download_info:
        card.locator("text=Download PDF").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))
    assert download.suggested_filename.endswith(".pdf")
    assert target.read_bytes().startswith(b"%PDF")

    # Anyone can verify it, without logging in.
    verifier = site.page()
    verifier.goto(re.sub(r"^https?://[^/]+", "", share))
    assert verifier.locator(".banner-valid").is_visible()
    assert course.title in verifier.locator("h1").inner_text()
    screenshot(verifier, "09-verification")

    # My competencies: the chart (SVG) with its table.
    page.click("nav.main-nav >> text=My competencies")
    assert page.locator("svg[role=img]").count() >= 1
    assert page.locator("table.gap-table th[scope=row]").count() >= 1
    screenshot(page, "04-my-competencies")


def test_a_head_of_unit_uses_the_dashboard_without_javascript(site: Site, tmp_path: Path) -> None:
    page = site.page(javascript=False)
    log_in(page, "demo.kepala")
    page.click("nav.main-nav >> text=Dashboard")
    assert path_of(page) == "/dashboard/"
    unit = OrgUnit.objects.get(code="DISKOMINFO-APTIKA")
    assert page.locator("h1").inner_text() == unit.name
    heatmap = page.locator("table.heatmap")
    everyone = heatmap.locator("tbody tr").count()
    assert everyone > 20
    assert heatmap.locator("thead th[scope=col]").count() > 10
    screenshot(page, "06-dashboard")

    # Filter: one competency, people with a gap only (a plain GET form).
    page.select_option("#id_competency", "TIK-08")
    page.check("#id_only_gaps")
    page.click("text=Apply")
    assert "competency=TIK-08" in page.url and "only_gaps=on" in page.url
    assert heatmap.locator("thead th.hm-col").count() == 1
    filtered = heatmap.locator("tbody tr").count()
    assert 0 < filtered < everyone
    assert heatmap.locator("tbody td.g0").count() == 0  # everyone left has a gap in it

    # Drill down to the first person.
    person = heatmap.locator("tbody th a").first
    name = person.inner_text()
    person.click()
    assert re.fullmatch(r"/dashboard/people/\d+/\?unit=\d+", path_of(page))
    assert page.locator("h1").inner_text() == name
    assert re.fullmatch(r"\*{14}\d{4}", page.locator(".nip").inner_text())

    # Try a rotation: who is due, "try a rotation" for the first of them, the impact.
    page.goto(f"/dashboard/rotation/?unit={unit.pk}")
    assert page.locator("#h-due").inner_text() == "Due for rotation"
    first_due = page.locator("table.table tbody tr").first
    due = first_due.locator("th a").inner_text()
    first_due.get_by_role("link", name="Try a rotation").click()
    employee_id = int(re.search(r"employee=(\d+)", page.url).group(1))
    assert page.locator("#id_employee").input_value() == str(employee_id)
    target = (
        Position.objects.filter(org_unit__path__startswith=unit.path, is_head=False)
        .exclude(assignments__employee_id=employee_id)
        .order_by("code")
        .first()
    )
    page.select_option("#id_position", str(target.pk))
    page.fill("#id_on_date", (timezone.localdate() - dt.timedelta(days=1)).isoformat())
    page.click("text=Show the impact")
    assert "A planned move cannot be in the past" in page.content()
    page.fill("#id_on_date", (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.click("text=Show the impact")
    assert page.locator("#h-impact").inner_text().startswith(f"If {due} moves to {target.title}")
    assert page.locator(".impact-unit").count() == 2
    screenshot(page, "07-rotation-impact")

    # The AKPK draft: the table and both downloads.
    page.click("text=AKPK draft")
    rows = page.locator("table.akpk-table tbody tr").count()
    assert rows > 0
    screenshot(page, "08-akpk")
    with page.expect_download() as xlsx_info:
        page.click("text=Download XLSX")
    xlsx = tmp_path / xlsx_info.value.suggested_filename
    xlsx_info.value.save_as(str(xlsx))
    sheet = load_workbook(xlsx).active
    assert sheet["A1"].value == "Nama" and sheet["K1"].value == "Pengembangan yang disarankan"
    assert sheet.max_row >= rows + 1
    with page.expect_download() as csv_info:
        page.click("text=Download CSV")
    text = Path(csv_info.value.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][0] == "Nama" and len(lines) == sheet.max_row


def test_a_head_cannot_open_another_unit(site: Site) -> None:
    page = site.page()
    log_in(page, "demo.kepala")
    other = OrgUnit.objects.get(code="SETDA")
    response = page.goto(f"/dashboard/?unit={other.pk}")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Access denied"
    assert "This unit is outside the units you lead." in page.content()
    # The unit picker does not even offer it.
    page.goto("/dashboard/")
    options = page.locator("#unit-select option").all_inner_texts()
    assert other.name not in [o.strip() for o in options]


def test_the_language_switch_keeps_the_page(site: Site) -> None:
    page = site.page(language="id")
    log_in(page, "demo.pegawai")
    page.goto("/me/history/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("nav.main-nav").get_by_text("Kursus").is_visible()
    page.select_option("#lang-select", "en")
    page.click(".lang-switch button")
    page.wait_for_load_state()
    assert path_of(page) == "/me/history/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav.main-nav").get_by_text("Courses").is_visible()
    page.select_option("#lang-select", "id")
    page.click(".lang-switch button")
    page.wait_for_load_state()
    assert path_of(page) == "/me/history/"
    assert page.locator("html").get_attribute("lang") == "id"

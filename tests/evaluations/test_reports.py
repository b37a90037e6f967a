"""Aggregates of the reaction survey: the catalogue and the course page show a course's rating
from EVALUATION_RATING_MIN_RESPONSES answers on; course editors see the aggregate per course in
the Wagtail admin; HR and editors read the report per course and provider, also as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from competencies.models import Employee
from courses.models import CoursePage, Enrollment, EnrollmentStatus, LearningRecord, LearningSource
from evaluations import selectors
from evaluations.models import ReactionSurvey
from tests.competencies.factories import EmployeeFactory, UserFactory
from tests.courses.conftest import catalogue  # noqa: F401  (the fixture, shared)
from tests.evaluations.conftest import Office, client_for, external_training


def completion(course: CoursePage, employee: Employee, day: dt.date = dt.date(2026, 1, 10)):
    enrollment = Enrollment.objects.create(
        employee=employee,
        course=course,
        status=EnrollmentStatus.COMPLETED,
        completed_at=dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC),
    )
    return LearningRecord.objects.create(
        employee=employee,
        year=day.year,
        completed_date=day,
        jp_hours=Decimal(course.jp_hours),
        source=LearningSource.COURSE,
        title=course.title,
        provider="Pemerintah Kota Tangkas",
        enrollment=enrollment,
    )


def answered(course: CoursePage, scores: list[tuple[int, int, int]], unanswered: int = 0) -> None:
    for relevance, quality, applicability in scores:
        ReactionSurvey.objects.create(
            learning_record=completion(course, EmployeeFactory()),
            relevance=relevance,
            quality=quality,
            applicability=applicability,
        )
    for _number in range(unanswered):
        completion(course, EmployeeFactory())


def test_the_rating_shows_from_the_threshold_on(catalogue, client: Client, settings) -> None:  # noqa: F811
    settings.EVALUATION_RATING_MIN_RESPONSES = 3
    answered(catalogue.basics, [(5, 4, 3), (4, 4, 4)])

    listing = client.get("/courses/").content.decode()
    assert "Dinilai" not in listing
    assert "Dinilai" not in client.get(catalogue.basics.url).content.decode()

    answered(catalogue.basics, [(3, 5, 4)])  # the third answer: (12 + 12 + 12) / 9 = 4.0
    listing = client.get("/courses/").content.decode()
    assert "Dinilai 4,0 dari 5 oleh 3 peserta" in listing
    assert listing.count("Dinilai") == 1  # the other courses have no answers
    assert "Dinilai 4,0 dari 5 oleh 3 peserta" in client.get(catalogue.basics.url).content.decode()


def test_the_course_page_asks_a_participant_who_completed_it_to_evaluate(catalogue) -> None:  # noqa: F811
    from core import dates

    record = completion(catalogue.basics, catalogue.learner, day=dates.today())
    client = client_for(catalogue.learner)
    page = client.get(catalogue.basics.url).content.decode()
    assert f'href="/me/evaluations/#h-record-{record.pk}"' in page
    ReactionSurvey.objects.create(learning_record=record, relevance=4, quality=4, applicability=4)
    assert "/me/evaluations/#h-record" not in client.get(catalogue.basics.url).content.decode()


def test_the_course_report_counts_answers_rates_and_averages(catalogue) -> None:  # noqa: F811
    answered(catalogue.basics, [(5, 4, 3), (4, 2, 3)], unanswered=2)
    answered(catalogue.advanced, [(1, 1, 1)])

    rows = {row.name: row for row in selectors.course_report()}
    basics = rows[catalogue.basics.title]
    assert (basics.completions, basics.responses) == (4, 2)
    assert basics.response_rate == Decimal("50.0")
    assert (basics.relevance, basics.quality, basics.applicability) == (
        Decimal("4.50"),
        Decimal("3.00"),
        Decimal("3.00"),
    )
    assert basics.overall == Decimal("3.50")
    assert rows[catalogue.advanced.title].response_rate == Decimal("100.0")
    assert catalogue.express.title not in rows  # nobody completed it


def test_course_editors_see_the_aggregate_in_the_admin(catalogue) -> None:  # noqa: F811
    answered(catalogue.basics, [(5, 5, 5)], unanswered=1)
    editor = UserFactory(username="widyaiswara")
    editor.groups.add(Group.objects.get(name="Editors"))

    page = client_for(editor).get("/admin/course-evaluations/")
    assert page.status_code == 200
    content = page.content.decode()
    assert catalogue.basics.title in content and "50,0%" in content
    assert '"url": "/admin/course-evaluations/"' in content  # the menu item (sidebar data)
    # A civil servant without admin access does not get in.
    assert client_for(catalogue.learner).get("/admin/course-evaluations/").status_code in (302, 403)


def test_the_report_and_its_csv_for_hr_and_not_for_others(office: Office) -> None:
    record = external_training(office.staff, dt.date(2025, 11, 1))
    ReactionSurvey.objects.create(
        learning_record=record, relevance=5, quality=4, applicability=5, comment="Bagus"
    )
    external_training(office.colleague, dt.date(2025, 11, 2), title='=HYPERLINK("x")')

    hr = client_for(office.hr_user)
    page = hr.get("/evaluations/report/")
    assert page.status_code == 200
    assert "BSSN" in page.content.decode()
    # Each section once, and the page's <title> is text, not a copy of a section.
    assert page.content.decode().count('id="h-partners"') == 1
    title = page.content.decode().split("<title>")[1].split("</title>")[0]
    assert "<" not in title and "h-partners" not in title

    download = hr.get("/evaluations/report.csv")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    [bssn] = [row for row in rows if row["kind"] == "provider"]
    assert bssn["name"] == "BSSN"
    assert (bssn["completions"], bssn["responses"], bssn["response_rate_percent"]) == (
        "2",
        "1",
        "50.0",
    )
    assert (bssn["relevance"], bssn["quality"], bssn["applicability"]) == ("5.00", "4.00", "5.00")
    assert not [row for row in rows if row["kind"] == "course"]  # no Tangkas course completed

    for employee in (office.staff, office.new_head):
        assert client_for(employee).get("/evaluations/report/").status_code == 403
        assert client_for(employee).get("/evaluations/report.csv").status_code == 403


@pytest.mark.parametrize("url", ["/evaluations/report/", "/evaluations/report.csv"])
def test_the_report_runs_a_fixed_number_of_queries(
    catalogue,  # noqa: F811
    url: str,
    django_assert_num_queries: Callable,
) -> None:
    hr = UserFactory(username="hr-laporan", is_superuser=True)
    client = client_for(hr)
    answered(catalogue.basics, [(5, 4, 3)], unanswered=1)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    queries = len(before.captured_queries)
    answered(catalogue.advanced, [(4, 4, 4), (3, 3, 3)], unanswered=3)
    answered(catalogue.express, [(2, 2, 2)])
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_partner_provider_report_counts_offerings_participants_completions_and_scores(
    office: Office,
) -> None:
    from django.utils import timezone

    from providers.models import Offering, OfferingRequest, Provider, RequestStatus

    bssn = Provider.objects.create(name="Badan Siber dan Sandi Negara", kind="government")
    ugm = Provider.objects.create(name="Universitas Gadjah Mada", kind="university")
    siber = Offering.objects.create(
        provider=bssn,
        title="Pelatihan Keamanan Siber",
        jp_hours=16,
        path="klasikal",
        form="pelatihan",
        link="https://bssn.go.id/pelatihan/",
    )
    Offering.objects.create(
        provider=bssn,
        title="Sandi dan Kriptografi",
        jp_hours=8,
        path="nonklasikal",
        form="e_learning",
        link="https://bssn.go.id/kriptografi/",
    )
    for employee, score in ((office.staff, 5), (office.colleague, 3)):
        record = external_training(employee, dt.date(2025, 11, 1), title=siber.title)
        OfferingRequest.objects.create(
            employee=employee,
            offering=siber,
            status=RequestStatus.COMPLETED,
            decided_at=timezone.now(),
            learning_record=record,
        )
        if score == 5:
            ReactionSurvey.objects.create(
                learning_record=record, relevance=5, quality=5, applicability=4
            )
    OfferingRequest.objects.create(
        employee=office.outsider,
        offering=siber,
        status=RequestStatus.APPROVED,
        decided_at=timezone.now(),
    )

    rows = {row.provider.name: row for row in selectors.partner_provider_report()}
    row = rows[bssn.name]
    assert (row.offerings, row.participants, row.completions, row.responses) == (2, 3, 2, 1)
    assert row.response_rate == Decimal("50.0")
    assert (row.relevance, row.quality, row.applicability) == (
        Decimal("5.00"),
        Decimal("5.00"),
        Decimal("4.00"),
    )
    assert (rows[ugm.name].offerings, rows[ugm.name].completions) == (0, 0)

    download = client_for(office.hr_user).get("/evaluations/report.csv")
    partners = [
        r for r in csv.DictReader(io.StringIO(download.content.decode())) if r["kind"] == "partner"
    ]
    assert [(r["name"], r["offerings"], r["participants"], r["completions"]) for r in partners] == [
        (bssn.name, "2", "3", "2"),
        (ugm.name, "0", "0", "0"),
    ]
    assert (
        "Universitas Gadjah Mada"
        in client_for(office.hr_user).get("/evaluations/report/").content.decode()
    )

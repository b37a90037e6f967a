"""Progress fills itself in from completions, overdue activities show on the head's list, the
lists ask a fixed number of queries however many people and plans they show, and HR sees the
city's status per perangkat daerah."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from courses.demo import take_course
from development import selectors, services
from development.models import ActivityKind, PlanActivity
from providers import services as provider_services
from tests.competencies.factories import EmployeeFactory, UserFactory, assign
from tests.development.conftest import login, plan_with_course, submitted_plan
from tests.providers.factories import make_offering, make_provider

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def mid_june():
    """15 June at 09:00 WIB: the coaching activity due on 31 January is overdue, the course
    due on 31 December is not."""
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=WIB), tick=True):
        yield


def test_a_course_activity_is_done_when_the_enrollment_is_completed(
    mid_june, city, budi, course
) -> None:
    plan = plan_with_course(city, course)
    client = login(budi.user)
    view = client.get("/me/plan/").context["view"]
    assert [(a.kind, a.done, a.overdue) for a in view.activities] == [
        ("coaching", False, True),
        ("course", False, False),
    ]
    take_course(budi, course)
    page = client.get("/me/plan/")
    view = page.context["view"]
    assert [(a.kind, a.done) for a in view.activities] == [("coaching", False), ("course", True)]
    assert (view.done_count, view.progress_pct, len(view.overdue)) == (1, 50, 1)
    assert "1 dari 2 kegiatan selesai (50%)" in page.content.decode()
    assert plan.activities.count() == 2


def test_the_done_rule_in_sql_and_in_the_orm_agree(mid_june, city, budi, course) -> None:
    plan = plan_with_course(city, course)
    take_course(budi, course)
    orm = dict(
        PlanActivity.objects.filter(plan=plan)
        .annotate(done=selectors.activity_done())
        .values_list("pk", "done")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pa.id, {selectors.ACTIVITY_DONE} FROM development_planactivity pa"  # noqa: S608
            " JOIN development_developmentplan dp ON dp.id = pa.plan_id WHERE dp.id = %s",
            [plan.pk],
        )
        sql = dict(cursor.fetchall())
    assert orm == sql and sorted(orm.values()) == [False, True]


def test_the_heads_list_shows_who_has_no_plan_and_who_is_overdue(
    mid_june, city, budi, course
) -> None:
    submitted_plan(city, course)
    head = login(city.kabid.user)
    response = head.get("/dashboard/plans/")
    rows = {row.name: row for row in response.context["rows"]}
    # Everyone holding a post under Aptika today: the head, the Ketua Tim, Ani and Budi.
    assert sorted(rows) == ["Ani Wulandari", "Budi Santoso", "Citra Lestari", "Kabid Hendra"]
    budi_row = rows["Budi Santoso"]
    assert (budi_row.status, budi_row.activities, budi_row.done, budi_row.overdue) == (
        "submitted",
        2,
        0,
        1,
    )
    assert rows["Ani Wulandari"].plan_id is None
    assert response.context["counts"] == {
        "people": 4,
        "none": 3,
        "waiting": 1,
        "agreed": 0,
        "overdue": 1,
    }
    overdue = head.get("/dashboard/plans/?show=overdue").context["rows"]
    assert [r.name for r in overdue] == ["Budi Santoso"]
    none = head.get("/dashboard/plans/?show=none").context["rows"]
    assert [r.name for r in none] == ["Ani Wulandari", "Citra Lestari", "Kabid Hendra"]
    # Another year: nobody has a plan.
    other = head.get("/dashboard/plans/?year=2025").context["counts"]
    assert other["none"] == 4


def test_hr_sees_the_city_status_per_perangkat_daerah(mid_june, city, budi, course, hr_user):
    submitted_plan(city, course)
    response = login(hr_user).get("/dashboard/plans/")
    assert response.status_code == 200 and response.context["at_top"] is True
    assert response.context["rows"] == []
    status = {row.unit_name: row for row in response.context["status_rows"]}
    diskominfo = status["Dinas Komunikasi dan Informatika"]
    assert (
        diskominfo.people,
        diskominfo.without_plan,
        diskominfo.submitted,
        diskominfo.agreed,
        diskominfo.overdue,
    ) == (4, 3, 1, 0, 1)
    assert (status["BKPSDM"].people, status["BKPSDM"].without_plan) == (1, 1)
    assert "Status per perangkat daerah" in response.content.decode()


#: Queries of each page, pinned: session and user, the person or the visible units, then one
#: statement for the list (or the plan's goals, activities with progress, and history).
UNIT_LIST_QUERIES = 10
CITY_STATUS_QUERIES = 7
REVIEW_QUERIES = 14
DRAFT_PLAN_QUERIES = 14


def _add_people(city, course, count: int, start: int = 0) -> list:
    """``count`` more people in Budi's team, each with a draft plan of three course activities."""
    people = []
    for number in range(start, start + count):
        someone = EmployeeFactory(name=f"Pegawai Tambahan {number}")
        someone.user = UserFactory(username=f"tambahan{number}")
        someone.save(update_fields=["user"])
        assign(someone, city.pk_post, dt.date(2024, 1, 1))
        extra = services.plan_create(
            employee=someone, year=2026, actor=someone.user, today=dt.date(2026, 6, 15)
        )
        for month in (2, 8, 11):
            services.activity_add(
                plan=extra,
                actor=someone.user,
                kind=ActivityKind.COURSE,
                course=course,
                target_date=dt.date(2026, month, 1),
            )
        people.append(someone)
    return people


def test_the_lists_do_not_grow_queries_with_the_data(
    mid_june, city, budi, course, hr_user, django_assert_num_queries
) -> None:
    plan = submitted_plan(city, course)
    [first] = _add_people(city, course, 1)
    head, hr, person = login(city.kabid.user), login(hr_user), login(first.user)
    person.get("/")  # the first request reads Wagtail's site and its root paths once; not counted
    sizes = []
    for _round in range(2):
        with django_assert_num_queries(UNIT_LIST_QUERIES):
            response = head.get("/dashboard/plans/")
        with django_assert_num_queries(CITY_STATUS_QUERIES):
            hr.get("/dashboard/plans/")
        with django_assert_num_queries(REVIEW_QUERIES):
            head.get(f"/dashboard/plans/{plan.pk}/")
        with django_assert_num_queries(DRAFT_PLAN_QUERIES):
            person.get("/me/plan/")
        # More people, plans and activities: the same number of queries.
        sizes.append(len(response.context["rows"]))
        if _round == 0:
            _add_people(city, course, 4, start=1)
            for extra in range(4):
                services.activity_add(
                    plan=first.development_plans.get(),
                    actor=first.user,
                    kind=ActivityKind.OTHER,
                    title=f"Penugasan proyek {extra}",
                    target_date=dt.date(2026, 3, 1),
                )
    assert sizes == [5, 9]


def test_a_partner_activity_is_done_when_hr_records_the_completion(
    mid_june, city, budi, hr_user
) -> None:
    offering = make_offering(
        make_provider(), "Pelatihan Keamanan Aplikasi BSSN", builds=[(city.sec, 2)]
    )
    client = login(budi.user)
    client.post("/me/plan/create/")
    missing = client.post(
        "/me/plan/activities/",
        {"activity-kind": "offering", "activity-target_date": "2026-09-30"},
    )
    assert "offering" in missing.context["activity_form"].errors
    client.post(
        "/me/plan/activities/",
        {
            "activity-kind": "offering",
            "activity-offering": offering.pk,
            "activity-target_date": "2026-09-30",
        },
    )
    [activity] = client.get("/me/plan/").context["view"].activities
    assert (activity.title, activity.offering_id, activity.done) == (
        offering.title,
        offering.pk,
        False,
    )

    request = provider_services.offering_request_create(user=budi.user, offering_id=offering.pk)
    provider_services.offering_request_decide(user=hr_user, request_id=request.pk, approve=True)
    [activity] = client.get("/me/plan/").context["view"].activities
    assert activity.done is False  # approved is not completed
    provider_services.offering_request_complete(
        user=hr_user,
        request_id=request.pk,
        completed_date=dt.date(2026, 6, 10),
        jp_hours=Decimal("24"),
    )
    [activity] = client.get("/me/plan/").context["view"].activities
    assert activity.done is True
    [row] = [
        r
        for r in login(city.kabid.user).get("/dashboard/plans/").context["rows"]
        if r.name == "Budi Santoso"
    ]
    assert (row.activities, row.done) == (1, 1)


def test_the_supervisor_confirms_coaching_done_on_the_agreed_plan(
    mid_june, city, budi, course
) -> None:
    """Coaching is not recorded in Tangkas: the head of Budi's unit on the day confirms it on
    the agreed plan, and from then on it counts as done everywhere (the plan, the head's list,
    the SQL rule). Nobody else confirms it, a course is never confirmed by hand, and a head who
    rotated out no longer can."""
    plan = submitted_plan(city, course)
    coaching = plan.activities.get(kind=ActivityKind.COACHING)
    on_course = plan.activities.get(kind=ActivityKind.COURSE)
    head = login(city.kabid.user)
    url = f"/dashboard/plans/{plan.pk}/activities/{coaching.pk}/confirm/"

    # Not yet agreed: nothing to confirm.
    refused = head.post(url, follow=True)
    assert "tidak memungkinkan langkah ini" in " ".join(str(m) for m in refused.context["messages"])
    services.plan_agree(plan=plan, actor=city.kabid.user)
    review = head.get(f"/dashboard/plans/{plan.pk}/")
    assert review.context["may_confirm"] is True
    assert review.content.decode().count("Konfirmasi selesai") == 1  # coaching only, not the course

    # Neither the person nor a colleague confirms the coaching.
    own = login(budi.user).post(url, follow=True)
    assert "Hanya kepala unit" in " ".join(str(m) for m in own.context["messages"])
    assert login(city.ani.user).post(url).status_code == 403
    coaching.refresh_from_db()
    assert coaching.confirmed_on is None

    # A course is done when completed, never by hand.
    course_url = f"/dashboard/plans/{plan.pk}/activities/{on_course.pk}/confirm/"
    head.post(course_url)
    on_course.refresh_from_db()
    assert on_course.confirmed_on is None

    done = head.post(url, follow=True)
    assert "Anda sudah mengonfirmasi" in " ".join(str(m) for m in done.context["messages"])
    coaching.refresh_from_db()
    assert coaching.confirmed_on == dt.date(2026, 6, 15)
    assert coaching.confirmed_by == city.kabid.user
    view = login(budi.user).get("/me/plan/").context["view"]
    assert [(a.kind, a.done, a.overdue) for a in view.activities] == [
        ("coaching", True, False),
        ("course", False, False),
    ]
    [row] = [r for r in head.get("/dashboard/plans/").context["rows"] if r.employee_id == budi.pk]
    assert (row.done, row.overdue) == (1, 0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pa.id, {selectors.ACTIVITY_DONE} FROM development_planactivity pa"  # noqa: S608
            " JOIN development_developmentplan dp ON dp.id = pa.plan_id WHERE dp.id = %s",
            [plan.pk],
        )
        assert dict(cursor.fetchall()) == {coaching.pk: True, on_course.pk: False}
    # Confirmed once: a second click changes nothing.
    again = head.post(url, follow=True)
    assert "satu kali" in " ".join(str(m) for m in again.context["messages"])

"""The hand-checked city of the competency tests (``tests.competencies.conftest``), a Tangkas
course, Budi with a login, and helpers to build his plan in a given state through the
services."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import Site

from competencies.models import Employee
from core import dates
from courses.models import CourseIndexPage, CoursePage
from development import services
from development.models import ActivityKind, DevelopmentPlan
from tests.competencies.conftest import City, city, hr_user  # noqa: F401  (the fixtures, shared)
from tests.competencies.factories import UserFactory
from tests.courses.conftest import TEXT, make_course


@pytest.fixture
def course(city: City) -> CoursePage:  # noqa: F811
    root = Site.objects.get(is_default_site=True).root_page
    index = CourseIndexPage(title="Katalog", slug="courses")
    root.add_child(instance=index)
    index.save_revision().publish()
    return make_course(
        index,
        "keamanan-informasi-dasar",
        jp=4,
        builds=[(city.sec, 2)],
        lessons=[("pengantar-keamanan", [TEXT])],
    )


@pytest.fixture
def budi(city: City) -> Employee:  # noqa: F811
    """Budi (Pranata Komputer in EGOV, TIK-05 at 2 of the 3 required) with a login."""
    city.budi.user = UserFactory(username="budi")
    city.budi.save(update_fields=["user"])
    return city.budi


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def plan_with_course(town: City, course: CoursePage) -> DevelopmentPlan:
    """Budi's plan for this year (a draft): the goal from his gap, one activity on ``course``
    and one coaching activity due on 31 January. Needs the ``budi`` fixture."""
    today = dates.today()
    person = town.budi
    plan = services.plan_create(employee=person, year=today.year, actor=person.user)
    services.activity_add(
        plan=plan,
        actor=person.user,
        kind=ActivityKind.COURSE,
        course=course,
        target_date=today.replace(month=12, day=31),
    )
    services.activity_add(
        plan=plan,
        actor=person.user,
        kind=ActivityKind.COACHING,
        title="Pendampingan oleh Ketua Tim tentang keamanan aplikasi",
        target_date=today.replace(month=1, day=31),
    )
    return plan


def submitted_plan(town: City, course: CoursePage) -> DevelopmentPlan:
    plan = plan_with_course(town, course)
    return services.plan_submit(plan=plan, actor=town.budi.user)

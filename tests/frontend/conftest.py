"""The demo city, seeded once for the whole ``tests/frontend`` package.

Seeding the city (~300 people, the courses, the demo learners and their certificates) takes
seconds, so it runs once inside a transaction that stays open while the package's tests run,
each test in its own savepoint, and is rolled back at the end: the database is left as the
migrations made it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, TestCase

from competencies import demo as competencies_demo
from competencies.models import Employee, OrgUnit
from courses import demo as courses_demo

PASSWORD = "tangkas-test"


@pytest.fixture(autouse=True)
def _database(db: None) -> None:
    """Every test here may use the database. Asked for by name, so that pytest-django runs
    these tests with the other database tests (before the transactional ones, which empty the
    database) and creates the test database even when a test reaches it only through a
    fixture looked up at run time."""


@dataclass
class Demo:
    pegawai: Employee
    kepala: Employee
    kepala_unit: OrgUnit  # Bidang Aplikasi Informatika (DISKOMINFO-APTIKA)
    sub_unit: OrgUnit  # a team under it
    other_unit: OrgUnit  # a unit outside the head's subtree
    outsider: Employee  # a person in other_unit
    colleague: Employee  # a person in the head's subtree (not the head)


def seed_demo_city() -> None:
    competencies_demo.seed_structure()
    competencies_demo.seed_people(seed=2026)
    competencies_demo.seed_logins(password=PASSWORD)
    courses_demo.seed_courses()
    pegawai = Employee.objects.get(user__username="demo.pegawai")
    colleagues = list(
        Employee.objects.filter(
            assignments__position__org_unit__code__startswith="DISKOMINFO-APTIKA"
        )
        .exclude(pk=pegawai.pk)
        .distinct()
        .order_by("id")[:12]
    )
    courses_demo.seed_learners(pegawai=pegawai, others=colleagues)


@pytest.fixture(scope="package")
def demo(django_db_setup: None, django_db_blocker) -> Iterator[Demo]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # Certificates are issued and rendered after commit: run those callbacks here.
            with TestCase.captureOnCommitCallbacks(execute=True):
                seed_demo_city()
            kepala_unit = OrgUnit.objects.get(code="DISKOMINFO-APTIKA")
            other_unit = OrgUnit.objects.get(code="SETDA")
            yield Demo(
                pegawai=Employee.objects.get(user__username="demo.pegawai"),
                kepala=Employee.objects.get(user__username="demo.kepala"),
                kepala_unit=kepala_unit,
                sub_unit=OrgUnit.objects.get(code="DISKOMINFO-APTIKA-EGOV"),
                other_unit=other_unit,
                outsider=Employee.objects.filter(
                    assignments__end_date__isnull=True,
                    assignments__position__org_unit__path__startswith=other_unit.path,
                )
                .distinct()
                .order_by("id")
                .first(),
                colleague=Employee.objects.filter(
                    assignments__end_date__isnull=True,
                    assignments__position__org_unit__path__startswith=kepala_unit.path,
                    assignments__position__is_head=False,
                )
                .exclude(user__username__startswith="demo.")
                .distinct()
                .order_by("id")
                .first(),
            )
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def login(username: str) -> Client:
    """A browser of its own, logged in as ``username`` (tests may use several at once)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def pegawai(demo: Demo, db: None) -> Client:
    """demo.pegawai: a Pranata Komputer Ahli Pertama, no head post."""
    return login("demo.pegawai")


@pytest.fixture
def kepala(demo: Demo, db: None) -> Client:
    """demo.kepala: head of Bidang Aplikasi Informatika (DISKOMINFO-APTIKA)."""
    return login("demo.kepala")


@pytest.fixture
def hr(demo: Demo, db: None) -> Client:
    """demo.hr: in the HR group, sees every unit."""
    return login("demo.hr")

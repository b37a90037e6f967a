"""A small office for the evaluation tests: a unit whose head changes on 16 December 2025, a
neighbouring unit with its own head, a civil servant with external training whose evidence
waits for validation, and logged-in clients for each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from competencies.access import HR_GROUP_NAME
from competencies.models import Competency, Employee
from courses import services as course_services
from courses.models import LearningRecord
from tests.competencies.factories import EmployeeFactory, PositionFactory, UserFactory, assign, unit

#: The day the unit's head changes: the old head moves to head the neighbouring unit's
#: sub-unit, the new one takes over.
HANDOVER = dt.date(2025, 12, 16)


def person(username: str, name: str) -> Employee:
    user = UserFactory(username=username, email=f"{username}@kota.example")
    return EmployeeFactory(user=user, name=name)


def client_for(employee_or_user) -> Client:
    client = Client()
    client.force_login(getattr(employee_or_user, "user", employee_or_user))
    return client


@dataclass
class Office:
    old_head: Employee  # heads UNIT-E until HANDOVER - 1, then heads UNIT-F2
    new_head: Employee  # heads UNIT-E from HANDOVER
    other_head: Employee  # heads UNIT-F throughout
    staff: Employee  # works in UNIT-E
    colleague: Employee  # works in UNIT-E too
    outsider: Employee  # works in UNIT-F
    tik: Competency
    hr_user: object


def external_training(
    employee: Employee,
    completed: dt.date,
    title: str = "Pelatihan Keamanan Siber BSSN",
    level: int = 3,
) -> LearningRecord:
    """External training with provisional evidence of TIK-05 (an external certificate waits for
    a reviewer, docs/EVIDENCE.md)."""
    return course_services.learning_record_create(
        employee=employee,
        title=title,
        jp_hours=Decimal(16),
        completed_date=completed,
        provider="BSSN",
        competencies=[(Competency.objects.get(code="TIK-05"), level)],
    )


@pytest.fixture
def office(db: None) -> Office:
    unit_e = unit("UNIT-E", name="Bidang Aplikasi Informatika")
    unit_f = unit("UNIT-F", name="Bidang Persandian")
    unit_f2 = unit("UNIT-F2", parent=unit_f, kind="seksi", name="Seksi Keamanan Informasi")
    head_e = PositionFactory(title="Kepala Bidang Aptika", org_unit=unit_e, is_head=True)
    head_f = PositionFactory(title="Kepala Bidang Persandian", org_unit=unit_f, is_head=True)
    head_f2 = PositionFactory(
        title="Kepala Seksi Keamanan Informasi", org_unit=unit_f2, is_head=True
    )
    staff_e = PositionFactory(title="Pranata Komputer", org_unit=unit_e, headcount=5)
    staff_f = PositionFactory(title="Sandiman", org_unit=unit_f, headcount=5)

    old_head = person("kepala.lama", "Budi Santoso")
    new_head = person("kepala.baru", "Sri Wahyuni")
    other_head = person("kepala.sandi", "Agus Salim")
    staff = person("staf", "Dewi Lestari")
    colleague = person("rekan", "Rudi Hartono")
    outsider = person("luar", "Maya Sari")
    assign(
        old_head, head_e, dt.date(2020, 1, 1), kind="initial", end=HANDOVER - dt.timedelta(days=1)
    )
    assign(old_head, head_f2, HANDOVER, kind="rotasi")
    assign(new_head, head_e, HANDOVER, kind="rotasi")
    assign(other_head, head_f, dt.date(2020, 1, 1), kind="initial")
    assign(staff, staff_e, dt.date(2020, 1, 1), kind="initial")
    assign(colleague, staff_e, dt.date(2020, 1, 1), kind="initial")
    assign(outsider, staff_f, dt.date(2020, 1, 1), kind="initial")
    hr_user = UserFactory(username="bkpsdm", email="bkpsdm@kota.example")
    hr_user.groups.add(Group.objects.get_or_create(name=HR_GROUP_NAME)[0])
    return Office(
        old_head,
        new_head,
        other_head,
        staff,
        colleague,
        outsider,
        Competency.objects.get(code="TIK-05"),
        hr_user,
    )

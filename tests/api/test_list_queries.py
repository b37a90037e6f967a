"""Every list of the API runs the same number of SQL queries whatever the size of the data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.models import Certificate, StatusList
from competencies.models import Assignment, Employee, Position
from courses.models import LearningRecord
from tests.competencies.factories import make_nip, require

LISTS = [
    "/api/v1/competencies/",
    "/api/v1/org-units/",
    "/api/v1/positions/",
    "/api/v1/employees/",
    "/api/v1/assignments/",
    "/api/v1/certificates/",
    "/api/v1/enrollments/",
    "/api/v1/learning-hours/",
    "/api/v1/courses/",
    "/api/v1/webhooks/",
]


def grow(city, extra: int) -> None:
    """More people, positions with requirements, assignments, ledger lines and certificates."""
    status_list = StatusList.objects.create(bits=bytes(16384))
    for number in range(extra):
        position = Position.objects.create(
            code=f"GROW-{number}", title=f"Jabatan {number}", org_unit=city.egov, kind="pelaksana"
        )
        require(position, city.db, 2)
        require(position, city.sec, 1)
        person = Employee.objects.create(nip=make_nip(), name=f"Tambahan {number}")
        Assignment.objects.create(
            employee=person, position=position, kind="initial", start_date=dt.date(2024, 1, 1)
        )
        record = LearningRecord.objects.create(
            employee=person,
            year=2026,
            completed_date=dt.date(2026, 1, 5),
            jp_hours=Decimal(4),
            source="external_training",
            title="Pelatihan",
        )
        Certificate.objects.create(
            employee=person,
            learning_record=record,
            holder_name=person.name,
            title="Pelatihan",
            jp_hours=4,
            issued_on=dt.date(2026, 1, 5),
            status_list=status_list,
            status_index=number,
        )


@pytest.mark.parametrize("path", LISTS)
def test_list_queries_are_constant(path: str, city, api_client) -> None:
    client = api_client()

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return len(captured)

    before = count()
    grow(city, 12)
    assert count() == before, path

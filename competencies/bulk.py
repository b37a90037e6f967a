"""Bulk upsert of employees by NIP with their current position and TMT (the HR API's
``POST /api/v1/employees/bulk/``): all-or-nothing, and fast enough for thousands of rows
(set-based reads and writes, not a service call per row).

The rows come already validated and typed (``EmployeeRow``): the API's ``BulkIn`` serializer
checks every value of every row and names every bad one before anything reaches this module.
What only the database can tell (a new TMT that would fall before a recorded assignment) is
checked here, again naming every bad row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pghistory
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competencies import services
from competencies.exceptions import ImportRowsError
from competencies.models import (
    Assignment,
    AssignmentKind,
    Employee,
    EmployeeStatus,
    EmploymentType,
    Position,
)
from competencies.signals import assignments_created
from core.exceptions import FieldError

#: The most rows one call takes (the API refuses more).
MAX_ROWS = 5000
FIELDS = ("name", "rank", "email", "status")


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    assignments_created: int = 0
    new_assignment_ids: list[int] | None = None


@dataclass(frozen=True)
class EmployeeRow:
    """One person to create or update, every value already checked: a valid NIP (unique among
    the rows) and the employment type it gives, a known rank that fits that type
    (``models.validate_rank_for``) and status, and, when ``position`` is given, its ``tmt``."""

    nip: str
    name: str
    employment_type: str = EmploymentType.PNS
    rank: str = ""
    email: str = ""
    status: str = EmployeeStatus.ACTIVE
    position: Position | None = None
    tmt: dt.date | None = None
    assignment_kind: str = AssignmentKind.ROTATION
    decree_number: str = ""
    decree_date: dt.date | None = None


@transaction.atomic
def employees_bulk_upsert(
    *, rows: Sequence[EmployeeRow], user: Any = None, reason: str = ""
) -> BulkResult:
    """Create or update each employee by NIP, and record a new definitive assignment when the
    given position or TMT differs from the current one (ending the current one the day
    before). Nothing is written unless every row can be applied; ``ImportRowsError`` names
    each row (``rows[3].tmt``) that cannot."""
    result = BulkResult(new_assignment_ids=[])
    existing = {
        e.nip: e for e in Employee.objects.select_for_update().filter(nip__in=[r.nip for r in rows])
    }
    creates, updates = [], []
    departed: list[Employee] = []  # their status now says they left: services ends their posts
    now = timezone.now()
    for row in rows:
        employee = existing.get(row.nip)
        if employee is None:
            employee = Employee(
                nip=row.nip,
                name=row.name,
                rank=row.rank,
                email=row.email,
                status=row.status,
                employment_type=row.employment_type,
            )
            creates.append(employee)
            existing[row.nip] = employee
        elif any(getattr(employee, f) != getattr(row, f) for f in FIELDS):
            if row.status != employee.status and row.status in services.DEPARTED_STATUSES:
                departed.append(employee)
            for f in FIELDS:
                setattr(employee, f, getattr(row, f))
            employee.updated_at = now
            updates.append(employee)
        else:
            result.unchanged += 1
    Employee.objects.bulk_create(creates, batch_size=1000)
    _update_people(updates, now)
    result.created, result.updated = len(creates), len(updates)

    # Position history: one query for everyone's definitive assignments that could matter.
    with_posts = [(index, row) for index, row in enumerate(rows) if row.position is not None]
    if not with_posts:
        services.employee_departures_apply(employee_ids=[e.pk for e in departed], user=user)
        return result
    ids = [existing[row.nip].pk for _index, row in with_posts]
    history: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in (
        Assignment.objects.definitive().filter(employee_id__in=ids).order_by("start_date")
    ):
        history[assignment.employee_id].append(assignment)
    ended, new = [], []
    errors: list[FieldError] = []
    for index, row in with_posts:
        employee = existing[row.nip]
        position, tmt = row.position, row.tmt
        assert position is not None and tmt is not None  # EmployeeRow: a position has its TMT
        current = next(
            (
                a
                for a in history[employee.pk]
                if a.start_date <= tmt and (a.end_date is None or a.end_date >= tmt)
            ),
            None,
        )
        if current is not None and current.position_id == position.pk and current.start_date == tmt:
            continue  # already recorded
        if any(a.start_date >= tmt for a in history[employee.pk]):
            errors.append(
                FieldError(
                    f"rows[{index}].tmt",
                    _(
                        "This person already has a definitive assignment starting on or after this TMT."
                    ),
                    "overlapping_assignment",
                )
            )
            continue
        if current is not None:
            current.end_date = tmt - dt.timedelta(days=1)
            current.updated_at = now
            ended.append(current)
        new.append(
            Assignment(
                employee=employee,
                position=position,
                kind=row.assignment_kind,
                start_date=tmt,
                decree_number=row.decree_number,
                decree_date=row.decree_date,
            )
        )
    if errors:
        raise ImportRowsError(
            _("Nothing was saved: %(count)s problems in the rows.") % {"count": len(errors)},
            errors=errors,
        )
    with pghistory.context(user=getattr(user, "pk", None), reason=reason or "bulk upsert"):
        try:
            with transaction.atomic():
                Assignment.objects.bulk_update(ended, ["end_date", "updated_at"], batch_size=1000)
                created = Assignment.objects.bulk_create(new, batch_size=1000)
        except IntegrityError as exc:
            raise ImportRowsError(
                _("Nothing was saved: an assignment would overlap another one."),
                errors=[FieldError("rows", str(exc).splitlines()[0], "overlapping_assignment")],
            ) from None
    services.acting_assignments_end(
        arrivals=[(a.position_id, a.start_date) for a in created if a.is_definitive], user=user
    )
    services.employee_departures_apply(employee_ids=[e.pk for e in departed], user=user)
    result.assignments_created = len(created)
    result.new_assignment_ids = [a.pk for a in created]
    ids_to_announce = list(result.new_assignment_ids)
    transaction.on_commit(lambda: _announce(ids_to_announce))
    return result


def _update_people(people: list[Employee], now: Any) -> None:
    """One UPDATE … FROM unnest(arrays) for all changed people (Django's bulk_update builds a
    CASE per row, which is several times slower at thousands of rows)."""
    if not people:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE competencies_employee AS e
            SET name = v.name, rank = v.rank, email = v.email, status = v.status, updated_at = %s
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
                 AS v(id, name, rank, email, status)
            WHERE e.id = v.id
            """,
            [
                now,
                [p.pk for p in people],
                [p.name for p in people],
                [p.rank for p in people],
                [p.email for p in people],
                [p.status for p in people],
            ],
        )


def _announce(assignment_ids: list[int]) -> None:
    assignments_created.send(sender=Assignment, assignment_ids=assignment_ids)

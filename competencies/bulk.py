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
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

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
#: What a row says of a person: every value, an empty one included (an empty e-mail clears it).
FIELDS = ("name", "rank", "email", "status")
#: SIASN's fields, which older clients do not send: left out (None), they keep what is stored.
KEPT_WHEN_ABSENT = ("rank_start_date", "siasn_id")


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
    rank_start_date: dt.date | None = None
    siasn_id: str | None = None
    position: Position | None = None
    tmt: dt.date | None = None
    assignment_kind: str = AssignmentKind.ROTATION
    decree_number: str = ""
    decree_date: dt.date | None = None


@dataclass(slots=True)
class _Person:
    """What the upsert reads and writes of a person (a model instance per row costs more than
    the rest of the row's work)."""

    pk: int | None
    nip: str
    employment_type: str
    name: str
    rank: str
    email: str
    status: str
    rank_start_date: dt.date | None
    siasn_id: str


class _Post(NamedTuple):
    """A definitive assignment as the upsert reads it, or one it records."""

    pk: int | None
    employee_id: int
    position_id: int
    start_date: dt.date
    end_date: dt.date | None
    kind: str = AssignmentKind.ROTATION
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
    existing = _people_locked([r.nip for r in rows])
    _check_siasn_ids(rows)
    creates: list[_Person] = []
    updates: list[_Person] = []
    departed: list[int] = []  # their status now says they left: services ends their posts
    ranked: list[_Person] = []  # a rank with its TMT that the golongan history must hold
    now = timezone.now()
    for row in rows:
        person = existing.get(row.nip)
        values = _values(row, person)
        if person is None:
            person = _Person(pk=None, nip=row.nip, employment_type=row.employment_type, **values)
            creates.append(person)
            existing[row.nip] = person
            ranked.append(person)
        elif any(getattr(person, f) != v for f, v in values.items()):
            if row.status != person.status and row.status in services.DEPARTED_STATUSES:
                departed.append(person.pk)
            if (person.rank, person.rank_start_date) != (
                values["rank"],
                values["rank_start_date"],
            ):
                ranked.append(person)
            for f, v in values.items():
                setattr(person, f, v)
            updates.append(person)
        else:
            result.unchanged += 1
    try:
        with transaction.atomic():
            _insert_people(creates, now)
            _update_people(updates, now)
    except IntegrityError as exc:
        if "employee_siasn_unique" not in str(exc):
            raise
        # SIASN ids swapped between people in one request (checked row by row above).
        raise ImportRowsError(
            _("Nothing was saved: two people would hold the same SIASN id."),
            errors=[FieldError("rows", str(exc).splitlines()[0], "duplicate_siasn_id")],
        ) from None
    _rank_history_follow([p for p in ranked if p.rank and p.rank_start_date is not None])
    result.created, result.updated = len(creates), len(updates)

    # Position history: one query for everyone's definitive assignments that could matter.
    with_posts = [(index, row) for index, row in enumerate(rows) if row.position is not None]
    if not with_posts:
        services.employee_departures_apply(employee_ids=departed, user=user)
        return result
    history = _definitive_posts([existing[row.nip].pk for _index, row in with_posts])
    ended: list[_Post] = []
    new: list[_Post] = []
    errors: list[FieldError] = []
    for index, row in with_posts:
        employee_id = existing[row.nip].pk
        position, tmt = row.position, row.tmt
        assert position is not None and tmt is not None  # EmployeeRow: a position has its TMT
        posts = history.get(employee_id, ())
        current = next(
            (a for a in posts if a.start_date <= tmt and (a.end_date is None or a.end_date >= tmt)),
            None,
        )
        if current is not None and current.position_id == position.pk and current.start_date == tmt:
            continue  # already recorded
        if any(a.start_date >= tmt for a in posts):
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
            ended.append(current._replace(end_date=tmt - dt.timedelta(days=1)))
        new.append(
            _Post(
                pk=None,
                employee_id=employee_id,
                position_id=position.pk,
                start_date=tmt,
                end_date=None,
                kind=row.assignment_kind,
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
                _end_posts(ended, now)
                created = _insert_assignments(new, now)
        except IntegrityError as exc:
            raise ImportRowsError(
                _("Nothing was saved: an assignment would overlap another one."),
                errors=[FieldError("rows", str(exc).splitlines()[0], "overlapping_assignment")],
            ) from None
    services.acting_assignments_end(
        arrivals=[
            (a.position_id, a.start_date) for a in created if a.kind != AssignmentKind.ACTING
        ],
        user=user,
    )
    services.employee_departures_apply(employee_ids=departed, user=user)
    result.assignments_created = len(created)
    result.new_assignment_ids = [a.pk for a in created]
    # Inside the transaction: the events are stored with the rows they announce, or not at all.
    _announce(list(result.new_assignment_ids))
    return result


def _people_locked(nips: list[str]) -> dict[str, _Person]:
    """The people the rows name who exist, locked until the transaction ends (one query, the
    NIPs as one array parameter)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT id, nip, employment_type, name, rank, email, status, rank_start_date, siasn_id
            FROM competencies_employee WHERE nip = ANY(%s::text[])
            FOR UPDATE
            """,
            [nips],
        )
        return {row[1]: _Person(*row) for row in cursor.fetchall()}


def _definitive_posts(employee_ids: list[int]) -> dict[int, list[_Post]]:
    """Each person's definitive assignments, oldest first (one query)."""
    history: dict[int, list[_Post]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT id, employee_id, position_id, start_date, end_date, kind
            FROM competencies_assignment
            WHERE employee_id = ANY(%s::bigint[]) AND kind <> %s
            ORDER BY start_date, id
            """,
            [employee_ids, AssignmentKind.ACTING],
        )
        for row in cursor.fetchall():
            history[row[1]].append(_Post(*row))
    return history


def _end_posts(posts: list[_Post], now: Any) -> None:
    """End the current assignments the new ones follow (one UPDATE for all)."""
    if not posts:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE competencies_assignment AS a SET end_date = v.end_date, updated_at = %s
            FROM unnest(%s::bigint[], %s::date[]) AS v(id, end_date)
            WHERE a.id = v.id
            """,
            [now, [p.pk for p in posts], [p.end_date for p in posts]],
        )


def _values(row: EmployeeRow, person: _Person | None) -> dict[str, Any]:
    """What the row makes of the person: its values, and SIASN's where it gives them (a rank
    left empty takes its TMT with it)."""
    values = {f: getattr(row, f) for f in FIELDS}
    for f in KEPT_WHEN_ABSENT:
        given = getattr(row, f)
        values[f] = given if given is not None else getattr(person, f, None)
    values["siasn_id"] = values["siasn_id"] or ""
    if not values["rank"]:
        values["rank_start_date"] = None
    return values


def _check_siasn_ids(rows: Sequence[EmployeeRow]) -> None:
    """Each SIASN id belongs to one person: not to two rows, nor to someone the row is not."""
    given = {row.siasn_id: row.nip for row in rows if row.siasn_id}
    holders = dict(Employee.objects.filter(siasn_id__in=list(given)).values_list("siasn_id", "nip"))
    first: dict[str, int] = {}
    errors = []
    for index, row in enumerate(rows):
        if not row.siasn_id:
            continue
        held_by = holders.get(row.siasn_id)
        if row.siasn_id in first or (held_by is not None and held_by != row.nip):
            errors.append(
                FieldError(
                    f"rows[{index}].siasn_id",
                    _("Another person already has this SIASN id."),
                    "duplicate_siasn_id",
                )
            )
        first.setdefault(row.siasn_id, index)
    if errors:
        raise ImportRowsError(
            _("Nothing was saved: %(count)s problems in the rows.") % {"count": len(errors)},
            errors=errors,
        )


def _rank_history_follow(people: list[_Person]) -> None:
    """The golongan history holds each person's current rank from its TMT: one INSERT … ON
    CONFLICT for all of them (``services._rank_history_follow`` for one)."""
    if not people:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO competencies_rankhistory
                (employee_id, rank, start_date, decree_number, siasn_id, created_at)
            SELECT v.pk, v.rank, v.rank_start_date, '', '', now()
            FROM json_to_recordset(%s::json) AS v(pk bigint, rank text, rank_start_date date)
            ON CONFLICT (employee_id, start_date) DO UPDATE SET rank = EXCLUDED.rank
            """,
            [_json_rows(people, ("pk", "rank", "rank_start_date"))],
        )


def _insert_people(people: list[_Person], now: Any) -> None:
    """One INSERT … SELECT FROM json_to_recordset(one parameter) … RETURNING for all new
    people, which sets each one's id (Django's bulk_create prepares every value of every row
    in Python first, several times slower at thousands of rows; arrays as parameters are
    quoted element by element)."""
    if not people:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO competencies_employee
                (nip, name, employment_type, rank, rank_start_date, siasn_id, email, status,
                 created_at, updated_at)
            SELECT v.nip, v.name, v.employment_type, v.rank, v.rank_start_date, v.siasn_id,
                   v.email, v.status, %s, %s
            FROM json_to_recordset(%s::json) AS v(
                nip text, name text, employment_type text, rank text, rank_start_date date,
                siasn_id text, email text, status text
            )
            RETURNING id, nip
            """,
            [now, now, _json_rows(people, _PERSON_COLUMNS)],
        )
        ids = {nip: pk for pk, nip in cursor.fetchall()}
    for person in people:
        person.pk = ids[person.nip]


def _insert_assignments(assignments: list[_Post], now: Any) -> list[_Post]:
    """``_insert_people`` for the new assignments (one per person of the request)."""
    if not assignments:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO competencies_assignment
                (employee_id, position_id, kind, start_date, decree_number, decree_date,
                 siasn_id, created_at, updated_at)
            SELECT v.employee_id, v.position_id, v.kind, v.start_date, v.decree_number,
                   v.decree_date, '', %s, %s
            FROM json_to_recordset(%s::json) AS v(
                employee_id bigint, position_id bigint, kind text, start_date date,
                decree_number text, decree_date date
            )
            RETURNING id, employee_id
            """,
            [
                now,
                now,
                _json_rows(
                    assignments,
                    (
                        "employee_id",
                        "position_id",
                        "kind",
                        "start_date",
                        "decree_number",
                        "decree_date",
                    ),
                ),
            ],
        )
        ids = {employee_id: pk for pk, employee_id in cursor.fetchall()}
    return [a._replace(pk=ids[a.employee_id]) for a in assignments]


def _update_people(people: list[_Person], now: Any) -> None:
    """One UPDATE … FROM json_to_recordset(one parameter) for all changed people (Django's
    bulk_update builds a CASE per row, which is several times slower at thousands of rows)."""
    if not people:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE competencies_employee AS e
            SET name = v.name, rank = v.rank, email = v.email, status = v.status,
                rank_start_date = v.rank_start_date, siasn_id = v.siasn_id, updated_at = %s
            FROM json_to_recordset(%s::json) AS v(
                pk bigint, name text, rank text, email text, status text, rank_start_date date,
                siasn_id text
            )
            WHERE e.id = v.pk
            """,
            [
                now,
                _json_rows(
                    people, ("pk", "name", "rank", "email", "status", "rank_start_date", "siasn_id")
                ),
            ],
        )


#: The columns of a new person, as ``_insert_people`` reads them.
_PERSON_COLUMNS = (
    "nip",
    "name",
    "employment_type",
    "rank",
    "rank_start_date",
    "siasn_id",
    "email",
    "status",
)


def _json_rows(items: Sequence[Any], fields: Sequence[str]) -> str:
    """``items`` as one JSON array of objects (dates as ISO text), for ``json_to_recordset``:
    one parameter however many rows, encoded by the json module's C encoder."""
    return json.dumps([{f: getattr(item, f) for f in fields} for item in items], default=str)


def _announce(assignment_ids: list[int]) -> None:
    assignments_created.send(sender=Assignment, assignment_ids=assignment_ids)

"""Rotations (*mutasi/rotasi*): what a planned move would do, and who is due to move.

PP 11/2017 Pasal 190 moves civil servants at least two and at most five years apart; these
reads show what the person and both units gain or lose before anyone decides, warn when the
person has not been in the post long enough, and list who has been in one post too long. The
two figures are settings (``ROTATION_MIN_YEARS_IN_POST``, ``ROTATION_DUE_YEARS``), read through
``rotation_thresholds``. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from competencies.models import Assignment, Employee, OrgUnit, Position
from competencies.selectors._sql import (
    DEFINITIVE_HOLDING,
    HOLDERS_IN_SUBTREE,
    IN_UNIT_SUBTREE,
    PROFICIENCY_OF_HOLDERS,
    params,
    rows,
)
from competencies.selectors.people import PositionGaps, employee_readiness
from competencies.selectors.units import coverage
from core import dates


@dataclass(frozen=True)
class RotationThresholds:
    """Years in one definitive post: a move before ``min_years_in_post`` is too early, and a
    person in the post for ``due_years`` or more is overdue."""

    min_years_in_post: int
    due_years: int


def rotation_thresholds() -> RotationThresholds:
    """The thresholds as configured now (read at each call, so a changed setting applies)."""
    return RotationThresholds(
        min_years_in_post=settings.ROTATION_MIN_YEARS_IN_POST,
        due_years=settings.ROTATION_DUE_YEARS,
    )


def _years_between(start: dt.date, end: dt.date) -> float:
    return round((end - start).days / 365.25, 1)


@dataclass(frozen=True)
class CoverageChange:
    competency_id: int
    code: str
    name_id: str
    name_en: str
    is_critical: bool
    before_pct: float
    after_pct: float
    before_meeting: int
    after_meeting: int

    @property
    def lost_entirely(self) -> bool:
        return self.before_meeting > 0 and self.after_meeting == 0


@dataclass
class UnitImpact:
    org_unit: OrgUnit
    changes: list[CoverageChange]

    @property
    def critical_lost(self) -> list[CoverageChange]:
        return [c for c in self.changes if c.is_critical and c.lost_entirely]

    @property
    def changed(self) -> list[CoverageChange]:
        return [c for c in self.changes if c.before_pct != c.after_pct]


@dataclass
class RotationImpact:
    """A planned move. ``in_post_since`` is the start of the person's current definitive post
    (``None`` when they hold none on the day), and ``too_early`` says the move would come
    less than ``thresholds.min_years_in_post`` years after it."""

    employee: Employee
    position: Position
    on_date: dt.date
    readiness: PositionGaps
    losing: UnitImpact | None
    receiving: UnitImpact
    thresholds: RotationThresholds
    in_post_since: dt.date | None = None

    @property
    def years_in_post(self) -> float | None:
        if self.in_post_since is None:
            return None
        return _years_between(self.in_post_since, self.on_date)

    @property
    def too_early(self) -> bool:
        if self.in_post_since is None:
            return False
        earliest = dates.add_years(self.in_post_since, self.thresholds.min_years_in_post)
        return self.on_date < earliest


#: Holders of a unit after a planned move: everyone but the person, plus the person in the
#: new position when that position is in the unit.
HOLDERS_AFTER_MOVE_SQL = f"""
    SELECT employee_id, position_id, org_unit_id FROM ({HOLDERS_IN_SUBTREE}) before_move
    WHERE employee_id <> %(employee)s
    UNION ALL
    SELECT %(employee)s::bigint, p.id, p.org_unit_id
    FROM competencies_position p JOIN competencies_orgunit u ON u.id = p.org_unit_id
    WHERE p.id = %(position)s
      AND {IN_UNIT_SUBTREE}
"""


def _unit_impact(
    unit: OrgUnit, employee: Employee, position: Position, on_date: dt.date
) -> UnitImpact:
    parameters = params(unit=unit.pk, day=on_date, employee=employee.pk, position=position.pk)
    before = {row.competency_id: row for row in coverage(HOLDERS_IN_SUBTREE, parameters)}
    after = {row.competency_id: row for row in coverage(HOLDERS_AFTER_MOVE_SQL, parameters)}
    changes = []
    for competency_id in sorted(
        before.keys() | after.keys(), key=lambda c: (before.get(c) or after[c]).code
    ):
        b, a = before.get(competency_id), after.get(competency_id)
        ref = b or a
        assert ref is not None
        changes.append(
            CoverageChange(
                competency_id=competency_id,
                code=ref.code,
                name_id=ref.name_id,
                name_en=ref.name_en,
                is_critical=bool((b and b.is_critical) or (a and a.is_critical)),
                # A competency no holder is left (or yet) required to have is met by nobody.
                before_pct=b.coverage_pct if b else 0.0,
                after_pct=a.coverage_pct if a else 0.0,
                before_meeting=b.holders_meeting if b else 0,
                after_meeting=a.holders_meeting if a else 0,
            )
        )
    return UnitImpact(org_unit=unit, changes=changes)


def rotation_impact(*, employee: Employee, position: Position, on_date: dt.date) -> RotationImpact:
    """What moving ``employee`` to ``position`` on ``on_date`` would do. Writes nothing.

    The person's gaps in the new position; the losing unit's coverage before and after (and
    any critical competency it would lose entirely); the receiving unit's before and after.
    The losing unit is the unit of the person's current definitive position; how long they
    have held it says whether the move comes too early (``RotationImpact.too_early``).
    """
    current = (
        Assignment.objects.definitive()
        .active_on(on_date)
        .filter(employee=employee)
        .select_related("position__org_unit")
        .first()
    )
    receiving_unit = position.org_unit
    losing = None
    if current is not None and current.position.org_unit_id != receiving_unit.pk:
        losing = _unit_impact(current.position.org_unit, employee, position, on_date)
    return RotationImpact(
        employee=employee,
        position=position,
        on_date=on_date,
        readiness=employee_readiness(employee=employee, position=position, as_of=on_date),
        losing=losing,
        receiving=_unit_impact(receiving_unit, employee, position, on_date),
        thresholds=rotation_thresholds(),
        in_post_since=current.start_date if current is not None else None,
    )


@dataclass(frozen=True)
class RotationDueRow:
    employee_id: int
    name: str
    position_id: int
    position_title: str
    org_unit_name: str
    since: dt.date
    years_in_position: float
    sole_holder_of: list[str]
    critical_sole_holder_of: list[str]


ROTATION_DUE_SQL = f"""
    WITH holders AS ({HOLDERS_IN_SUBTREE}),
    prof AS ({PROFICIENCY_OF_HOLDERS}),
    cells AS (
        SELECT h.employee_id, r.competency_id, r.is_critical,
               coalesce(prof.level, 0) >= r.required_level AS meets
        FROM holders h
        JOIN competencies_positionrequirement r ON r.position_id = h.position_id
        LEFT JOIN prof ON prof.employee_id = h.employee_id AND prof.competency_id = r.competency_id
    ),
    meeting AS (
        SELECT competency_id, count(DISTINCT employee_id) FILTER (WHERE meets) AS n,
               bool_or(is_critical) AS critical
        FROM cells GROUP BY competency_id
    ),
    due AS (
        SELECT a.employee_id, a.position_id, a.start_date
        FROM competencies_assignment a
        JOIN holders h ON h.employee_id = a.employee_id AND h.position_id = a.position_id
        WHERE {DEFINITIVE_HOLDING} AND a.start_date <= %(due_before)s
    )
    SELECT d.employee_id, e.name, d.position_id, p.title, coalesce(nullif(u.short_name, ''), u.name),
           d.start_date,
           coalesce(array_agg(DISTINCT c.code) FILTER (WHERE m.n = 1 AND cl.meets), '{{}}'),
           coalesce(array_agg(DISTINCT c.code) FILTER (WHERE m.n = 1 AND cl.meets AND m.critical), '{{}}')
    FROM due d
    JOIN competencies_employee e ON e.id = d.employee_id
    JOIN competencies_position p ON p.id = d.position_id
    JOIN competencies_orgunit u ON u.id = p.org_unit_id
    LEFT JOIN cells cl ON cl.employee_id = d.employee_id
    LEFT JOIN meeting m ON m.competency_id = cl.competency_id
    LEFT JOIN competencies_competency c ON c.id = cl.competency_id
    GROUP BY d.employee_id, e.name, d.position_id, p.title, u.short_name, u.name, d.start_date
    ORDER BY d.start_date, e.name
"""


def rotation_due(
    *, org_unit: OrgUnit, as_of: dt.date, years: int | None = None
) -> list[RotationDueRow]:
    """People in the subtree in the same definitive position for ``years`` or more (by default
    ``ROTATION_DUE_YEARS``: overdue for rotation), with the competencies the unit would lose
    with them (those only they meet). One query."""
    if years is None:
        years = rotation_thresholds().due_years
    due_before = dates.add_years(as_of, -years)
    found = rows(ROTATION_DUE_SQL, params(unit=org_unit.pk, day=as_of, due_before=due_before))
    return [
        RotationDueRow(
            employee_id=r[0],
            name=r[1],
            position_id=r[2],
            position_title=r[3],
            org_unit_name=r[4],
            since=r[5],
            years_in_position=_years_between(r[5], as_of),
            sole_holder_of=sorted(r[6]),
            critical_sole_holder_of=sorted(r[7]),
        )
        for r in found
    ]

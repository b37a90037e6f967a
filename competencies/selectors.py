"""Reads of the competency matrix: proficiency, gaps, coverage, readiness, rotation impact.

All gap arithmetic runs in PostgreSQL, one statement for a whole unit or organisation, never
as a Python loop over people. Every function takes an ``as_of`` date, so history can be asked.

Definitions (DESIGN.md):
- A person's *proficiency* in a competency on a date is the highest level among counting
  evidence valid that day (``achieved_date <= day < expires_date``; a self assessment counts
  only through the validation recorded for it). No evidence means proficiency 0.
- The *gap* of a requirement is ``max(0, required_level - proficiency)``.
- A unit's *coverage* of a competency is the share of its definitive position holders who
  are required to have it and meet the required level.
- *Readiness* of a person for a position is the share of the position's requirements met;
  the *job-person match* (JPM) is ``sum(min(proficiency, required)) / sum(required)``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from competencies.models import (
    COUNTING_SOURCES,
    Assignment,
    Competency,
    Employee,
    Evidence,
    OrgUnit,
    Position,
    PositionRequirement,
)
from core import dates

HR_GROUP_NAME = "HR"
#: Quarters in a unit's trend unless asked otherwise.
DEFAULT_TREND_QUARTERS = 8
#: Years in one definitive position after which a person is due for rotation (PP 11/2017:
#: mutasi every 2–5 years).
DEFAULT_ROTATION_YEARS = 4

# --- SQL building blocks --------------------------------------------------------------------
# ``%(day)s`` is the as-of date, ``%(unit)s`` the id of the unit whose subtree is asked; the
# subtree is every unit whose materialised path starts with that unit's path (read in the same
# statement, so a unit object held in memory can never give a stale answer).

_COUNTING = "ev.source = ANY(%(counting)s)"

_HOLDERS_IN_SUBTREE = """
    SELECT a.employee_id, a.position_id, p.org_unit_id
    FROM competencies_assignment a
    JOIN competencies_position p ON p.id = a.position_id
    JOIN competencies_orgunit u ON u.id = p.org_unit_id
    WHERE starts_with(u.path, (SELECT path FROM competencies_orgunit WHERE id = %(unit)s))
      AND a.kind <> 'plt'
      AND a.start_date <= %(day)s AND (a.end_date IS NULL OR a.end_date >= %(day)s)
"""

_PROFICIENCY_OF_HOLDERS = f"""
    SELECT ev.employee_id, ev.competency_id, max(ev.level) AS level
    FROM competencies_evidence ev
    WHERE ev.employee_id IN (SELECT employee_id FROM holders)
      AND {_COUNTING}
      AND ev.achieved_date <= %(day)s
      AND (ev.expires_date IS NULL OR ev.expires_date > %(day)s)
    GROUP BY ev.employee_id, ev.competency_id
"""


def _params(**kwargs: Any) -> dict[str, Any]:
    return {"counting": list(COUNTING_SOURCES), **kwargs}


def _rows(sql: str, params: dict[str, Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- One person -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GapRow:
    competency_id: int
    code: str
    name_id: str
    name_en: str
    kind: str
    required_level: int
    proficiency: int
    gap: int
    is_critical: bool

    @property
    def met(self) -> bool:
        return self.gap == 0


@dataclass
class PositionGaps:
    assignment: Assignment | None
    position: Position
    rows: list[GapRow]

    @property
    def total_gap(self) -> int:
        return sum(row.gap for row in self.rows)

    @property
    def met_count(self) -> int:
        return sum(1 for row in self.rows if row.met)

    @property
    def readiness_pct(self) -> float:
        return round(100.0 * self.met_count / len(self.rows), 1) if self.rows else 100.0

    @property
    def jpm_pct(self) -> float:
        required = sum(row.required_level for row in self.rows)
        held = sum(min(row.proficiency, row.required_level) for row in self.rows)
        return round(100.0 * held / required, 1) if required else 100.0

    @property
    def jpm_category(self) -> str:
        """The JPM mapping category (DOMAIN.md §1): ≥ 90 optimal, ≥ 78 fairly optimal."""
        if self.jpm_pct >= 90:
            return str(_("Optimal"))
        if self.jpm_pct >= 78:
            return str(_("Fairly optimal"))
        return str(_("Less than optimal"))


@dataclass
class Proficiency:
    competency: Competency
    level: int
    evidence: list[Evidence] = field(default_factory=list)


def assignments_on(*, employee: Employee, as_of: dt.date) -> QuerySet[Assignment]:
    """The positions ``employee`` holds on ``as_of`` (definitive and acting)."""
    return (
        Assignment.objects.active_on(as_of)
        .filter(employee=employee)
        .select_related("position", "position__org_unit")
        .order_by("kind", "start_date")
    )


def assignment_history(*, employee: Employee) -> QuerySet[Assignment]:
    """The whole position history, newest first."""
    return (
        Assignment.objects.filter(employee=employee)
        .select_related("position", "position__org_unit")
        .order_by("-start_date", "-id")
    )


def proficiency_for_employee(*, employee: Employee, as_of: dt.date) -> list[Proficiency]:
    """Each competency the person has counting evidence for, with that evidence (2 queries)."""
    evidence = list(
        Evidence.objects.filter(employee=employee)
        .valid_on(as_of)
        .select_related("competency", "recorded_by")
        .order_by("competency__code", "-level", "-achieved_date")
    )
    by_competency: dict[int, Proficiency] = {}
    for item in evidence:
        entry = by_competency.setdefault(
            item.competency_id, Proficiency(competency=item.competency, level=0)
        )
        entry.evidence.append(item)
        if item.counts:
            entry.level = max(entry.level, item.level)
    return list(by_competency.values())


_GAPS_FOR_POSITIONS = f"""
    WITH holders AS (SELECT %(employee)s::bigint AS employee_id),
    prof AS ({_PROFICIENCY_OF_HOLDERS})
    SELECT r.position_id, c.id, c.code, c.name_id, c.name_en, c.kind, r.required_level,
           coalesce(prof.level, 0) AS proficiency,
           greatest(0, r.required_level - coalesce(prof.level, 0)) AS gap,
           r.is_critical
    FROM competencies_positionrequirement r
    JOIN competencies_competency c ON c.id = r.competency_id
    LEFT JOIN prof ON prof.competency_id = r.competency_id
    WHERE r.position_id = ANY(%(positions)s)
    ORDER BY r.position_id, gap DESC, c.code
"""


def _gaps_by_position(
    employee_id: int, position_ids: list[int], as_of: dt.date
) -> dict[int, list[GapRow]]:
    result: dict[int, list[GapRow]] = defaultdict(list)
    if not position_ids:
        return result
    for position_id, *values in _rows(
        _GAPS_FOR_POSITIONS, _params(employee=employee_id, positions=position_ids, day=as_of)
    ):
        result[position_id].append(GapRow(*values))
    return result


def employee_gaps(*, employee: Employee, as_of: dt.date) -> list[PositionGaps]:
    """The gap per requirement of each position the person holds on ``as_of`` (2 queries)."""
    assignments = list(assignments_on(employee=employee, as_of=as_of))
    gaps = _gaps_by_position(employee.pk, [a.position_id for a in assignments], as_of)
    return [
        PositionGaps(assignment=a, position=a.position, rows=gaps.get(a.position_id, []))
        for a in assignments
    ]


def employee_readiness(*, employee: Employee, position: Position, as_of: dt.date) -> PositionGaps:
    """How ready the person is for any position: the same arithmetic plus readiness % (1 query)."""
    gaps = _gaps_by_position(employee.pk, [position.pk], as_of)
    return PositionGaps(assignment=None, position=position, rows=gaps.get(position.pk, []))


@dataclass(frozen=True)
class ReadinessRow:
    employee_id: int
    name: str
    requirements: int
    met: int
    total_gap: int
    readiness_pct: float
    jpm_pct: float


_UNIT_READINESS = f"""
    WITH holders AS (SELECT DISTINCT employee_id FROM ({_HOLDERS_IN_SUBTREE}) h),
    prof AS ({_PROFICIENCY_OF_HOLDERS}),
    req AS (
        SELECT competency_id, required_level FROM competencies_positionrequirement
        WHERE position_id = %(position)s
    )
    SELECT e.id, e.name, count(req.competency_id) AS requirements,
           count(*) FILTER (WHERE coalesce(prof.level, 0) >= req.required_level) AS met,
           coalesce(sum(greatest(0, req.required_level - coalesce(prof.level, 0))), 0) AS total_gap,
           coalesce(sum(least(coalesce(prof.level, 0), req.required_level)), 0) AS held,
           coalesce(sum(req.required_level), 0) AS required
    FROM holders h
    JOIN competencies_employee e ON e.id = h.employee_id
    CROSS JOIN req
    LEFT JOIN prof ON prof.employee_id = h.employee_id AND prof.competency_id = req.competency_id
    GROUP BY e.id, e.name
    ORDER BY met DESC, total_gap, e.name
"""


def unit_readiness_for_position(
    *, org_unit: OrgUnit, position: Position, as_of: dt.date
) -> list[ReadinessRow]:
    """Readiness of every person in ``org_unit``'s subtree for ``position`` (1 query)."""
    rows = _rows(_UNIT_READINESS, _params(unit=org_unit.pk, day=as_of, position=position.pk))
    return [
        ReadinessRow(
            employee_id=r[0],
            name=r[1],
            requirements=r[2],
            met=r[3],
            total_gap=r[4],
            readiness_pct=round(100.0 * r[3] / r[2], 1) if r[2] else 100.0,
            jpm_pct=round(100.0 * r[5] / r[6], 1) if r[6] else 100.0,
        )
        for r in rows
    ]


# --- A unit ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    required_level: int
    proficiency: int
    gap: int
    is_critical: bool


@dataclass
class MatrixRow:
    employee_id: int
    name: str
    position_id: int
    position_title: str
    org_unit_id: int
    org_unit_name: str
    assignment_start_date: dt.date
    cells: dict[int, MatrixCell] = field(default_factory=dict)

    @property
    def total_gap(self) -> int:
        return sum(cell.gap for cell in self.cells.values())


@dataclass(frozen=True)
class CoverageRow:
    competency_id: int
    code: str
    name_id: str
    name_en: str
    kind: str
    holders_required: int
    holders_meeting: int
    total_gap: int
    is_critical: bool

    @property
    def coverage_pct(self) -> float:
        return (
            round(100.0 * self.holders_meeting / self.holders_required, 1)
            if self.holders_required
            else 100.0
        )

    @property
    def single_holder(self) -> bool:
        return self.holders_meeting == 1


@dataclass(frozen=True)
class VacancyRow:
    position_id: int
    title: str
    org_unit_name: str
    headcount: int
    holders: int
    requirements: list[tuple[str, int, bool]]

    @property
    def vacant(self) -> int:
        return self.headcount - self.holders


@dataclass
class UnitMatrix:
    org_unit: OrgUnit
    as_of: dt.date
    competencies: list[Competency]
    rows: list[MatrixRow]
    coverage: list[CoverageRow]
    vacancies: list[VacancyRow]

    @property
    def critical_single_holder(self) -> list[CoverageRow]:
        """Critical competencies met by exactly one person: the unit's single points of failure."""
        return [row for row in self.coverage if row.is_critical and row.single_holder]

    @property
    def total_gap(self) -> int:
        return sum(row.total_gap for row in self.rows)


_MATRIX = f"""
    WITH holders AS ({_HOLDERS_IN_SUBTREE}),
    prof AS ({_PROFICIENCY_OF_HOLDERS})
    SELECT h.employee_id, e.name, h.position_id, p.title, u.id, coalesce(nullif(u.short_name, ''), u.name),
           a_start.start_date,
           r.competency_id, r.required_level, coalesce(prof.level, 0),
           greatest(0, r.required_level - coalesce(prof.level, 0)), r.is_critical
    FROM holders h
    JOIN competencies_employee e ON e.id = h.employee_id
    JOIN competencies_position p ON p.id = h.position_id
    JOIN competencies_orgunit u ON u.id = h.org_unit_id
    JOIN LATERAL (
        SELECT min(a.start_date) AS start_date FROM competencies_assignment a
        WHERE a.employee_id = h.employee_id AND a.position_id = h.position_id AND a.kind <> 'plt'
          AND a.start_date <= %(day)s AND (a.end_date IS NULL OR a.end_date >= %(day)s)
    ) a_start ON true
    LEFT JOIN competencies_positionrequirement r ON r.position_id = h.position_id
    LEFT JOIN prof ON prof.employee_id = h.employee_id AND prof.competency_id = r.competency_id
    ORDER BY u.path, p.is_head DESC, p.title, e.name, h.employee_id
"""

_COVERAGE = f"""
    WITH holders AS ({{holders}}),
    prof AS ({_PROFICIENCY_OF_HOLDERS}),
    cells AS (
        SELECT r.competency_id, r.required_level, r.is_critical, coalesce(prof.level, 0) AS level
        FROM holders h
        JOIN competencies_positionrequirement r ON r.position_id = h.position_id
        LEFT JOIN prof ON prof.employee_id = h.employee_id AND prof.competency_id = r.competency_id
    )
    SELECT c.id, c.code, c.name_id, c.name_en, c.kind,
           count(*) AS holders_required,
           count(*) FILTER (WHERE cells.level >= cells.required_level) AS holders_meeting,
           sum(greatest(0, cells.required_level - cells.level)) AS total_gap,
           bool_or(cells.is_critical) AS is_critical
    FROM cells JOIN competencies_competency c ON c.id = cells.competency_id
    GROUP BY c.id, c.code, c.name_id, c.name_en, c.kind
    ORDER BY c.code
"""

_VACANCIES = """
    SELECT p.id, p.title, coalesce(nullif(u.short_name, ''), u.name), p.headcount,
           (SELECT count(DISTINCT a.employee_id) FROM competencies_assignment a
             WHERE a.position_id = p.id AND a.kind <> 'plt'
               AND a.start_date <= %(day)s AND (a.end_date IS NULL OR a.end_date >= %(day)s)) AS holders,
           coalesce(array_agg(c.code || ':' || r.required_level || ':' || r.is_critical::int
                              ORDER BY c.code) FILTER (WHERE c.id IS NOT NULL), '{}')
    FROM competencies_position p
    JOIN competencies_orgunit u ON u.id = p.org_unit_id
    LEFT JOIN competencies_positionrequirement r ON r.position_id = p.id
    LEFT JOIN competencies_competency c ON c.id = r.competency_id
    WHERE starts_with(u.path, (SELECT path FROM competencies_orgunit WHERE id = %(unit)s)) AND p.is_active
    GROUP BY p.id, p.title, u.short_name, u.name, u.path, p.headcount
    HAVING p.headcount > (SELECT count(DISTINCT a.employee_id) FROM competencies_assignment a
             WHERE a.position_id = p.id AND a.kind <> 'plt'
               AND a.start_date <= %(day)s AND (a.end_date IS NULL OR a.end_date >= %(day)s))
    ORDER BY u.path, p.title
"""


def _coverage(holders_sql: str, params: dict[str, Any]) -> list[CoverageRow]:
    return [CoverageRow(*row) for row in _rows(_COVERAGE.format(holders=holders_sql), params)]


def unit_coverage(*, org_unit: OrgUnit, as_of: dt.date) -> list[CoverageRow]:
    """Coverage per competency required in the unit's subtree (1 query)."""
    return _coverage(_HOLDERS_IN_SUBTREE, _params(unit=org_unit.pk, day=as_of))


def gap_matrix_for_unit(*, org_unit: OrgUnit, as_of: dt.date) -> UnitMatrix:
    """People × required competencies for a unit and its subtree, with coverage and vacancies.

    Four queries whatever the size of the unit: the matrix, the coverage, the vacancies and
    the competency names.
    """
    params = _params(unit=org_unit.pk, day=as_of)
    rows: dict[tuple[int, int], MatrixRow] = {}
    for (
        employee_id,
        name,
        position_id,
        title,
        unit_id,
        unit_name,
        start_date,
        competency_id,
        required,
        proficiency,
        gap,
        critical,
    ) in _rows(_MATRIX, params):
        row = rows.get((employee_id, position_id))
        if row is None:
            row = rows[(employee_id, position_id)] = MatrixRow(
                employee_id, name, position_id, title, unit_id, unit_name, start_date
            )
        if competency_id is not None:
            row.cells[competency_id] = MatrixCell(required, proficiency, gap, critical)
    coverage = _coverage(_HOLDERS_IN_SUBTREE, params)
    vacancies = [
        VacancyRow(
            position_id=r[0],
            title=r[1],
            org_unit_name=r[2],
            headcount=r[3],
            holders=r[4],
            requirements=[
                (code, int(level), flag == "1")
                for code, level, flag in (x.split(":") for x in r[5])
            ],
        )
        for r in _rows(_VACANCIES, params)
    ]
    competency_ids = {row.competency_id for row in coverage}
    competencies = list(Competency.objects.filter(pk__in=competency_ids).order_by("kind", "code"))
    return UnitMatrix(
        org_unit=org_unit,
        as_of=as_of,
        competencies=competencies,
        rows=list(rows.values()),
        coverage=coverage,
        vacancies=vacancies,
    )


@dataclass(frozen=True)
class TrendPoint:
    quarter_end: dt.date
    label: str
    holders: int
    total_gap: int
    coverage_pct: float


def quarter_ends(*, as_of: dt.date, quarters: int) -> list[dt.date]:
    """The last day of each of the ``quarters`` quarters up to and including ``as_of``'s."""
    year, quarter = as_of.year, (as_of.month - 1) // 3 + 1
    ends = []
    for _quarter in range(quarters):
        month = quarter * 3
        next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
        ends.append(next_month - dt.timedelta(days=1))
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return sorted(ends)


_TREND = f"""
    WITH days AS (SELECT unnest(%(days)s::date[]) AS day),
    holders AS (
        SELECT d.day, a.employee_id, a.position_id
        FROM days d
        JOIN competencies_assignment a ON a.start_date <= d.day AND (a.end_date IS NULL OR a.end_date >= d.day)
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE starts_with(u.path, (SELECT path FROM competencies_orgunit WHERE id = %(unit)s))
          AND a.kind <> 'plt'
    ),
    cells AS (
        SELECT h.day, h.employee_id, r.required_level,
               coalesce((SELECT max(ev.level) FROM competencies_evidence ev
                          WHERE ev.employee_id = h.employee_id AND ev.competency_id = r.competency_id
                            AND {_COUNTING} AND ev.achieved_date <= h.day
                            AND (ev.expires_date IS NULL OR ev.expires_date > h.day)), 0) AS level
        FROM holders h
        JOIN competencies_positionrequirement r ON r.position_id = h.position_id
    )
    SELECT d.day, count(DISTINCT cells.employee_id),
           coalesce(sum(greatest(0, cells.required_level - cells.level)), 0),
           count(cells.required_level), count(*) FILTER (WHERE cells.level >= cells.required_level)
    FROM days d LEFT JOIN cells ON cells.day = d.day
    GROUP BY d.day ORDER BY d.day
"""


def unit_trend(
    *, org_unit: OrgUnit, as_of: dt.date, quarters: int = DEFAULT_TREND_QUARTERS
) -> list[TrendPoint]:
    """The unit's total gap and coverage at the end of each of the last ``quarters`` quarters.

    The current quarter's point is taken at ``as_of`` rather than at its (future) end. One query.
    """
    days = [min(day, as_of) for day in quarter_ends(as_of=as_of, quarters=quarters)]
    points = []
    for day, holders, total_gap, cells, met in _rows(_TREND, _params(unit=org_unit.pk, days=days)):
        quarter = (day.month - 1) // 3 + 1
        points.append(
            TrendPoint(
                quarter_end=day,
                label=f"{day.year} Q{quarter}",
                holders=holders,
                total_gap=total_gap,
                coverage_pct=round(100.0 * met / cells, 1) if cells else 100.0,
            )
        )
    return points


# --- Rotations ------------------------------------------------------------------------------


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
    employee: Employee
    position: Position
    on_date: dt.date
    readiness: PositionGaps
    losing: UnitImpact | None
    receiving: UnitImpact


# Holders of a unit after a planned move: everyone but the person, plus the person in the
# new position when that position is in the unit.
_HOLDERS_AFTER_MOVE = f"""
    SELECT employee_id, position_id, org_unit_id FROM ({_HOLDERS_IN_SUBTREE}) before_move
    WHERE employee_id <> %(employee)s
    UNION ALL
    SELECT %(employee)s::bigint, p.id, p.org_unit_id
    FROM competencies_position p JOIN competencies_orgunit u ON u.id = p.org_unit_id
    WHERE p.id = %(position)s
      AND starts_with(u.path, (SELECT path FROM competencies_orgunit WHERE id = %(unit)s))
"""


def _unit_impact(
    unit: OrgUnit, employee: Employee, position: Position, on_date: dt.date
) -> UnitImpact:
    params = _params(unit=unit.pk, day=on_date, employee=employee.pk, position=position.pk)
    before = {row.competency_id: row for row in _coverage(_HOLDERS_IN_SUBTREE, params)}
    after = {row.competency_id: row for row in _coverage(_HOLDERS_AFTER_MOVE, params)}
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
    The losing unit is the unit of the person's current definitive position.
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


_ROTATION_DUE = f"""
    WITH holders AS ({_HOLDERS_IN_SUBTREE}),
    prof AS ({_PROFICIENCY_OF_HOLDERS}),
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
        WHERE a.kind <> 'plt' AND a.start_date <= %(due_before)s
          AND (a.end_date IS NULL OR a.end_date >= %(day)s)
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
    *, org_unit: OrgUnit, as_of: dt.date, years: int = DEFAULT_ROTATION_YEARS
) -> list[RotationDueRow]:
    """People in the subtree in the same definitive position for ``years`` or more, with the
    competencies the unit would lose with them (those only they meet). One query."""
    try:
        due_before = as_of.replace(year=as_of.year - years)
    except ValueError:  # 29 February
        due_before = as_of.replace(year=as_of.year - years, day=28)
    rows = _rows(_ROTATION_DUE, _params(unit=org_unit.pk, day=as_of, due_before=due_before))
    return [
        RotationDueRow(
            employee_id=r[0],
            name=r[1],
            position_id=r[2],
            position_title=r[3],
            org_unit_name=r[4],
            since=r[5],
            years_in_position=round((as_of - r[5]).days / 365.25, 1),
            sole_holder_of=sorted(r[6]),
            critical_sole_holder_of=sorted(r[7]),
        )
        for r in rows
    ]


# --- Access ---------------------------------------------------------------------------------


def user_is_hr(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_tangkas_is_hr", None)
    if cached is None:
        cached = user.groups.filter(name=HR_GROUP_NAME).exists()
        user._tangkas_is_hr = cached
    return cached


def employee_for_user(user: AbstractBaseUser | AnonymousUser) -> Employee | None:
    if not user.is_authenticated:
        return None
    return Employee.objects.filter(user=user).first()


def org_units_visible_to(
    *, user: AbstractBaseUser | AnonymousUser, as_of: dt.date
) -> QuerySet[OrgUnit]:
    """The units ``user`` may see on ``as_of``: everything for HR; for a head (definitive or
    acting), the subtree of each unit whose head position they hold that day; else nothing.

    Access follows the post: when the head rotates out, it moves to the new head the day the
    new assignment starts, with nothing to revoke by hand.
    """
    if user_is_hr(user):
        return OrgUnit.objects.all()
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    head_paths = list(
        Assignment.objects.active_on(as_of)
        .filter(employee__user=user, position__is_head=True)
        .values_list("position__org_unit__path", flat=True)
    )
    if not head_paths:
        return OrgUnit.objects.none()
    from django.db.models import Q

    condition = Q()
    for path in head_paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.filter(condition)


def can_view_unit(
    *, user: AbstractBaseUser | AnonymousUser, org_unit: OrgUnit, as_of: dt.date
) -> bool:
    return org_units_visible_to(user=user, as_of=as_of).filter(pk=org_unit.pk).exists()


def can_view_employee(
    *, user: AbstractBaseUser | AnonymousUser, employee: Employee, as_of: dt.date
) -> bool:
    """A person sees themselves; a head sees the people of their subtree; HR sees everyone."""
    if not user.is_authenticated:
        return False
    if employee.user_id == user.pk or user_is_hr(user):
        return True
    visible = org_units_visible_to(user=user, as_of=as_of)
    return (
        Assignment.objects.active_on(as_of)
        .filter(employee=employee, position__org_unit__in=visible)
        .exists()
    )


def top_units() -> QuerySet[OrgUnit]:
    """The perangkat daerah and kecamatan: the children of the city."""
    return OrgUnit.objects.filter(depth=2).order_by("path")


# --- Organisation-wide ----------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    top_unit_id: int
    top_unit_name: str
    competency_id: int
    code: str
    holders_required: int
    holders_meeting: int
    total_gap: int

    @property
    def coverage_pct(self) -> float:
        return (
            round(100.0 * self.holders_meeting / self.holders_required, 1)
            if self.holders_required
            else 100.0
        )


ORG_SUMMARY_SQL = f"""
    WITH holders AS (
        SELECT a.employee_id, a.position_id, substr(u.path, 1, %(top_len)s) AS top_path
        FROM competencies_assignment a
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE a.kind <> 'plt' AND u.depth >= 2
          AND a.start_date <= %(day)s AND (a.end_date IS NULL OR a.end_date >= %(day)s)
    ),
    prof AS (
        SELECT ev.employee_id, ev.competency_id, max(ev.level) AS level
        FROM competencies_evidence ev
        WHERE {_COUNTING} AND ev.achieved_date <= %(day)s
          AND (ev.expires_date IS NULL OR ev.expires_date > %(day)s)
        GROUP BY ev.employee_id, ev.competency_id
    ),
    agg AS (
        SELECT h.top_path, r.competency_id, count(*) AS holders_required,
               count(*) FILTER (WHERE coalesce(prof.level, 0) >= r.required_level) AS holders_meeting,
               sum(greatest(0, r.required_level - coalesce(prof.level, 0))) AS total_gap
        FROM holders h
        JOIN competencies_positionrequirement r ON r.position_id = h.position_id
        LEFT JOIN prof ON prof.employee_id = h.employee_id AND prof.competency_id = r.competency_id
        GROUP BY h.top_path, r.competency_id
    )
    SELECT t.id, coalesce(nullif(t.short_name, ''), t.name), c.id, c.code,
           agg.holders_required, agg.holders_meeting, agg.total_gap
    FROM agg
    JOIN competencies_orgunit t ON t.path = agg.top_path
    JOIN competencies_competency c ON c.id = agg.competency_id
    ORDER BY t.path, c.code
"""


def org_summary(*, as_of: dt.date) -> list[SummaryRow]:
    """Coverage per competency per top unit for the whole organisation (1 query)."""
    step = OrgUnit.steplen
    return [
        SummaryRow(*row) for row in _rows(ORG_SUMMARY_SQL, _params(day=as_of, top_len=2 * step))
    ]


# --- AKPK -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AkpkRow:
    """One row of the AKPK form (PP 11/2017 Pasal 205–207): a person's competency below the
    requirement of their position, the gap, and the suggested development."""

    employee_id: int
    name: str
    position_title: str
    org_unit_name: str
    competency_id: int
    code: str
    competency_name: str
    kind: str
    required_level: int
    proficiency: int
    gap: int
    is_critical: bool
    development: str


def suggested_development(*, gap: int, kind: str) -> str:
    """The kind of development a gap calls for (Peraturan LAN 10/2018: klasikal/nonklasikal)."""
    if gap >= 2:
        return str(_("Training (klasikal or blended)"))
    if kind == "teknis":
        return str(_("E-learning course"))
    return str(_("Coaching or mentoring"))


def akpk_rows(*, org_unit: OrgUnit, year: int, as_of: dt.date | None = None) -> list[AkpkRow]:
    """The AKPK rows for a unit's subtree and a planning year. Two queries.

    The gaps are taken as of ``as_of`` (default: today for the current year, else 1 January of
    the planning year), since AKPK is prepared before the year it plans for.
    """
    if as_of is None:
        today = dates.today()
        as_of = today if today.year == year else dt.date(year, 1, 1)
    matrix_rows = _rows(_MATRIX, _params(unit=org_unit.pk, day=as_of))
    competencies = {
        c.pk: c
        for c in Competency.objects.filter(
            pk__in={row[7] for row in matrix_rows if row[7] is not None and row[10] > 0}
        )
    }
    result = []
    for (
        employee_id,
        name,
        _position_id,
        title,
        _unit_id,
        unit_name,
        _start,
        competency_id,
        required,
        proficiency,
        gap,
        critical,
    ) in matrix_rows:
        if competency_id is None or gap <= 0:
            continue
        competency = competencies[competency_id]
        result.append(
            AkpkRow(
                employee_id=employee_id,
                name=name,
                position_title=title,
                org_unit_name=unit_name,
                competency_id=competency_id,
                code=competency.code,
                competency_name=competency.name_id,
                kind=competency.kind,
                required_level=required,
                proficiency=proficiency,
                gap=gap,
                is_critical=critical,
                development=suggested_development(gap=gap, kind=competency.kind),
            )
        )
    return result


# --- Lists for the admin and the API --------------------------------------------------------


def position_list() -> QuerySet[Position]:
    return Position.objects.select_related("org_unit").prefetch_related(
        Prefetch("requirements", queryset=PositionRequirement.objects.select_related("competency"))
    )

"""One person: the posts held, the position history, proficiency, gaps and readiness."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from competencies.models import (
    Assignment,
    Competency,
    Employee,
    Evidence,
    OrgUnit,
    Position,
    RankHistory,
)
from competencies.selectors._sql import (
    HOLDERS_IN_SUBTREE,
    PROFICIENCY_OF_HOLDERS,
    holding_on,
    params,
    rows,
)
from core.db_router import read_alias


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


def rank_history(*, employee: Employee) -> QuerySet[RankHistory]:
    """The golongan history, newest first."""
    return RankHistory.objects.filter(employee=employee).order_by("-start_date", "-id")


def assignment_history(*, employee: Employee) -> QuerySet[Assignment]:
    """The whole position history, newest first."""
    return (
        Assignment.objects.filter(employee=employee)
        .select_related("position", "position__org_unit")
        .order_by("-start_date", "-id")
    )


def proficiency_for_employee(*, employee: Employee, as_of: dt.date) -> list[Proficiency]:
    """Each competency the person has evidence valid on ``as_of`` for, with that evidence; the
    level counts only counting evidence (2 queries)."""
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


GAPS_FOR_POSITIONS_SQL = f"""
    WITH holders AS (SELECT %(employee)s::bigint AS employee_id),
    prof AS ({PROFICIENCY_OF_HOLDERS})
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
    for position_id, *values in rows(
        GAPS_FOR_POSITIONS_SQL, params(employee=employee_id, positions=position_ids, day=as_of)
    ):
        result[position_id].append(GapRow(*values))
    return result


def _columns(model: type[models.Model], alias: str) -> tuple[list[str], str]:
    names = [field.attname for field in model._meta.concrete_fields]
    return names, ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


_ASSIGNMENT_COLUMNS, _A = _columns(Assignment, "a")
_POSITION_COLUMNS, _P = _columns(Position, "p")
_UNIT_COLUMNS, _U = _columns(OrgUnit, "u")
#: ``assignments_on`` written out once: building the ORM's statement for it took longer than
#: the database took to answer it (one person's gaps is asked on every page of a person).
ASSIGNMENTS_ON_SQL = f"""
    SELECT {_A}, {_P}, {_U}
    FROM competencies_assignment a
    JOIN competencies_position p ON p.id = a.position_id
    JOIN competencies_orgunit u ON u.id = p.org_unit_id
    WHERE a.employee_id = %(employee)s AND {holding_on()}
    ORDER BY a.kind, a.start_date
"""


def _assignments_on(employee_id: int, as_of: dt.date) -> list[Assignment]:
    """What ``assignments_on`` gives (with each position and its unit), from one statement
    written once, the instances built as the ORM builds them (``Model.from_db``)."""
    alias = read_alias()
    a_end = len(_ASSIGNMENT_COLUMNS)
    p_end = a_end + len(_POSITION_COLUMNS)
    held = []
    for row in rows(ASSIGNMENTS_ON_SQL, {"employee": employee_id, "day": as_of}):
        assignment = Assignment.from_db(alias, _ASSIGNMENT_COLUMNS, row[:a_end])
        position = Position.from_db(alias, _POSITION_COLUMNS, row[a_end:p_end])
        unit = OrgUnit.from_db(alias, _UNIT_COLUMNS, row[p_end:])
        Position.org_unit.field.set_cached_value(position, unit)
        Assignment.position.field.set_cached_value(assignment, position)
        held.append(assignment)
    return held


def employee_gaps(*, employee: Employee, as_of: dt.date) -> list[PositionGaps]:
    """The gap per requirement of each position the person holds on ``as_of`` (2 queries)."""
    assignments = _assignments_on(employee.pk, as_of)
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


UNIT_READINESS_SQL = f"""
    WITH holders AS (SELECT DISTINCT employee_id FROM ({HOLDERS_IN_SUBTREE}) h),
    prof AS ({PROFICIENCY_OF_HOLDERS}),
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
    found = rows(UNIT_READINESS_SQL, params(unit=org_unit.pk, day=as_of, position=position.pk))
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
        for r in found
    ]

"""A unit and its subtree: the gap matrix (people × required competencies), coverage per
competency, vacant posts, and the trend of gap and coverage over the last quarters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from competencies.models import Competency, OrgUnit
from competencies.selectors._sql import (
    DEFINITIVE_HOLDING,
    HOLDERS_IN_SUBTREE,
    IN_UNIT_SUBTREE,
    PROFICIENCY_OF_HOLDERS,
    counted_evidence_on,
    definitive_holding_on,
    params,
    rows,
)
from competencies.selectors.akpk import HOLDINGS_PAGE, keyset_params
from core.data_generation import kept_until_write

#: Quarters in a unit's trend unless asked otherwise.
DEFAULT_TREND_QUARTERS = 8


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
    #: For one page of the people (``gap_matrix_page``): where the next page starts (an
    #: ``AKPK_KEY`` row, the matrix's order), or None after the last holding.
    next_after: tuple | None = None

    @property
    def critical_single_holder(self) -> list[CoverageRow]:
        """Critical competencies met by exactly one person: the unit's single points of failure."""
        return [row for row in self.coverage if row.is_critical and row.single_holder]

    @property
    def total_gap(self) -> int:
        """The sum of every holder's gaps in the subtree (all of them, whatever page ``rows``
        is): the coverage sums the same cells per competency."""
        return sum(row.total_gap for row in self.coverage)


#: One row per (holder, requirement) of the subtree; the AKPK reads the same rows.
#: (The holders carry their post's and unit's columns: joined again to the holders, whose
#: number the planner cannot estimate, the positions were hashed whole, 140,000 of them at a
#: million people.)
MATRIX_SQL = f"""
    WITH holders AS (
        SELECT a.employee_id, a.position_id, p.org_unit_id, p.title, p.is_head, u.path,
               coalesce(nullif(u.short_name, ''), u.name) AS unit_name
        FROM competencies_assignment a
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE {IN_UNIT_SUBTREE} AND {DEFINITIVE_HOLDING}
    ),
    prof AS ({PROFICIENCY_OF_HOLDERS})
    SELECT h.employee_id, e.name, h.position_id, h.title, h.org_unit_id, h.unit_name,
           a_start.start_date,
           r.competency_id, r.required_level, coalesce(prof.level, 0),
           greatest(0, r.required_level - coalesce(prof.level, 0)), r.is_critical
    FROM holders h
    JOIN competencies_employee e ON e.id = h.employee_id
    JOIN LATERAL (
        SELECT min(a.start_date) AS start_date FROM competencies_assignment a
        WHERE a.employee_id = h.employee_id AND a.position_id = h.position_id
          AND {DEFINITIVE_HOLDING}
    ) a_start ON true
    LEFT JOIN competencies_positionrequirement r ON r.position_id = h.position_id
    LEFT JOIN prof ON prof.employee_id = h.employee_id AND prof.competency_id = r.competency_id
    ORDER BY h.path, h.is_head DESC, h.title, e.name, h.employee_id
"""

#: ``MATRIX_SQL``'s rows for one page of the holdings: the next ``%(people)s`` after
#: ``%(after)s`` (an ``AKPK_KEY`` row, or NULL for the first page) in the matrix's order,
#: read by an index-friendly row comparison and a limit; the proficiency is read for the
#: page's people only. Every holding of the page comes back at least once (with NULL
#: requirement columns when its post requires nothing), so a page tells where the next one
#: starts.
MATRIX_PAGE_SQL = f"""
    WITH page AS ({HOLDINGS_PAGE}),
    holders AS (SELECT DISTINCT employee_id FROM page),
    prof AS ({PROFICIENCY_OF_HOLDERS})
    SELECT pg.employee_id, pg.name, pg.position_id, pg.title, pg.org_unit_id, pg.unit_name,
           a_start.start_date,
           r.competency_id, r.required_level, coalesce(prof.level, 0),
           greatest(0, r.required_level - coalesce(prof.level, 0)), r.is_critical,
           pg.path, pg.not_head
    FROM page pg
    JOIN LATERAL (
        SELECT min(a.start_date) AS start_date FROM competencies_assignment a
        WHERE a.employee_id = pg.employee_id AND a.position_id = pg.position_id
          AND {DEFINITIVE_HOLDING}
    ) a_start ON true
    LEFT JOIN competencies_positionrequirement r ON r.position_id = pg.position_id
    LEFT JOIN prof ON prof.employee_id = pg.employee_id AND prof.competency_id = r.competency_id
    ORDER BY pg.path, pg.not_head, pg.title, pg.name, pg.employee_id, pg.position_id,
             r.competency_id
"""

#: Coverage per competency of the holders a ``{holders}`` statement returns
#: (``employee_id, position_id, org_unit_id``); fill it with ``str.format``.
COVERAGE_SQL = f"""
    WITH holders AS ({{holders}}),
    prof AS ({PROFICIENCY_OF_HOLDERS}),
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

_HOLDERS_OF_POST = f"""
    (SELECT count(DISTINCT a.employee_id) FROM competencies_assignment a
      WHERE a.position_id = p.id AND {DEFINITIVE_HOLDING})
"""

VACANCIES_SQL = f"""
    SELECT p.id, p.title, coalesce(nullif(u.short_name, ''), u.name), p.headcount,
           {_HOLDERS_OF_POST} AS holders,
           coalesce(array_agg(c.code || ':' || r.required_level || ':' || r.is_critical::int
                              ORDER BY c.code) FILTER (WHERE c.id IS NOT NULL), '{{}}')
    FROM competencies_position p
    JOIN competencies_orgunit u ON u.id = p.org_unit_id
    LEFT JOIN competencies_positionrequirement r ON r.position_id = p.id
    LEFT JOIN competencies_competency c ON c.id = r.competency_id
    WHERE {IN_UNIT_SUBTREE} AND p.is_active
    GROUP BY p.id, p.title, u.short_name, u.name, u.path, p.headcount
    HAVING p.headcount > {_HOLDERS_OF_POST}
    ORDER BY u.path, p.title
"""


def coverage(holders_sql: str, parameters: dict[str, Any]) -> list[CoverageRow]:
    """Coverage per competency of the holders ``holders_sql`` returns (1 query)."""
    return [CoverageRow(*row) for row in rows(COVERAGE_SQL.format(holders=holders_sql), parameters)]


def _matrix_rows(records: list[tuple]) -> list[MatrixRow]:
    """``MATRIX_SQL``'s records (one per holding × requirement) as one row per holding."""
    by_holding: dict[tuple[int, int], MatrixRow] = {}
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
        *_key,
    ) in records:
        row = by_holding.get((employee_id, position_id))
        if row is None:
            row = by_holding[(employee_id, position_id)] = MatrixRow(
                employee_id, name, position_id, title, unit_id, unit_name, start_date
            )
        if competency_id is not None:
            row.cells[competency_id] = MatrixCell(required, proficiency, gap, critical)
    return list(by_holding.values())


def _unit_figures(
    org_unit: OrgUnit, as_of: dt.date
) -> tuple[list[CoverageRow], list[VacancyRow], list[Competency]]:
    """The subtree's coverage, vacancies and competencies (three queries)."""
    parameters = params(unit=org_unit.pk, day=as_of)
    unit_coverage = coverage(HOLDERS_IN_SUBTREE, parameters)
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
        for r in rows(VACANCIES_SQL, parameters)
    ]
    competency_ids = {row.competency_id for row in unit_coverage}
    competencies = list(Competency.objects.filter(pk__in=competency_ids).order_by("kind", "code"))
    return unit_coverage, vacancies, competencies


#: How many people hold a definitive post in the subtree on the day.
PEOPLE_IN_SUBTREE_SQL = f"SELECT count(DISTINCT h.employee_id) FROM ({HOLDERS_IN_SUBTREE}) h"


def people_in_unit(*, org_unit: OrgUnit, as_of: dt.date) -> int:
    """The number of people holding a definitive post in ``org_unit``'s subtree on ``as_of``
    (one query), to tell whether a whole matrix is small enough to lay out."""
    [(count,)] = rows(PEOPLE_IN_SUBTREE_SQL, params(unit=org_unit.pk, day=as_of))
    return count


def gap_matrix_for_unit(*, org_unit: OrgUnit, as_of: dt.date) -> UnitMatrix:
    """People × required competencies for a unit and its subtree, with coverage and vacancies.

    Four queries whatever the size of the unit: the matrix, the coverage, the vacancies and
    the competency names. Its size grows with the unit: for a large one, page the people
    (``gap_matrix_page``).
    """
    parameters = params(unit=org_unit.pk, day=as_of)
    matrix_rows = _matrix_rows(rows(MATRIX_SQL, parameters))
    unit_coverage, vacancies, competencies = _unit_figures(org_unit, as_of)
    return UnitMatrix(
        org_unit=org_unit,
        as_of=as_of,
        competencies=competencies,
        rows=matrix_rows,
        coverage=unit_coverage,
        vacancies=vacancies,
    )


def gap_matrix_page(
    *, org_unit: OrgUnit, as_of: dt.date, people: int, after: tuple | None = None
) -> UnitMatrix:
    """The matrix of the next ``people`` holdings after ``after`` (an ``AKPK_KEY`` row, as
    ``akpk_key_of`` gives it) in the matrix's order, with the whole subtree's coverage,
    vacancies and total gap. Four queries (one when the unit's figures were computed since the
    last write anywhere), and a page's size does not grow with the unit."""
    parameters = params(unit=org_unit.pk, day=as_of, **keyset_params(after, people))
    records = rows(MATRIX_PAGE_SQL, parameters)
    matrix_rows = _matrix_rows(records)
    next_after = None
    if records and len(matrix_rows) == people:
        last = records[-1]
        # AKPK_KEY: path, not_head, title, name, employee id, position id
        next_after = (last[12], last[13], last[3], last[1], last[0], last[2])
    # The same for every page of the unit: kept until the next write anywhere.
    unit_coverage, vacancies, competencies = kept_until_write(
        "unit-figures", (org_unit.pk, as_of), lambda: _unit_figures(org_unit, as_of)
    )
    return UnitMatrix(
        org_unit=org_unit,
        as_of=as_of,
        competencies=competencies,
        rows=matrix_rows,
        coverage=unit_coverage,
        vacancies=vacancies,
        next_after=next_after,
    )


# --- Trend ----------------------------------------------------------------------------------


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


TREND_SQL = f"""
    WITH days AS (SELECT unnest(%(days)s::date[]) AS day),
    holders AS (
        SELECT d.day, a.employee_id, a.position_id
        FROM days d
        JOIN competencies_assignment a ON {definitive_holding_on("d.day")}
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE {IN_UNIT_SUBTREE}
    ),
    cells AS (
        SELECT h.day, h.employee_id, r.required_level,
               coalesce((SELECT max(ev.level) FROM competencies_evidence ev
                          WHERE ev.employee_id = h.employee_id AND ev.competency_id = r.competency_id
                            AND {counted_evidence_on("h.day")}), 0) AS level
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
    for day, holders, total_gap, cells, met in rows(TREND_SQL, params(unit=org_unit.pk, days=days)):
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

"""The whole organisation at once: coverage per competency in each *perangkat daerah*."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from competencies.models import OrgUnit
from competencies.selectors._sql import DEFINITIVE_HOLDING, params, proficiency_on, rows
from core.db_router import read_from_replica

#: The characters of a unit's materialised path that name its top unit (depth 2).
TOP_LEN = 2 * OrgUnit.steplen


class SummaryRow(NamedTuple):
    """One cell of the summary (a tuple: a million people's summary has over 10,000)."""

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


#: The definitive holders on ``%(day)s`` of posts in top units, ``(employee_id, position_id,
#: top_path)``; ``{only_tops}``: nothing or ``ONLY_TOPS``.
HOLDERS_SQL = f"""
    SELECT a.employee_id, a.position_id, substr(u.path, 1, %(top_len)s) AS top_path
    FROM competencies_assignment a
    JOIN competencies_position p ON p.id = a.position_id
    JOIN competencies_orgunit u ON u.id = p.org_unit_id
    WHERE {DEFINITIVE_HOLDING} AND u.depth >= 2 {{only_tops}}
"""
ONLY_TOPS = "AND substr(u.path, 1, %(top_len)s) = ANY(%(tops)s)"
#: The summary's cells ``(top_path, competency_id, holders_required, holders_meeting,
#: total_gap)`` on ``%(day)s``. A holder's level is the maintained proficiency on the day
#: (none: 0); ``{people}`` narrows the proficiency read to the holders (for a few units: their
#: rows by index, not the whole table's).
CELLS_SQL = f"""
    SELECT h.top_path, r.competency_id, count(*) AS holders_required,
           count(*) FILTER (WHERE coalesce(pr.level, 0) >= r.required_level) AS holders_meeting,
           sum(greatest(0, r.required_level - coalesce(pr.level, 0))) AS total_gap
    FROM ({{holders}}) h
    JOIN competencies_positionrequirement r ON r.position_id = h.position_id
    LEFT JOIN (
        SELECT pr.employee_id, pr.competency_id, pr.level
        FROM competencies_proficiency pr
        WHERE {proficiency_on()}
          {{people}}
    ) pr ON pr.employee_id = h.employee_id AND pr.competency_id = r.competency_id
    GROUP BY h.top_path, r.competency_id
"""


def cells_sql(*, only_tops: bool) -> str:
    """The cells of every top unit, or (``only_tops``) of those in ``%(tops)s`` (the per-unit
    rollup's, ``competencies.rollups``)."""
    if not only_tops:
        return CELLS_SQL.format(holders=HOLDERS_SQL.format(only_tops=""), people="")
    holders = HOLDERS_SQL.format(only_tops=ONLY_TOPS)
    return CELLS_SQL.format(
        holders=holders,
        people=f"AND pr.employee_id IN (SELECT employee_id FROM ({holders}) hp)",
    )


def cells_params(*, day: dt.date, tops: list[str] | None = None) -> dict[str, object]:
    return params(day=day, top_len=TOP_LEN, tops=tops)


#: The cells named: the top unit's id and name, the competency's id and code.
_NAMED = """
    SELECT t.id, coalesce(nullif(t.short_name, ''), t.name), c.id, c.code,
           cells.holders_required, cells.holders_meeting, cells.total_gap
    FROM cells
    JOIN competencies_orgunit t ON t.path = cells.top_path
    JOIN competencies_competency c ON c.id = cells.competency_id
    ORDER BY t.path, c.code
"""

#: The top units are the children of the city (depth 2): the perangkat daerah and kecamatan.
#: Computed live from every holding and proficiency (``CELLS_SQL``).
ORG_SUMMARY_SQL = f"""
    WITH cells AS ({cells_sql(only_tops=False)})
    {_NAMED}
"""

#: The summary from the per-unit rollup where it holds (``competencies.rollups``).
ORG_SUMMARY_FROM_ROLLUP_SQL = f"""
    WITH cells AS (
        SELECT cell_top AS top_path, cell_competency AS competency_id,
               cell_required AS holders_required, cell_meeting AS holders_meeting,
               cell_gap AS total_gap
        FROM competencies_summary_cells(%(day)s, %(acting)s)
    )
    {_NAMED}
"""


@read_from_replica()
def org_summary(*, as_of: dt.date) -> list[SummaryRow]:
    """Coverage per competency per top unit for the whole organisation, on the read replica
    when one is configured: the per-unit rollup's cells (``competencies.rollups``) when it is
    of ``as_of``, with the units written to since its last refresh computed; otherwise
    everything computed. One query."""
    return [SummaryRow(*row) for row in rows(ORG_SUMMARY_FROM_ROLLUP_SQL, cells_params(day=as_of))]

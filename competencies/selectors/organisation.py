"""The whole organisation at once: coverage per competency in each *perangkat daerah*."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from competencies import rollups
from competencies.rollups import cells_params, cells_sql
from competencies.selectors._sql import rows
from core.db_router import read_from_replica


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
#: Computed live from every holding and proficiency (``competencies.rollups.CELLS_SQL``).
ORG_SUMMARY_SQL = f"""
    WITH cells AS ({cells_sql(only_tops=False)})
    {_NAMED}
"""

#: The kept cells of the top units not in ``%(tops)s`` and, live, those of the units in it.
ORG_SUMMARY_FROM_ROLLUP_SQL = f"""
    WITH cells AS (
        SELECT top_path, competency_id, holders_required, holders_meeting, total_gap
        FROM competencies_summaryrollup
        WHERE NOT (top_path = ANY(%(tops)s))
        UNION ALL
        {cells_sql(only_tops=True)}
    )
    {_NAMED}
"""


@read_from_replica()
def org_summary(*, as_of: dt.date) -> list[SummaryRow]:
    """Coverage per competency per top unit for the whole organisation, on the read replica
    when one is configured. From the per-unit rollup (``competencies.rollups``) when it is of
    ``as_of``, with the units marked since its last refresh computed live; otherwise all
    live. Two queries."""
    day, marked = rollups.state()
    if day == as_of and rollups.ALL not in marked and len(marked) <= rollups.LIVE_TOPS_MAX:
        sql, parameters = ORG_SUMMARY_FROM_ROLLUP_SQL, cells_params(day=as_of, tops=sorted(marked))
    else:
        sql, parameters = ORG_SUMMARY_SQL, cells_params(day=as_of)
    return [SummaryRow(*row) for row in rows(sql, parameters)]

"""The whole organisation at once: coverage per competency in each *perangkat daerah*."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from competencies.rollups import cells_params, cells_sql
from competencies.selectors._sql import rows
from core.db_router import read_from_replica


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

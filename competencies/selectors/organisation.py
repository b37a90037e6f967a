"""The whole organisation at once: coverage per competency in each *perangkat daerah*."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from competencies.models import OrgUnit
from competencies.selectors._sql import DEFINITIVE_HOLDING, params, proficiency_on, rows
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


#: The top units are the children of the city (depth 2): the perangkat daerah and kecamatan.
ORG_SUMMARY_SQL = f"""
    WITH holders AS (
        SELECT a.employee_id, a.position_id, substr(u.path, 1, %(top_len)s) AS top_path
        FROM competencies_assignment a
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE {DEFINITIVE_HOLDING} AND u.depth >= 2
    ),
    prof AS (
        SELECT pr.employee_id, pr.competency_id, pr.level
        FROM competencies_proficiency pr
        WHERE {proficiency_on()}
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


@read_from_replica()
def org_summary(*, as_of: dt.date) -> list[SummaryRow]:
    """Coverage per competency per top unit for the whole organisation (1 query, on the read
    replica when one is configured)."""
    step = OrgUnit.steplen
    return [SummaryRow(*row) for row in rows(ORG_SUMMARY_SQL, params(day=as_of, top_len=2 * step))]

"""Reads of the competency matrix: proficiency, gaps, coverage, readiness, rotation impact.

All gap arithmetic runs in PostgreSQL, one statement for a whole unit or organisation, never
as a Python loop over people. Every function takes an ``as_of`` date, so history can be asked.

Definitions (DESIGN.md):
- A person's *proficiency* in a competency on a date is the highest level among validated
  evidence valid that day (``achieved_date <= day < expires_date``; which evidence waits for
  a supervisor's or HR's validation is the evidence policy's call, ``competencies.policy``).
  No evidence means proficiency 0.
- The *gap* of a requirement is ``max(0, required_level - proficiency)``.
- A unit's *coverage* of a competency is the share of its definitive position holders who
  are required to have it and meet the required level.
- *Readiness* of a person for a position is the share of the position's requirements met;
  the *job-person match* (JPM) is ``sum(min(proficiency, required)) / sum(required)``.

How the package is split, by topic:

- ``_sql``: the SQL fragments every query shares ("counted evidence on a day", "definitive
  holders of a post on a day", a unit's subtree) and ``params``/``rows`` to run them.
- ``people``: one person: posts held, history, proficiency, gaps, readiness.
- ``units``: a unit's subtree: the gap matrix, coverage, vacancies, and the trend by quarter.
- ``rotation``: a planned move's impact, and who is due to rotate.
- ``organisation``: coverage per top unit for the whole organisation.
- ``review``: evidence waiting for a supervisor or HR, and a person's reviewed evidence.
- ``akpk``: the AKPK rows (yearly development needs) and the development each gap calls for.
- ``lists``: plain querysets for lists in the admin and the API.
- ``export``: the organisation's gap rows streamed for the HR API (imported from there, not
  re-exported here).

Who may see what is not a read of the matrix: it lives in ``competencies.access``.

Callers import this package (``from competencies import selectors``); the names below are its
public interface, whichever module holds them.
"""

from competencies.selectors.akpk import (
    AkpkPage,
    AkpkRow,
    akpk_iter,
    akpk_key_of,
    akpk_page,
    akpk_rows,
    cursor_of,
    key_of_cursor,
    suggested_development,
)
from competencies.selectors.lists import (
    assignment_list,
    employee_by_nip,
    employee_list,
    employees_in_unit,
    org_unit_list,
    position_list,
)
from competencies.selectors.organisation import ORG_SUMMARY_SQL, SummaryRow, org_summary
from competencies.selectors.people import (
    GapRow,
    PositionGaps,
    Proficiency,
    ReadinessRow,
    assignment_history,
    assignments_on,
    employee_gaps,
    employee_readiness,
    proficiency_for_employee,
    rank_history,
    unit_readiness_for_position,
)
from competencies.selectors.review import evidence_awaiting_review, evidence_reviews_of
from competencies.selectors.rotation import (
    CoverageChange,
    RotationDueRow,
    RotationImpact,
    RotationThresholds,
    UnitImpact,
    rotation_due,
    rotation_impact,
    rotation_thresholds,
)
from competencies.selectors.units import (
    DEFAULT_TREND_QUARTERS,
    CoverageRow,
    MatrixCell,
    MatrixRow,
    TrendPoint,
    UnitMatrix,
    VacancyRow,
    gap_matrix_for_unit,
    gap_matrix_page,
    people_in_unit,
    quarter_ends,
    unit_trend,
)

__all__ = [
    "DEFAULT_TREND_QUARTERS",
    "ORG_SUMMARY_SQL",
    "AkpkPage",
    "AkpkRow",
    "CoverageChange",
    "CoverageRow",
    "GapRow",
    "MatrixCell",
    "MatrixRow",
    "PositionGaps",
    "Proficiency",
    "ReadinessRow",
    "RotationDueRow",
    "RotationImpact",
    "RotationThresholds",
    "SummaryRow",
    "TrendPoint",
    "UnitImpact",
    "UnitMatrix",
    "VacancyRow",
    "akpk_iter",
    "akpk_key_of",
    "akpk_page",
    "akpk_rows",
    "assignment_history",
    "assignment_list",
    "assignments_on",
    "cursor_of",
    "employee_by_nip",
    "employee_gaps",
    "employee_list",
    "employee_readiness",
    "employees_in_unit",
    "evidence_awaiting_review",
    "evidence_reviews_of",
    "gap_matrix_for_unit",
    "gap_matrix_page",
    "key_of_cursor",
    "org_summary",
    "org_unit_list",
    "people_in_unit",
    "position_list",
    "proficiency_for_employee",
    "quarter_ends",
    "rank_history",
    "rotation_due",
    "rotation_impact",
    "rotation_thresholds",
    "suggested_development",
    "unit_readiness_for_position",
    "unit_trend",
]

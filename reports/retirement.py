"""The retirement forecast (reads only): when each person retires, which critical competencies
leave a post with them, and who in the city could take the post over.

A person's retirement date comes from the birth date in their NIP (digits 1–8, YYYYMMDD;
``competencies.validators``) and the retirement age (BUP) of the post they hold on the day
(``reports.models.RetirementAge``). Under the BUP rule a civil servant is honourably
discharged at the end of the month in which they reach the age, and the pension runs from the
first day of the next month (PP 11/2017 Pasal 239 and 355): the retirement date here is that
first day of the month after the birthday at that age. A 29 February birthday falls on
28 February in a common year (``core.dates.add_years``; PostgreSQL's ``date + interval``
says the same), so such a person retires on 1 March.

Everything is set-based: the people list, the posts at risk and the candidates for all of them
are one query each, whatever the size of the city, run on the read replica when one is
configured (``core.db_router``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from competencies.models import OrgUnit
from competencies.selectors._sql import COUNTED_EVIDENCE, DEFINITIVE_HOLDING, params, rows
from core.dates import add_years
from core.db_router import read_from_replica
from reports.models import RetirementAge

#: Years ahead the forecast looks unless asked otherwise.
DEFAULT_YEARS = 5
#: Succession candidates shown for each post at risk.
CANDIDATES_PER_POST = 5


def retirement_date(*, birth_date: dt.date, age: int) -> dt.date:
    """The first day of the month after the birthday at ``age`` (the BUP rule)."""
    birthday = add_years(birth_date, age)
    return dt.date(birthday.year + (birthday.month == 12), birthday.month % 12 + 1, 1)


def horizon(*, today: dt.date, years: int) -> dt.date:
    """The last day of the forecast: ``years`` from today."""
    return add_years(today, years)


#: The retirement age of post ``p``: the row of its kind whose functional level the post's
#: contains, the longest (most specific) first; a blank level matches every post of the kind.
AGE_OF_POST = """(
    SELECT ra.age FROM reports_retirementage ra
    WHERE ra.position_kind = p.kind
      AND (ra.functional_level = ''
           OR strpos(lower(p.functional_level), lower(ra.functional_level)) > 0)
    ORDER BY length(ra.functional_level) DESC LIMIT 1
)"""

#: Every definitive holder on ``%(day)s`` with their post, unit, perangkat daerah path and
#: retirement date (NULL when no retirement age covers the post's kind).
DATED_HOLDERS = f"""
    SELECT a.employee_id, a.position_id, p.org_unit_id, substr(u.path, 1, %(top_len)s) AS top_path,
           ages.age,
           (date_trunc('month', to_date(left(e.nip, 8), 'YYYYMMDD') + make_interval(years => ages.age))
            + interval '1 month')::date AS retires_on
    FROM competencies_assignment a
    JOIN competencies_position p ON p.id = a.position_id
    JOIN competencies_orgunit u ON u.id = p.org_unit_id
    JOIN competencies_employee e ON e.id = a.employee_id
    CROSS JOIN LATERAL (SELECT {AGE_OF_POST} AS age) ages
    WHERE {DEFINITIVE_HOLDING}
"""  # noqa: S608 - composed from module constants; every value is a bound parameter


def _top_len() -> int:
    return 2 * OrgUnit.steplen


# --- People retiring ------------------------------------------------------------------------


@dataclass(frozen=True)
class RetiringPerson:
    employee_id: int
    name: str
    nip: str
    position_title: str
    unit_name: str
    top_unit_name: str
    age: int
    retires_on: dt.date


RETIRING_SQL = f"""
    WITH dated AS ({DATED_HOLDERS})
    SELECT e.id, e.name, e.nip, p.title, u.name, coalesce(t.name, ''), d.age, d.retires_on
    FROM dated d
    JOIN competencies_employee e ON e.id = d.employee_id
    JOIN competencies_position p ON p.id = d.position_id
    JOIN competencies_orgunit u ON u.id = d.org_unit_id
    LEFT JOIN competencies_orgunit t ON t.path = d.top_path
    WHERE d.retires_on <= %(horizon)s
    ORDER BY d.retires_on, e.name, e.id
"""  # noqa: S608 - composed from module constants; every value is a bound parameter


@read_from_replica()
def retiring_people(*, day: dt.date, until: dt.date) -> list[RetiringPerson]:
    """The people posted on ``day`` whose retirement date is on or before ``until``, soonest
    first (those past it already come first) (1 query)."""
    found = rows(RETIRING_SQL, params(day=day, horizon=until, top_len=_top_len()))
    return [RetiringPerson(*row) for row in found]


# --- Critical competencies at risk ----------------------------------------------------------


@dataclass(frozen=True)
class AtRisk:
    position_id: int
    position_title: str
    unit_name: str
    top_unit_name: str
    competency_id: int
    code: str
    name_id: str
    name_en: str
    required_level: int
    holders: list[str]
    last_leaves: dt.date


#: A critical requirement of a post is at risk when the post's holders who meet it on the day
#: all retire by ``%(horizon)s``: once they go, no holder of the post meets it.
AT_RISK_SQL = f"""
    WITH dated AS ({DATED_HOLDERS}),
    meeting AS (
        SELECT d.position_id, r.competency_id, r.required_level, d.employee_id, d.retires_on
        FROM dated d
        JOIN competencies_positionrequirement r ON r.position_id = d.position_id AND r.is_critical
        WHERE EXISTS (
            SELECT 1 FROM competencies_evidence ev
            WHERE ev.employee_id = d.employee_id AND ev.competency_id = r.competency_id
              AND ev.level >= r.required_level AND {COUNTED_EVIDENCE}
        )
    ),
    risk AS (
        SELECT m.position_id, m.competency_id, m.required_level,
               array_agg(e.name ORDER BY e.name) AS holders, max(m.retires_on) AS last_leaves
        FROM meeting m JOIN competencies_employee e ON e.id = m.employee_id
        GROUP BY m.position_id, m.competency_id, m.required_level
        HAVING bool_and(m.retires_on IS NOT NULL AND m.retires_on <= %(horizon)s)
    )
    SELECT risk.position_id, p.title, u.name, coalesce(t.name, ''), c.id, c.code, c.name_id,
           c.name_en, risk.required_level, risk.holders, risk.last_leaves
    FROM risk
    JOIN competencies_position p ON p.id = risk.position_id
    JOIN competencies_orgunit u ON u.id = p.org_unit_id
    LEFT JOIN competencies_orgunit t ON t.path = substr(u.path, 1, %(top_len)s)
    JOIN competencies_competency c ON c.id = risk.competency_id
    ORDER BY risk.last_leaves, u.path, p.title, c.code
"""  # noqa: S608 - composed from module constants; every value is a bound parameter


@read_from_replica()
def critical_at_risk(*, day: dt.date, until: dt.date) -> list[AtRisk]:
    """The critical requirements whose holders meeting them on ``day`` all retire by
    ``until``, with those holders, soonest loss first (1 query)."""
    found = rows(AT_RISK_SQL, params(day=day, horizon=until, top_len=_top_len()))
    return [AtRisk(*row) for row in found]


# --- Succession candidates ------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    position_id: int
    rank: int
    employee_id: int
    name: str
    current_title: str
    current_unit: str
    requirements: int
    met: int
    total_gap: int
    held: int
    required: int

    @property
    def readiness_pct(self) -> float:
        """Share of the post's requirements met, as ``employee_readiness`` reports it."""
        return round(100.0 * self.met / self.requirements, 1) if self.requirements else 100.0

    @property
    def jpm_pct(self) -> float:
        return round(100.0 * self.held / self.required, 1) if self.required else 100.0


#: For each post of ``%(positions)s``: the people posted on the day elsewhere in the city who do
#: not retire by ``%(horizon)s`` and have counted evidence in at least one competency the post
#: requires, scored as ``competencies.selectors.unit_readiness_for_position`` scores them
#: (requirements met, then the smallest total gap, then the name), the best few per post.
CANDIDATES_SQL = f"""
    WITH dated AS ({DATED_HOLDERS}),
    req AS (
        SELECT r.position_id, r.competency_id, r.required_level
        FROM competencies_positionrequirement r
        WHERE r.position_id = ANY(%(positions)s)
    ),
    totals AS (
        SELECT position_id, count(*) AS requirements, sum(required_level) AS required
        FROM req GROUP BY position_id
    ),
    pool AS (
        SELECT DISTINCT ON (d.employee_id) d.employee_id, d.position_id, d.org_unit_id
        FROM dated d
        WHERE d.retires_on IS NULL OR d.retires_on > %(horizon)s
        ORDER BY d.employee_id, d.position_id
    ),
    prof AS (
        SELECT ev.employee_id, ev.competency_id, max(ev.level) AS level
        FROM competencies_evidence ev
        WHERE {COUNTED_EVIDENCE}
          AND ev.competency_id IN (SELECT competency_id FROM req)
          AND ev.employee_id IN (SELECT employee_id FROM pool)
        GROUP BY ev.employee_id, ev.competency_id
    ),
    scored AS (
        SELECT req.position_id, prof.employee_id,
               count(*) FILTER (WHERE prof.level >= req.required_level) AS met,
               sum(least(prof.level, req.required_level)) AS held
        FROM req JOIN prof ON prof.competency_id = req.competency_id
        GROUP BY req.position_id, prof.employee_id
    ),
    ranked AS (
        SELECT s.position_id, s.employee_id, e.name, t.requirements, s.met,
               t.required - s.held AS total_gap, s.held, t.required,
               row_number() OVER (
                   PARTITION BY s.position_id
                   ORDER BY s.met DESC, t.required - s.held, e.name, e.id
               ) AS rank
        FROM scored s
        JOIN totals t ON t.position_id = s.position_id
        JOIN competencies_employee e ON e.id = s.employee_id
        WHERE NOT EXISTS (
            SELECT 1 FROM competencies_assignment a
            WHERE a.employee_id = s.employee_id AND a.position_id = s.position_id
              AND {DEFINITIVE_HOLDING}
        )
    )
    SELECT ranked.position_id, ranked.rank, ranked.employee_id, ranked.name,
           coalesce(cur.title, ''), coalesce(cu.name, ''), ranked.requirements, ranked.met,
           ranked.total_gap, ranked.held, ranked.required
    FROM ranked
    JOIN pool ON pool.employee_id = ranked.employee_id
    LEFT JOIN competencies_position cur ON cur.id = pool.position_id
    LEFT JOIN competencies_orgunit cu ON cu.id = pool.org_unit_id
    WHERE ranked.rank <= %(limit)s
    ORDER BY ranked.position_id, ranked.rank
"""  # noqa: S608 - composed from module constants; every value is a bound parameter


@read_from_replica()
def succession_candidates(
    *, position_ids: list[int], day: dt.date, until: dt.date, limit: int = CANDIDATES_PER_POST
) -> dict[int, list[Candidate]]:
    """The best ``limit`` candidates for each post of ``position_ids``, ranked by readiness
    for it (1 query for every post at once)."""
    result: dict[int, list[Candidate]] = {pk: [] for pk in position_ids}
    if not position_ids:
        return result
    found = rows(
        CANDIDATES_SQL,
        params(
            day=day,
            horizon=until,
            positions=list(position_ids),
            limit=limit,
            top_len=_top_len(),
        ),
    )
    for row in found:
        candidate = Candidate(*row)
        result[candidate.position_id].append(candidate)
    return result


def retirement_ages() -> list[RetirementAge]:
    """The settings table, for the page to show which ages it used."""
    return list(RetirementAge.objects.order_by("position_kind", "functional_level"))

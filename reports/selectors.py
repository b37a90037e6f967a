"""The policy reports for leaders (reads only): JP targets, the counted-gap trend, JP spent
against gap closed, and the coverage of critical competencies, each per *perangkat daerah*.

A perangkat daerah is a child of the city (depth 2 of the organisation tree, as in
``competencies.selectors.org_summary``); a person counts where they are posted on the day the
report is for (a definitive holding, ``competencies.selectors._sql``), and gaps count only
counted evidence, the rules written once there. Every report is one or two aggregate queries
for the whole city, whatever its size, run on the read replica when one is configured
(``core.db_router``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from competencies.models import Competency, EmploymentType, OrgUnit
from competencies.selectors import SummaryRow, org_summary, quarter_ends
from competencies.selectors._sql import (
    COUNTED_EVIDENCE,
    DEFINITIVE_HOLDING,
    counted_evidence_on,
    definitive_holding_on,
    params,
    rows,
)
from core.db_router import read_from_replica
from courses.models import LearningSource

#: Quarters the gap trend shows unless asked for another number.
DEFAULT_QUARTERS = 4


def _top_len() -> int:
    """Characters of the materialised path that name a unit's perangkat daerah (depth 2)."""
    return 2 * OrgUnit.steplen


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def report_day(*, year: int, today: dt.date) -> dt.date:
    """The day a yearly report is for: today in the current year, 31 December of a past one."""
    return today if year >= today.year else dt.date(year, 12, 31)


# --- JP target ------------------------------------------------------------------------------


@dataclass(frozen=True)
class JpTargetRow:
    unit_id: int
    unit_name: str
    people: int
    reached: int
    total_jp: Decimal

    @property
    def share_pct(self) -> float:
        return _pct(self.reached, self.people)

    @property
    def average_jp(self) -> float:
        return round(float(self.total_jp) / self.people, 1) if self.people else 0.0


#: Each person once, in the perangkat daerah of their most recent definitive post on the day.
JP_TARGET_SQL = f"""
    WITH posted AS (
        SELECT DISTINCT ON (a.employee_id) a.employee_id, substr(u.path, 1, %(top_len)s) AS top_path
        FROM competencies_assignment a
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE {DEFINITIVE_HOLDING} AND u.depth >= 2
        ORDER BY a.employee_id, a.start_date DESC, a.id DESC
    ),
    jp AS (
        SELECT lr.employee_id, sum(lr.jp_hours) AS total
        FROM courses_learningrecord lr
        WHERE lr.year = %(year)s AND lr.employee_id IN (SELECT employee_id FROM posted)
        GROUP BY lr.employee_id
    )
    SELECT t.id, t.name, count(*) AS people,
           count(*) FILTER (WHERE coalesce(jp.total, 0) >= CASE
               WHEN e.employment_type = %(pppk)s THEN %(target_pppk)s ELSE %(target_pns)s END
           ) AS reached,
           coalesce(sum(jp.total), 0) AS total_jp
    FROM posted
    JOIN competencies_employee e ON e.id = posted.employee_id
    JOIN competencies_orgunit t ON t.path = posted.top_path
    LEFT JOIN jp ON jp.employee_id = posted.employee_id
    GROUP BY t.id, t.path, t.name
    ORDER BY t.path
"""  # noqa: S608 - composed from module constants; every value is a bound parameter


@read_from_replica()
def jp_target_report(*, year: int, day: dt.date) -> list[JpTargetRow]:
    """Per perangkat daerah: the people posted there on ``day`` and how many reached their
    yearly JP target (``JP_ANNUAL_TARGET_PNS``/``_PPPK``) in ``year``'s ledger (1 query)."""
    found = rows(
        JP_TARGET_SQL,
        params(
            day=day,
            year=year,
            top_len=_top_len(),
            pppk=EmploymentType.PPPK.value,
            target_pns=settings.JP_ANNUAL_TARGET_PNS,
            target_pppk=settings.JP_ANNUAL_TARGET_PPPK,
        ),
    )
    return [JpTargetRow(*row) for row in found]


# --- Counted gaps, as of several days at once -----------------------------------------------


@dataclass(frozen=True)
class GapPoint:
    total_gap: int
    cells: int
    met: int

    @property
    def coverage_pct(self) -> float:
        return _pct(self.met, self.cells) if self.cells else 100.0


@dataclass
class GapSeries:
    """One line of the trend (a perangkat daerah, a competency, or the city): a point a day."""

    key: int | None
    code: str
    name: str
    name_en: str = ""
    points: dict[dt.date, GapPoint] = field(default_factory=dict)

    def at(self, day: dt.date) -> GapPoint:
        return self.points.get(day, GapPoint(0, 0, 0))


@dataclass
class GapTrend:
    days: list[dt.date]
    city: GapSeries
    by_unit: list[GapSeries]
    by_competency: list[GapSeries]


#: The counted gap of every requirement of every post, at each day of ``%(days)s``, added up
#: per (day, perangkat daerah), per (day, competency) and per day in one pass (GROUPING SETS).
GAPS_ON_DAYS_SQL = f"""
    WITH days AS (SELECT unnest(%(days)s::date[]) AS day),
    holders AS (
        SELECT d.day, a.employee_id, a.position_id, substr(u.path, 1, %(top_len)s) AS top_path
        FROM days d
        JOIN competencies_assignment a ON {definitive_holding_on("d.day")}
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE u.depth >= 2
    ),
    cells AS (
        SELECT h.day, h.top_path, r.competency_id, r.required_level,
               coalesce((SELECT max(ev.level) FROM competencies_evidence ev
                          WHERE ev.employee_id = h.employee_id AND ev.competency_id = r.competency_id
                            AND {counted_evidence_on("h.day")}), 0) AS level
        FROM holders h
        JOIN competencies_positionrequirement r ON r.position_id = h.position_id
    ),
    agg AS (
        SELECT day, top_path, competency_id, GROUPING(top_path) AS no_unit,
               GROUPING(competency_id) AS no_competency,
               sum(greatest(0, required_level - level)) AS total_gap, count(*) AS cells,
               count(*) FILTER (WHERE level >= required_level) AS met
        FROM cells
        GROUP BY GROUPING SETS ((day, top_path), (day, competency_id), (day))
    )
    SELECT agg.day, agg.no_unit, agg.no_competency, t.id, t.path, t.name,
           c.id, c.code, c.name_id, c.name_en, agg.total_gap, agg.cells, agg.met
    FROM agg
    LEFT JOIN competencies_orgunit t ON agg.no_unit = 0 AND t.path = agg.top_path
    LEFT JOIN competencies_competency c ON agg.no_competency = 0 AND c.id = agg.competency_id
    ORDER BY agg.day, t.path, c.code
"""  # noqa: S608 - composed from module constants; every value is a bound parameter


@read_from_replica()
def gaps_on_days(*, days: list[dt.date]) -> GapTrend:
    """The city's counted gap on each of ``days``, in total, per perangkat daerah and per
    competency (1 query)."""
    city = GapSeries(key=None, code="", name="")
    units: dict[int, GapSeries] = {}
    competencies: dict[int, GapSeries] = {}
    unit_paths: dict[int, str] = {}
    found = rows(GAPS_ON_DAYS_SQL, params(days=days, top_len=_top_len()))
    for (
        day,
        no_unit,
        no_competency,
        unit_id,
        unit_path,
        unit_name,
        competency_id,
        code,
        name_id,
        name_en,
        total_gap,
        cells,
        met,
    ) in found:
        point = GapPoint(int(total_gap), cells, met)
        if no_unit and no_competency:
            city.points[day] = point
        elif not no_unit:
            series = units.setdefault(unit_id, GapSeries(key=unit_id, code="", name=unit_name))
            unit_paths[unit_id] = unit_path
            series.points[day] = point
        else:
            series = competencies.setdefault(
                competency_id,
                GapSeries(key=competency_id, code=code, name=name_id, name_en=name_en),
            )
            series.points[day] = point
    return GapTrend(
        days=list(days),
        city=city,
        by_unit=sorted(units.values(), key=lambda s: unit_paths[s.key or 0]),
        by_competency=sorted(competencies.values(), key=lambda s: s.code),
    )


def gap_trend(*, as_of: dt.date, quarters: int = DEFAULT_QUARTERS) -> GapTrend:
    """The counted gap at the end of each of the last ``quarters`` quarters; the current
    quarter's point is ``as_of`` rather than its (future) end, as on the dashboard (1 query)."""
    days = sorted({min(day, as_of) for day in quarter_ends(as_of=as_of, quarters=quarters)})
    return gaps_on_days(days=days)


def quarter_label(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


# --- JP spent against gap closed ------------------------------------------------------------


@dataclass(frozen=True)
class SpendingRow:
    competency_id: int
    code: str
    name_id: str
    name_en: str
    jp: Decimal
    cost: Decimal
    people: int
    gap_start: int
    gap_end: int

    @property
    def gap_closed(self) -> int:
        return self.gap_start - self.gap_end

    @property
    def gap_grew(self) -> int:
        """How much the gap grew instead (new posts, people or requirements), else 0."""
        return max(0, self.gap_end - self.gap_start)

    @property
    def jp_per_level(self) -> Decimal | None:
        """JP spent for each level of gap closed; none when no gap closed."""
        if self.gap_closed <= 0:
            return None
        return (self.jp / self.gap_closed).quantize(Decimal("0.1"))

    @property
    def cost_per_level(self) -> Decimal | None:
        """Cost (IDR) for each level of gap closed; none when no gap closed or nothing cost."""
        if self.gap_closed <= 0 or not self.cost:
            return None
        return (self.cost / self.gap_closed).quantize(Decimal("1"))


@dataclass
class SpendingReport:
    year: int
    start: dt.date
    end: dt.date
    rows: list[SpendingRow]
    external_jp: Decimal

    @property
    def total_jp(self) -> Decimal:
        return sum((row.jp for row in self.rows), Decimal(0))

    @property
    def total_cost(self) -> Decimal:
        return sum((row.cost for row in self.rows), Decimal(0))

    @property
    def total_closed(self) -> int:
        return sum(row.gap_closed for row in self.rows)


#: JP and cost of ``%(year)s``'s completions per competency built: Tangkas courses (through the
#: enrollment; no cost) and partner offerings (through the completed request; the offering's
#: cost per participant). A course or offering that builds several competencies shares its JP
#: and cost among them equally, so the totals add up to what was spent. The last row (no
#: competency) is external training that names no competency.
SPENT_BY_COMPETENCY_SQL = """
    WITH links AS (
        SELECT 'course' AS via, course_id AS item_id, competency_id,
               count(*) OVER (PARTITION BY course_id) AS built
        FROM courses_coursecompetency
        UNION ALL
        SELECT 'offering', offering_id, competency_id, count(*) OVER (PARTITION BY offering_id)
        FROM providers_offeringcompetency
    ),
    spent AS (
        SELECT lr.employee_id, lr.jp_hours, 'course' AS via, en.course_id AS item_id,
               0::numeric AS cost
        FROM courses_learningrecord lr
        JOIN courses_enrollment en ON en.id = lr.enrollment_id
        WHERE lr.year = %(year)s
        UNION ALL
        SELECT lr.employee_id, lr.jp_hours, 'offering', rq.offering_id, o.cost
        FROM courses_learningrecord lr
        JOIN providers_offeringrequest rq ON rq.learning_record_id = lr.id
        JOIN providers_offering o ON o.id = rq.offering_id
        WHERE lr.year = %(year)s
    )
    SELECT links.competency_id, sum(spent.jp_hours / links.built),
           sum(spent.cost / links.built), count(DISTINCT spent.employee_id)
    FROM spent
    JOIN links ON links.via = spent.via AND links.item_id = spent.item_id
    GROUP BY links.competency_id
    UNION ALL
    SELECT NULL, coalesce(sum(lr.jp_hours), 0), 0, count(DISTINCT lr.employee_id)
    FROM courses_learningrecord lr
    WHERE lr.year = %(year)s AND lr.source = %(external)s
      AND NOT EXISTS (
          SELECT 1 FROM providers_offeringrequest rq
          JOIN providers_offeringcompetency oc ON oc.offering_id = rq.offering_id
          WHERE rq.learning_record_id = lr.id
      )
"""


@read_from_replica()
def spending_report(*, year: int, today: dt.date) -> SpendingReport:
    """Per competency: the JP and cost spent in ``year`` on courses and partner offerings that
    build it, and the city's counted gap in it at the start of the year (31 December before)
    and on the report's day (2 queries)."""
    start = dt.date(year - 1, 12, 31)
    end = report_day(year=year, today=today)
    trend = gaps_on_days(days=[start, end])
    spent: dict[int | None, tuple[Decimal, Decimal, int]] = {}
    for competency_id, jp, cost, people in rows(
        SPENT_BY_COMPETENCY_SQL, {"year": year, "external": LearningSource.EXTERNAL.value}
    ):
        spent[competency_id] = (
            Decimal(jp).quantize(Decimal("0.01")),
            Decimal(cost).quantize(Decimal("1")),
            people,
        )
    names = {s.key: s for s in trend.by_competency}
    report_rows = []
    for series in trend.by_competency:
        jp, cost, people = spent.get(series.key, (Decimal("0.00"), Decimal(0), 0))
        report_rows.append(
            SpendingRow(
                competency_id=series.key or 0,
                code=series.code,
                name_id=series.name,
                name_en=series.name_en,
                jp=jp,
                cost=cost,
                people=people,
                gap_start=series.at(start).total_gap,
                gap_end=series.at(end).total_gap,
            )
        )
    missing = [key for key in spent if key is not None and key not in names]
    if missing:
        # Competencies trained this year that no post requires: JP spent, no gap to close.
        for competency in Competency.objects.filter(pk__in=missing).order_by("code"):
            jp, cost, people = spent[competency.pk]
            report_rows.append(
                SpendingRow(
                    competency_id=competency.pk,
                    code=competency.code,
                    name_id=competency.name_id,
                    name_en=competency.name_en,
                    jp=jp,
                    cost=cost,
                    people=people,
                    gap_start=0,
                    gap_end=0,
                )
            )
    report_rows.sort(key=lambda row: (-row.jp, -row.cost, row.code))
    return SpendingReport(
        year=year,
        start=start,
        end=end,
        rows=report_rows,
        external_jp=spent.get(None, (Decimal("0.00"), Decimal(0), 0))[0],
    )


# --- Critical competencies ------------------------------------------------------------------


@dataclass(frozen=True)
class CriticalRow:
    unit_id: int
    unit_name: str
    posts: int
    requirements: int
    met: int
    uncovered_posts: int

    @property
    def coverage_pct(self) -> float:
        return _pct(self.met, self.requirements) if self.requirements else 100.0


#: Each critical requirement of each post held on the day, once per holder: met when the holder's
#: counted proficiency reaches the required level.
CRITICAL_SQL = f"""
    WITH holders AS (
        SELECT a.employee_id, a.position_id, substr(u.path, 1, %(top_len)s) AS top_path
        FROM competencies_assignment a
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE {DEFINITIVE_HOLDING} AND u.depth >= 2
    ),
    prof AS (
        SELECT ev.employee_id, ev.competency_id, max(ev.level) AS level
        FROM competencies_evidence ev
        WHERE {COUNTED_EVIDENCE} AND ev.employee_id IN (SELECT employee_id FROM holders)
        GROUP BY ev.employee_id, ev.competency_id
    ),
    cells AS (
        SELECT h.top_path, h.position_id, r.competency_id,
               coalesce(prof.level, 0) >= r.required_level AS met
        FROM holders h
        JOIN competencies_positionrequirement r
          ON r.position_id = h.position_id AND r.is_critical
        LEFT JOIN prof ON prof.employee_id = h.employee_id AND prof.competency_id = r.competency_id
    ),
    per_requirement AS (
        SELECT top_path, position_id, competency_id, bool_or(met) AS covered
        FROM cells GROUP BY top_path, position_id, competency_id
    ),
    per_post AS (
        SELECT top_path, position_id, bool_and(covered) AS covered
        FROM per_requirement GROUP BY top_path, position_id
    )
    SELECT t.id, t.name,
           (SELECT count(*) FROM per_post pp WHERE pp.top_path = t.path),
           count(*), count(*) FILTER (WHERE cells.met),
           (SELECT count(*) FROM per_post pp WHERE pp.top_path = t.path AND NOT pp.covered)
    FROM cells
    JOIN competencies_orgunit t ON t.path = cells.top_path
    GROUP BY t.id, t.path, t.name
    ORDER BY t.path
"""  # noqa: S608 - composed from module constants; every value is a bound parameter


@read_from_replica()
def critical_coverage(*, day: dt.date) -> list[CriticalRow]:
    """Per perangkat daerah, on ``day``: the posts held that have critical requirements, each
    (holder, critical requirement) and whether the holder meets it, and the posts where some
    critical requirement is met by none of the holders (1 query)."""
    return [CriticalRow(*row) for row in rows(CRITICAL_SQL, params(day=day, top_len=_top_len()))]


def group_points(series: list[GapSeries], days: list[dt.date]) -> list[tuple[GapSeries, list]]:
    """Each series with its points in the order of ``days`` (for tables and CSV)."""
    return [(s, [s.at(day) for day in days]) for s in series]


# --- Coverage per competency (the organisation summary) ---------------------------------------


@dataclass(frozen=True)
class CompetencyCoverage:
    """One competency across the perangkat daerah chosen (or all): how many holdings require
    it, how many of their holders meet the required level, and the levels missing in total."""

    competency_id: int
    code: str
    name_id: str
    name_en: str
    holders_required: int
    holders_meeting: int
    total_gap: int

    @property
    def coverage_pct(self) -> float:
        if not self.holders_required:
            return 100.0
        return round(100.0 * self.holders_meeting / self.holders_required, 1)


@dataclass(frozen=True)
class CoverageReport:
    day: dt.date
    #: The perangkat daerah with a post requiring anything: ``(id, name)``, in tree order.
    units: list[tuple[int, str]]
    #: Every cell of the organisation summary: a perangkat daerah and a competency.
    cells: list[SummaryRow]
    names: dict[int, tuple[str, str]] = field(default_factory=dict)  # id → (name_id, name_en)

    def cells_of(self, unit_id: int | None) -> list[SummaryRow]:
        """The cells of one perangkat daerah, or all of them (``None``)."""
        return [row for row in self.cells if unit_id is None or row.top_unit_id == unit_id]

    def competencies(self, unit_id: int | None = None) -> list[CompetencyCoverage]:
        """Each competency summed over the perangkat daerah (one, or all), the lowest
        coverage first."""
        totals: dict[tuple[int, str], list[int]] = {}
        for row in self.cells_of(unit_id):
            total = totals.setdefault((row.competency_id, row.code), [0, 0, 0])
            total[0] += row.holders_required
            total[1] += row.holders_meeting
            total[2] += row.total_gap
        return sorted(
            (
                CompetencyCoverage(pk, code, *self.names.get(pk, ("", "")), *total)
                for (pk, code), total in totals.items()
            ),
            key=lambda item: (item.coverage_pct, item.code),
        )


@read_from_replica()
def competency_coverage(*, day: dt.date) -> CoverageReport:
    """Coverage per competency per perangkat daerah on ``day``, from the organisation
    summary (its per-unit rollup: ``competencies.rollups``). Two queries, whatever the size
    of the city; on the read replica when one is configured."""
    summary = org_summary(as_of=day)
    used = {row.competency_id for row in summary}
    names = {
        pk: (name_id, name_en)
        for pk, name_id, name_en in Competency.objects.filter(pk__in=used).values_list(
            "pk", "name_id", "name_en"
        )
    }
    return CoverageReport(
        day=day,
        units=list(dict.fromkeys((row.top_unit_id, row.top_unit_name) for row in summary)),
        cells=summary,
        names=names,
    )

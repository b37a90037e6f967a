"""The benchmark workloads and their budgets (issue texts; 2-core machine).

Each workload runs a selector as the application does (through Django, building its result
objects) and, as the floor, the hand-written SQL statement(s) that compute the same answer,
executed directly on the connection and fetched without building anything. The ratio is the
price of the application layer over that floor.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from competencies import selectors
from competencies.dataset import DatasetSummary, generate
from competencies.models import Assignment, Employee, OrgUnit, Position

TODAY = dt.date.today()
RUNS = 7


@dataclass
class Result:
    name: str
    size: int
    median_ms: float
    queries: int
    floor_ms: float | None
    budget_ms: float | None
    max_queries: int | None = None
    max_ratio: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return round(self.median_ms / self.floor_ms, 2) if self.floor_ms else None

    @property
    def within_budget(self) -> bool:
        if self.budget_ms is not None and self.median_ms > self.budget_ms:
            return False
        if self.max_queries is not None and self.queries > self.max_queries:
            return False
        return not (
            self.max_ratio is not None and self.ratio is not None and self.ratio > self.max_ratio
        )

    def budget_text(self) -> str:
        parts = []
        if self.budget_ms is not None:
            parts.append(f"≤ {self.budget_ms:g} ms")
        if self.max_queries is not None:
            parts.append(f"≤ {self.max_queries} queries")
        if self.max_ratio is not None:
            parts.append(f"≤ {self.max_ratio:g}× floor")
        return ", ".join(parts) or "—"

    def line(self) -> str:
        ratio = f"{self.ratio:.2f}×" if self.ratio is not None else "—"
        verdict = "ok" if self.within_budget else "MISSED"
        return (
            f"{self.name:<42} {self.size:>8,} {self.median_ms:>9.1f} ms {self.queries:>3} q "
            f"floor {ratio:>6}  {verdict} {self.note}"
        )


def table(results: list[Result]) -> str:
    header = "| workload | employees | median | SQL queries | ratio to hand-written SQL | budget | within |\n"
    header += "|---|---:|---:|---:|---:|---|---|\n"
    rows = [
        f"| {r.name}{' (' + r.note + ')' if r.note else ''} | {r.size:,} | {r.median_ms:.1f} ms | {r.queries} | "
        f"{f'{r.ratio:.2f}×' if r.ratio is not None else '—'} | {r.budget_text()} | "
        f"{'yes' if r.within_budget else '**no**'} |"
        for r in results
    ]
    return header + "\n".join(rows)


def _median_ms(function: Callable[[], Any], runs: int = RUNS) -> float:
    function()  # warm the caches the way a running server has them
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1)


def _queries(function: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def _raw(statements: list[tuple[str, dict[str, Any]]]) -> Callable[[], None]:
    def run() -> None:
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def measure(
    name: str,
    size: int,
    function: Callable[[], Any],
    floor: Callable[[], Any] | None,
    *,
    budget_ms: float | None,
    max_queries: int | None = None,
    max_ratio: float | None = None,
    runs: int = RUNS,
    note: str = "",
) -> Result:
    return Result(
        name=name,
        size=size,
        median_ms=_median_ms(function, runs),
        queries=_queries(function),
        floor_ms=_median_ms(floor, runs) if floor else None,
        budget_ms=budget_ms,
        max_queries=max_queries,
        max_ratio=max_ratio,
        note=note,
    )


def build(size: int) -> DatasetSummary:
    return generate(employees=size, seed=size, replace=True, today=TODAY)


def _unit_near(people: int) -> tuple[OrgUnit, int]:
    """The bidang whose subtree holds the number of people closest to ``people`` today."""
    best: tuple[OrgUnit, int] | None = None
    for unit in OrgUnit.objects.filter(depth=3).order_by("path")[:20]:
        count = (
            Assignment.objects.definitive()
            .active_on(TODAY)
            .filter(position__org_unit__path__startswith=unit.path)
            .values("employee")
            .distinct()
            .count()
        )
        if best is None or abs(count - people) < abs(best[1] - people):
            best = (unit, count)
    assert best is not None
    return best


def competency_workloads(size: int) -> list[Result]:
    unit, people = _unit_near(500)
    p = selectors._params
    matrix_params = p(unit=unit.pk, day=TODAY)
    results = [
        measure(
            "unit matrix (subtree)",
            size,
            lambda: selectors.gap_matrix_for_unit(org_unit=unit, as_of=TODAY),
            _raw([(selectors._MATRIX, matrix_params)]),
            budget_ms=150,
            max_queries=10,
            note=f"{people} people",
        )
    ]
    holder = (
        Assignment.objects.definitive()
        .active_on(TODAY)
        .filter(position__org_unit=unit)
        .select_related("employee")
    ).first()
    assert holder is not None
    employee: Employee = holder.employee
    results.append(
        measure(
            "one person's gaps",
            size,
            lambda: selectors.employee_gaps(employee=employee, as_of=TODAY),
            _raw(
                [
                    (
                        selectors._GAPS_FOR_POSITIONS,
                        p(employee=employee.pk, positions=[holder.position_id], day=TODAY),
                    )
                ]
            ),
            budget_ms=20,
        )
    )
    target = (
        Position.objects.filter(org_unit__depth=3)
        .exclude(org_unit__path__startswith=unit.path)
        .first()
    )
    assert target is not None
    results.append(
        measure(
            "readiness of a unit for one position",
            size,
            lambda: selectors.unit_readiness_for_position(
                org_unit=unit, position=target, as_of=TODAY
            ),
            _raw([(selectors._UNIT_READINESS, p(unit=unit.pk, day=TODAY, position=target.pk))]),
            budget_ms=150,
            note=f"{people} people",
        )
    )
    top_len = 2 * OrgUnit.steplen
    results.append(
        measure(
            "organisation summary (coverage per competency per top unit)",
            size,
            lambda: selectors.org_summary(as_of=TODAY),
            _raw([(selectors.ORG_SUMMARY_SQL, p(day=TODAY, top_len=top_len))]),
            budget_ms=2000 if size >= 100_000 else None,
            max_ratio=2.0,
            runs=3,
        )
    )
    losing = holder.position.org_unit
    impact_params = p(unit=losing.pk, day=TODAY, employee=employee.pk, position=target.pk)
    receiving_params = p(
        unit=target.org_unit_id, day=TODAY, employee=employee.pk, position=target.pk
    )
    cover = selectors._COVERAGE
    results.append(
        measure(
            "rotation impact",
            size,
            lambda: selectors.rotation_impact(employee=employee, position=target, on_date=TODAY),
            _raw(
                [
                    (
                        selectors._GAPS_FOR_POSITIONS,
                        p(employee=employee.pk, positions=[target.pk], day=TODAY),
                    ),
                    (cover.format(holders=selectors._HOLDERS_IN_SUBTREE), impact_params),
                    (cover.format(holders=selectors._HOLDERS_AFTER_MOVE), impact_params),
                    (cover.format(holders=selectors._HOLDERS_IN_SUBTREE), receiving_params),
                    (cover.format(holders=selectors._HOLDERS_AFTER_MOVE), receiving_params),
                ]
            ),
            budget_ms=200 if size >= 100_000 else None,
        )
    )
    results.append(
        measure(
            "unit trend (8 quarters)",
            size,
            lambda: selectors.unit_trend(org_unit=unit, as_of=TODAY),
            _raw(
                [
                    (
                        selectors._TREND,
                        p(
                            unit=unit.pk,
                            days=[
                                min(d, TODAY)
                                for d in selectors.quarter_ends(as_of=TODAY, quarters=8)
                            ],
                        ),
                    )
                ]
            ),
            budget_ms=None,
            note=f"{people} people",
        )
    )
    return results


WORKLOADS: list[Callable[[int], list[Result]]] = [competency_workloads]


def run_all(size: int) -> list[Result]:
    results: list[Result] = []
    for workload in WORKLOADS:
        results.extend(workload(size))
    return results

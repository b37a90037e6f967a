"""Gaps for a person and for a unit, worked out by hand for the ``city`` fixture."""

from __future__ import annotations

import datetime as dt

import pytest

from competencies import rollups, selectors
from competencies.models import Assignment, Position
from tests.competencies.conftest import DAY
from tests.competencies.factories import EmployeeFactory, assign, evidence


def by_code(rows) -> dict:
    return {row.code: row for row in rows}


def test_a_persons_gaps_per_requirement_of_each_held_position(city) -> None:
    [held] = selectors.employee_gaps(employee=city.budi, as_of=DAY)
    assert held.position == city.pk_post
    rows = by_code(held.rows)
    assert (rows["TIK-05"].required_level, rows["TIK-05"].proficiency, rows["TIK-05"].gap) == (
        3,
        2,
        1,
    )
    assert (rows["TIK-13"].required_level, rows["TIK-13"].proficiency, rows["TIK-13"].gap) == (
        2,
        3,
        0,
    )
    assert held.total_gap == 1
    assert held.readiness_pct == 50.0
    # JPM: min(2,3) + min(3,2) = 4 of 5 required levels.
    assert held.jpm_pct == 80.0


def test_gaps_are_asked_as_of_a_date(city) -> None:
    # Before Budi joined he held nothing.
    assert selectors.employee_gaps(employee=city.budi, as_of=dt.date(2022, 12, 31)) == []


def test_readiness_for_another_position(city) -> None:
    ready = selectors.employee_readiness(employee=city.ani, position=city.kabid_post, as_of=DAY)
    rows = by_code(ready.rows)
    assert rows["M.01"].gap == 3
    assert rows["TIK-13"].gap == 0
    assert ready.readiness_pct == 50.0
    assert ready.jpm_pct == 40.0  # (0 + 2) / (3 + 2)


def test_readiness_of_a_whole_unit_for_one_position_is_one_query(
    city, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        rows = selectors.unit_readiness_for_position(
            org_unit=city.aptika, position=city.analis_post, as_of=DAY
        )
    by_name = {row.name: row for row in rows}
    assert by_name["Ani Wulandari"].readiness_pct == 100.0
    assert by_name["Budi Santoso"].readiness_pct == 100.0
    assert by_name["Kabid Hendra"].readiness_pct == 0.0
    assert by_name["Kabid Hendra"].total_gap == 2


def test_the_unit_matrix_coverage_vacancies_and_single_holders(city) -> None:
    matrix = selectors.gap_matrix_for_unit(org_unit=city.aptika, as_of=DAY)
    assert sorted(row.name for row in matrix.rows) == [
        "Ani Wulandari",
        "Budi Santoso",
        "Citra Lestari",
        "Kabid Hendra",
    ]
    coverage = by_code(matrix.coverage)
    assert (coverage["TIK-05"].holders_required, coverage["TIK-05"].holders_meeting) == (3, 2)
    assert coverage["TIK-05"].coverage_pct == 66.7
    assert (coverage["TIK-13"].holders_required, coverage["TIK-13"].holders_meeting) == (3, 2)
    assert (coverage["M.01"].holders_required, coverage["M.01"].holders_meeting) == (2, 1)
    assert [row.code for row in matrix.critical_single_holder] == ["M.01"]
    assert matrix.total_gap == 3
    [vacancy] = matrix.vacancies
    assert (vacancy.title, vacancy.headcount, vacancy.holders, vacancy.vacant) == (
        "Pranata Komputer",
        3,
        2,
        1,
    )
    assert ("TIK-05", 3, True) in vacancy.requirements
    budi = next(row for row in matrix.rows if row.name == "Budi Santoso")
    assert budi.cells[city.db.pk].gap == 1


def test_the_unit_matrix_takes_the_same_number_of_queries_at_any_size(
    city, django_assert_num_queries
) -> None:
    with django_assert_num_queries(4):
        small = selectors.gap_matrix_for_unit(org_unit=city.aptika, as_of=DAY)
    for number in range(15):
        person = EmployeeFactory()
        assign(person, city.pk_post, dt.date(2024, 1, 1))
        evidence(person, city.db, 1 + number % 5)
    with django_assert_num_queries(4):
        large = selectors.gap_matrix_for_unit(org_unit=city.aptika, as_of=DAY)
    assert len(large.rows) == len(small.rows) + 15


def test_the_trend_matches_the_matrix_at_each_quarter_end(city, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        trend = selectors.unit_trend(org_unit=city.aptika, as_of=dt.date(2024, 2, 10), quarters=6)
    assert [p.label for p in trend] == [
        "2022 Q4",
        "2023 Q1",
        "2023 Q2",
        "2023 Q3",
        "2023 Q4",
        "2024 Q1",
    ]
    assert trend[-1].quarter_end == dt.date(2024, 2, 10)
    for point in trend:
        matrix = selectors.gap_matrix_for_unit(org_unit=city.aptika, as_of=point.quarter_end)
        cells = [cell for row in matrix.rows for cell in row.cells.values()]
        assert point.total_gap == matrix.total_gap
        assert point.holders == len({row.employee_id for row in matrix.rows})
        met = sum(1 for cell in cells if cell.gap == 0)
        assert point.coverage_pct == round(100.0 * met / len(cells), 1)
    # Budi joined on 1 January 2023 with a gap of one level.
    assert trend[1].total_gap == trend[0].total_gap + 1


def test_quarter_ends_cross_years() -> None:
    assert selectors.quarter_ends(as_of=dt.date(2025, 2, 1), quarters=3) == [
        dt.date(2024, 9, 30),
        dt.date(2024, 12, 31),
        dt.date(2025, 3, 31),
    ]


@pytest.mark.parametrize("rollup", [False, True], ids=["live", "from the rollup"])
def test_the_organisation_summary_groups_by_top_unit(
    city, django_assert_num_queries, rollup: bool
) -> None:
    if rollup:
        rollups.refresh(today=DAY)
    with django_assert_num_queries(1):
        rows = selectors.org_summary(as_of=DAY)
    table = {
        (row.top_unit_name, row.code): (row.holders_required, row.holders_meeting) for row in rows
    }
    assert table[("Dinas Komunikasi dan Informatika", "TIK-05")] == (3, 2)
    assert table[("BKPSDM", "TIK-05")] == (1, 0)


def test_akpk_rows_list_each_gap_with_a_suggested_development(city) -> None:
    rows = selectors.akpk_rows(org_unit=city.aptika, year=2025, as_of=DAY)
    assert sorted((row.name, row.code, row.gap) for row in rows) == [
        ("Budi Santoso", "TIK-05", 1),
        ("Citra Lestari", "M.01", 1),
        ("Kabid Hendra", "TIK-13", 1),
    ]
    development = {row.code: row.development for row in rows}
    assert (
        development["TIK-05"] == "E-learning course" or development["TIK-05"] == "Kursus e-learning"
    )
    assert development["TIK-05"] != development["M.01"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_jpm_category_is_translated(city, language: str) -> None:
    from django.utils import translation

    with translation.override(language):
        [held] = selectors.employee_gaps(employee=city.budi, as_of=DAY)
        category = held.jpm_category
    assert category == {"id": "Cukup Optimal", "en": "Fairly optimal"}[language]


def test_the_posts_held_on_a_day_are_those_of_the_orm_with_their_units(
    city, django_assert_num_queries
) -> None:
    """``employee_gaps`` reads the posts from one statement written once; it must give what
    ``assignments_on`` gives, acting posts and the order included."""
    from competencies.selectors.people import _assignments_on

    someone = Assignment.objects.select_related("position").first()
    other = Position.objects.exclude(pk=someone.position_id).first()
    assign(someone.employee, other, DAY - dt.timedelta(days=10), kind="plt")  # acting as well
    for holding in Assignment.objects.select_related("employee"):
        for day in (holding.start_date, DAY, dt.date(2019, 12, 31)):
            expected = list(selectors.assignments_on(employee=holding.employee, as_of=day))
            with django_assert_num_queries(1):
                got = _assignments_on(holding.employee_id, day)
                assert [(a.pk, a.kind, a.start_date, a.end_date) for a in got] == [
                    (a.pk, a.kind, a.start_date, a.end_date) for a in expected
                ]
                assert [(a.position.title, a.position.org_unit.path) for a in got] == [
                    (a.position.title, a.position.org_unit.path) for a in expected
                ]

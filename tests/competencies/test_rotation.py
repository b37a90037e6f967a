"""Rotation impact (a planned move, nothing written) and people due for rotation, with the
thresholds the city sets (``ROTATION_MIN_YEARS_IN_POST``, ``ROTATION_DUE_YEARS``)."""

from __future__ import annotations

import datetime as dt

from competencies import selectors
from competencies.models import Assignment
from tests.competencies.conftest import DAY
from tests.competencies.factories import EmployeeFactory


def changes(impact) -> dict:
    return {c.code: (c.before_pct, c.after_pct) for c in impact.changes}


def test_moving_a_person_shows_both_units_before_and_after(
    city, django_assert_max_num_queries
) -> None:
    before = Assignment.objects.count()
    with django_assert_max_num_queries(8):
        impact = selectors.rotation_impact(
            employee=city.ani, position=city.analis_post, on_date=DAY
        )
    assert Assignment.objects.count() == before  # nothing is written
    assert impact.readiness.readiness_pct == 100.0
    assert impact.losing is not None and impact.losing.org_unit == city.egov
    assert changes(impact.losing)["TIK-05"] == (66.7, 50.0)
    assert changes(impact.losing)["TIK-13"] == (100.0, 100.0)
    assert impact.losing.critical_lost == []
    assert impact.receiving.org_unit == city.bkpsdm
    assert changes(impact.receiving)["TIK-05"] == (0.0, 50.0)


def test_a_critical_competency_lost_entirely_is_flagged(city) -> None:
    impact = selectors.rotation_impact(employee=city.kabid, position=city.analis_post, on_date=DAY)
    assert [c.code for c in impact.losing.critical_lost] == ["M.01"]
    lost = impact.losing.critical_lost[0]
    assert (lost.before_meeting, lost.after_meeting) == (1, 0)
    gaps = {row.code: row.gap for row in impact.readiness.rows}
    assert gaps == {"TIK-05": 2}


def test_people_due_for_rotation_and_what_the_unit_would_lose(
    city, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        due = selectors.rotation_due(org_unit=city.aptika, as_of=DAY, years=4)
    by_name = {row.name: row for row in due}
    assert set(by_name) == {"Ani Wulandari", "Kabid Hendra"}
    assert by_name["Kabid Hendra"].critical_sole_holder_of == ["M.01"]
    assert by_name["Ani Wulandari"].sole_holder_of == []
    assert by_name["Ani Wulandari"].years_in_position == 7.0
    assert [
        row.name for row in selectors.rotation_due(org_unit=city.aptika, as_of=DAY, years=2)
    ] == [
        "Ani Wulandari",
        "Kabid Hendra",
        "Citra Lestari",
        "Budi Santoso",  # exactly two years
    ]
    # In 2020 nobody had yet been four years in the same post.
    assert selectors.rotation_due(org_unit=city.aptika, as_of=dt.date(2020, 1, 1), years=4) == []


def test_overdue_for_rotation_at_rotation_due_years_by_default_five(city, settings) -> None:
    """Kabid Hendra has headed the division since 1 January 2019 and Ani has been a Pranata
    Komputer since 1 January 2018; Citra leads her team from 1 June 2021."""
    assert settings.ROTATION_DUE_YEARS == 5

    def due(day: dt.date) -> list[str]:
        return [row.name for row in selectors.rotation_due(org_unit=city.aptika, as_of=day)]

    assert due(dt.date(2023, 12, 31)) == ["Ani Wulandari"]
    assert due(dt.date(2024, 1, 1)) == ["Ani Wulandari", "Kabid Hendra"]  # five years to the day
    assert "Citra Lestari" not in due(DAY)
    settings.ROTATION_DUE_YEARS = 3  # the city's own figure, read at each call
    assert due(DAY) == ["Ani Wulandari", "Kabid Hendra", "Citra Lestari"]
    assert due(dt.date(2022, 1, 1)) == ["Ani Wulandari", "Kabid Hendra"]


def test_a_move_under_the_minimum_years_in_post_is_flagged_too_early(city, settings) -> None:
    """Budi has been a Pranata Komputer since 1 January 2023: two years on 1 January 2025."""
    assert settings.ROTATION_MIN_YEARS_IN_POST == 2

    def impact(day: dt.date) -> selectors.RotationImpact:
        return selectors.rotation_impact(employee=city.budi, position=city.analis_post, on_date=day)

    early = impact(dt.date(2024, 12, 31))
    assert early.too_early and early.in_post_since == dt.date(2023, 1, 1)
    assert early.years_in_post == 2.0 and early.thresholds.min_years_in_post == 2
    on_time = impact(DAY)
    assert not on_time.too_early
    settings.ROTATION_MIN_YEARS_IN_POST = 3
    assert impact(DAY).too_early
    assert impact(dt.date(2026, 1, 1)).too_early is False
    # Someone who holds no post on the day has nothing to be too early for.
    newcomer = EmployeeFactory(name="Baru Datang")
    fresh = selectors.rotation_impact(employee=newcomer, position=city.analis_post, on_date=DAY)
    assert (fresh.in_post_since, fresh.years_in_post, fresh.too_early) == (None, None, False)

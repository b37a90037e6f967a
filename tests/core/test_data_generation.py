"""``core.data_generation.kept_until_write``: a value kept until the next write anywhere, and
computed afresh wherever keeping it could serve what a write changed; and the unit gaps
pages' whole-unit figures, kept so, never stale after a write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from competencies import selectors, services
from competencies.models import PositionKind
from core import data_generation
from core.db_router import replica_read
from tests.competencies.factories import CompetencyFactory, EmployeeFactory, unit

committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> list[int]:
        self.calls += 1
        return [self.calls]


@committed
def test_kept_until_the_next_write() -> None:
    compute = Counter()
    assert data_generation.kept_until_write("test", (1,), compute) == [1]
    assert data_generation.kept_until_write("test", (1,), compute) == [1]
    assert data_generation.kept_until_write("test", (2,), compute) == [2]  # other parts
    assert compute.calls == 2
    CompetencyFactory()  # a write, committed: the generation rises
    assert data_generation.kept_until_write("test", (1,), compute) == [3]
    assert compute.calls == 3


@committed
def test_not_kept_inside_a_transaction_that_wrote() -> None:
    compute = Counter()
    with transaction.atomic():
        CompetencyFactory()  # uncommitted: no generation has risen for it
        data_generation.kept_until_write("test", (1,), compute)
        data_generation.kept_until_write("test", (1,), compute)
    assert compute.calls == 2
    data_generation.kept_until_write("test", (1,), compute)  # nothing was kept inside
    assert compute.calls == 3


@committed
def test_not_kept_without_a_cache_or_from_the_replica(settings) -> None:
    compute = Counter()
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        data_generation.kept_until_write("test", (1,), compute)
    assert compute.calls == 2
    settings.PAGE_CACHE_SECONDS = 300

    def from_replica() -> list[int]:
        replica_read.set(True)
        return compute()

    token = replica_read.set(False)
    try:
        data_generation.kept_until_write("test", (1,), from_replica)
        assert replica_read.get()  # the caller learns it, as the page cache must
    finally:
        replica_read.reset(token)
    data_generation.kept_until_write("test", (1,), compute)
    assert compute.calls == 4


@committed
def test_a_units_pages_share_its_figures_until_a_write(django_assert_num_queries) -> None:
    competency = CompetencyFactory()
    team = unit("UNIT-K")
    position = services.position_create(
        code="POS-K",
        title="Pranata Komputer",
        org_unit=team,
        kind=PositionKind.FUNCTIONAL,
        headcount=2,
        requirements=[(competency, 3, True)],
    )
    people = EmployeeFactory.create_batch(2)
    for person in people:
        services.assignment_create(
            employee=person, position=position, start_date=dt.date(2024, 1, 1), kind="initial"
        )
    day = dt.date(2026, 12, 31)

    def page(after=None):
        return selectors.gap_matrix_page(org_unit=team, as_of=day, people=1, after=after)

    first = page()
    assert [row.holders_meeting for row in first.coverage] == [0]
    with django_assert_num_queries(1):  # the next page: only its people
        second = page(first.next_after)
    assert second.coverage == first.coverage and second.vacancies == first.vacancies
    services.evidence_record(
        employee=people[0],
        competency=competency,
        level=3,
        source="assessment",
        achieved_date=dt.date(2025, 1, 1),
    )
    assert [row.holders_meeting for row in page().coverage] == [1]  # not the kept figures

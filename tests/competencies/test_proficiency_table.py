"""The maintained proficiency table (``competencies.proficiency``) on generated histories:
after every statement the triggers leave it equal to a rebuild from the evidence, and on any
day it gives the level the counting rule gives (the highest validated evidence valid that
day, ``Evidence.objects.counted_on``)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competencies import proficiency
from competencies.models import Evidence, EvidenceStatus, Proficiency
from tests.competencies.factories import CompetencyFactory, EmployeeFactory

START = dt.date(2024, 1, 1)

evidence_rows = st.lists(
    st.tuples(
        st.integers(0, 1),  # which person
        st.integers(0, 1),  # which competency
        st.integers(1, 5),  # level
        st.integers(0, 60),  # achieved, days after START
        st.one_of(st.none(), st.integers(1, 40)),  # valid for that many days, or open
        st.sampled_from(["validated", "provisional", "rejected"]),
    ),
    min_size=1,
    max_size=8,
)
#: For each batch: its rows, inserted in one statement or one at a time, and which of the
#: provisional rows recorded so far are then reviewed (validated or rejected).
batches = st.lists(
    st.tuples(evidence_rows, st.booleans(), st.lists(st.tuples(st.integers(0, 20), st.booleans()))),
    min_size=1,
    max_size=4,
)


def _table() -> set[tuple]:
    return set(
        Proficiency.objects.values_list(
            "employee_id", "competency_id", "level", "valid_from", "valid_to"
        )
    )


def _rule(employee_id: int, competency_id: int, day: dt.date) -> int:
    levels = Evidence.objects.counted_on(day).filter(
        employee_id=employee_id, competency_id=competency_id
    )
    return max(levels.values_list("level", flat=True), default=0)


def _table_on(employee_id: int, competency_id: int, day: dt.date) -> int:
    rows = [
        level
        for (e, c, level, start, end) in _table()
        if e == employee_id and c == competency_id and start <= day and (end is None or end > day)
    ]
    assert len(rows) <= 1, "two intervals hold on one day"
    return rows[0] if rows else 0


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batches)
def test_the_table_follows_the_evidence_and_equals_a_rebuild(history) -> None:
    people = [EmployeeFactory(), EmployeeFactory()]
    competencies = [CompetencyFactory(), CompetencyFactory()]
    for rows, one_statement, reviews in history:
        evidence = [
            Evidence(
                employee=people[p],
                competency=competencies[c],
                level=level,
                source="assessment",
                achieved_date=START + dt.timedelta(days=day),
                expires_date=None if days is None else START + dt.timedelta(days=day + days),
                status=status,
            )
            for p, c, level, day, days, status in rows
        ]
        if one_statement:
            Evidence.objects.bulk_create(evidence)
        else:
            for item in evidence:
                item.save()
        pending = list(Evidence.objects.filter(status=EvidenceStatus.PROVISIONAL).order_by("pk"))
        for index, validate in reviews:
            if pending and index < len(pending):
                item = pending.pop(index)
                item.status = EvidenceStatus.VALIDATED if validate else EvidenceStatus.REJECTED
                item.save(update_fields=["status"])
        incremental = _table()
        with connection.cursor() as cursor:
            cursor.execute("SELECT competencies_proficiency_rebuild()")
        assert _table() == incremental
        for person in people:
            for competency in competencies:
                for day in range(0, 110, 3):
                    on = START + dt.timedelta(days=day)
                    assert _table_on(person.pk, competency.pk, on) == _rule(
                        person.pk, competency.pk, on
                    ), (person.pk, competency.pk, on)


@pytest.mark.django_db
def test_adjacent_intervals_of_one_level_are_one_row_and_the_command_rebuilds(capsys) -> None:
    person, competency = EmployeeFactory(), CompetencyFactory()
    for start, end, level in [
        (dt.date(2024, 1, 1), dt.date(2024, 6, 1), 2),
        (dt.date(2024, 6, 1), dt.date(2025, 1, 1), 2),  # same level, starts where the first ends
        (dt.date(2024, 3, 1), dt.date(2024, 4, 1), 4),  # higher for a month inside
    ]:
        Evidence.objects.create(
            employee=person,
            competency=competency,
            level=level,
            source="assessment",
            achieved_date=start,
            expires_date=end,
            status=EvidenceStatus.VALIDATED,
        )
    expected = {
        (person.pk, competency.pk, 2, dt.date(2024, 1, 1), dt.date(2024, 3, 1)),
        (person.pk, competency.pk, 4, dt.date(2024, 3, 1), dt.date(2024, 4, 1)),
        (person.pk, competency.pk, 2, dt.date(2024, 4, 1), dt.date(2025, 1, 1)),
    }
    assert _table() == expected
    Proficiency.objects.all().delete()
    call_command("rebuild_proficiency")
    assert "3 intervals" in capsys.readouterr().out
    assert _table() == expected


def _reltuples() -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = 'competencies_evidence'::regclass"
        )
        return cursor.fetchone()[0]


def _set_reltuples(value: float) -> None:
    """What the planner believes the table holds (the suite connects as a superuser)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE pg_class SET reltuples = %s WHERE oid = 'competencies_evidence'::regclass",
            [value],
        )


@pytest.mark.django_db
def test_a_statement_bigger_than_the_table_as_last_counted_analyses_it_first() -> None:
    """Without statistics the refresh's self-join ran as a nested loop (9 s for the demo
    city's 4,677 rows): a statement bigger than the table as last counted analyses it first,
    counting its own rows; a smaller one, or one of at most ANALYZE_ABOVE rows, does not."""
    people = EmployeeFactory.create_batch(3)
    competencies = CompetencyFactory.create_batch(3)

    def insert(count: int, offset: int) -> None:
        Evidence.objects.bulk_create(
            Evidence(
                employee=people[i % 3],
                competency=competencies[(i // 3) % 3],
                level=1 + i % 5,
                source="assessment",
                achieved_date=START + dt.timedelta(days=offset + i),
                status=EvidenceStatus.VALIDATED,
            )
            for i in range(count)
        )

    _set_reltuples(0)
    insert(proficiency.ANALYZE_ABOVE, 0)  # not above the threshold
    assert _reltuples() == 0
    insert(proficiency.ANALYZE_ABOVE + 100, 1000)
    assert (
        _reltuples() >= 2 * proficiency.ANALYZE_ABOVE + 100
    )  # analysed, this statement's rows counted
    _set_reltuples(10**6)
    insert(proficiency.ANALYZE_ABOVE + 100, 2000)
    assert _reltuples() == 10**6  # known bigger: not analysed again
    incremental = _table()
    with connection.cursor() as cursor:
        cursor.execute("SELECT competencies_proficiency_rebuild()")
    assert _table() == incremental
    assert {(e, c) for e, c, *_ in incremental} == {
        (p.pk, c.pk) for p in people for c in competencies
    }


def test_the_migration_installs_the_refresh_this_module_describes() -> None:
    migration = importlib.import_module("competencies.migrations.0010_proficiency_refresh_analyses")
    assert migration.REFRESH_SQL == proficiency.REFRESH_SQL

"""The organisation summary's per-unit rollup (``competencies.rollups``).

On generated histories of writes (evidence recorded and reviewed, people posted and their
posts ended, requirements set and removed, positions and units moved) interleaved with
refreshes, ``org_summary`` must give after every step exactly what the counting rules give,
computed here in Python from the ORM; and right after a refresh the kept cells must be those
of the live computation.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from contextlib import suppress
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competencies import rollups, selectors, services
from competencies.models import (
    Assignment,
    Evidence,
    EvidenceStatus,
    OrgUnit,
    Position,
    PositionRequirement,
    SummaryRollup,
    SummaryRollupMark,
    SummaryRollupState,
)
from competencies.selectors._sql import rows
from competencies.tasks import summary_rollup_refresh
from core import dates
from core.exceptions import ApplicationError
from lms.pagecache import is_write
from tests.competencies.factories import (
    CompetencyFactory,
    EmployeeFactory,
    PositionFactory,
    unit,
)

PEOPLE, POSITIONS, COMPETENCIES, UNITS = 4, 4, 2, 4

steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("evidence"),
            st.integers(0, PEOPLE - 1),
            st.integers(0, COMPETENCIES - 1),
            st.integers(1, 5),
            st.integers(-30, 400),  # achieved that many days before today (negative: later)
            st.one_of(st.none(), st.integers(1, 60)),  # expires that many days after
            st.sampled_from(["validated", "provisional"]),
        ),
        st.tuples(st.just("review"), st.integers(0, 5), st.booleans()),
        st.tuples(
            st.just("post"),
            st.integers(0, PEOPLE - 1),
            st.integers(0, POSITIONS - 1),
            st.integers(-20, 200),  # starts that many days before today
            st.sampled_from(["rotasi", "plt"]),
        ),
        st.tuples(st.just("end"), st.integers(0, 7), st.integers(-5, 30)),
        st.tuples(
            st.just("require"),
            st.integers(0, POSITIONS - 1),
            st.integers(0, COMPETENCIES - 1),
            st.integers(1, 5),
        ),
        st.tuples(st.just("unrequire"), st.integers(0, POSITIONS - 1)),
        st.tuples(st.just("move_position"), st.integers(0, POSITIONS - 1), st.integers(0, 3)),
        st.tuples(st.just("move_unit"), st.integers(0, 1)),
        st.tuples(st.just("refresh"), st.sampled_from([0, 0, 0, 1])),  # 1: of yesterday
    ),
    min_size=1,
    max_size=14,
)


def _expected(day: dt.date) -> list[tuple]:
    """The summary by the rules, from the ORM: every definitive holding on ``day`` of a post
    in a top unit's subtree, every requirement of the post, the holder's counted level."""
    tops = {u.path: u for u in OrgUnit.objects.filter(depth=2)}
    levels: dict[tuple[int, int], int] = defaultdict(int)
    for employee_id, competency_id, level in Evidence.objects.counted_on(day).values_list(
        "employee_id", "competency_id", "level"
    ):
        key = (employee_id, competency_id)
        levels[key] = max(levels[key], level)
    cells: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    holdings = (
        Assignment.objects.definitive()
        .active_on(day)
        .select_related("position__org_unit")
        .prefetch_related("position__requirements__competency")
    )
    for holding in holdings:
        path = holding.position.org_unit.path[: rollups.TOP_LEN]
        if path not in tops:
            continue
        for requirement in holding.position.requirements.all():
            level = levels[holding.employee_id, requirement.competency_id]
            cell = cells[path, requirement.competency_id]
            cell[0] += 1
            cell[1] += level >= requirement.required_level
            cell[2] += max(0, requirement.required_level - level)
    codes = dict(
        PositionRequirement.objects.values_list("competency_id", "competency__code").distinct()
    )
    ordered = sorted(cells.items(), key=lambda item: (item[0][0], codes[item[0][1]]))
    return [
        (
            tops[path].id,
            tops[path].short_name or tops[path].name,
            competency_id,
            codes[competency_id],
            *cell,
        )
        for (path, competency_id), cell in ordered
    ]


def _summary(day: dt.date) -> list[tuple]:
    return [
        (
            r.top_unit_id,
            r.top_unit_name,
            r.competency_id,
            r.code,
            r.holders_required,
            r.holders_meeting,
            r.total_gap,
        )
        for r in selectors.org_summary(as_of=day)
    ]


def _kept() -> set[tuple]:
    return set(
        SummaryRollup.objects.values_list(
            "top_path", "competency_id", "holders_required", "holders_meeting", "total_gap"
        )
    )


def _live_cells(day: dt.date) -> set[tuple]:
    return set(rows(rollups.cells_sql(only_tops=False), rollups.cells_params(day=day)))


def _apply(step: tuple, world: dict, today: dt.date) -> None:
    people, positions, competencies, units = (
        world["people"],
        world["positions"],
        world["competencies"],
        world["units"],
    )
    kind, *args = step
    if kind == "evidence":
        person, competency, level, back, valid_for, status = args
        achieved = today - dt.timedelta(days=back)
        Evidence.objects.create(
            employee=people[person],
            competency=competencies[competency],
            level=level,
            source="assessment",
            achieved_date=achieved,
            expires_date=None if valid_for is None else achieved + dt.timedelta(days=valid_for),
            status=status,
        )
    elif kind == "review":
        index, validate = args
        pending = list(Evidence.objects.filter(status=EvidenceStatus.PROVISIONAL).order_by("pk"))
        if index < len(pending):
            item = pending[index]
            item.status = EvidenceStatus.VALIDATED if validate else EvidenceStatus.REJECTED
            item.save(update_fields=["status"])
    elif kind == "post":
        person, position, back, assignment_kind = args
        with suppress(ApplicationError):  # an overlap the service refuses: nothing written
            services.assignment_create(
                employee=people[person],
                position=positions[position],
                kind=assignment_kind,
                start_date=today - dt.timedelta(days=back),
            )
    elif kind == "end":
        index, back = args
        held = list(Assignment.objects.order_by("pk"))
        if index < len(held):
            end = max(held[index].start_date, today - dt.timedelta(days=back))
            services.assignment_end(assignment=held[index], end_date=end)
    elif kind == "require":
        position, competency, level = args
        services.requirement_set(
            position=positions[position],
            competency=competencies[competency],
            required_level=level,
            is_critical=False,
        )
    elif kind == "unrequire":
        requirement = PositionRequirement.objects.filter(position=positions[args[0]]).first()
        if requirement is not None:
            services.requirement_remove(requirement=requirement)
    elif kind == "move_position":
        position, target = args
        Position.objects.filter(pk=positions[position].pk).update(org_unit=units[target])
    elif kind == "move_unit":
        # The first top unit's child moves under another top unit, and back.
        child = OrgUnit.objects.get(pk=world["child"].pk)
        parents = [units[0], units[1]]
        target = parents[1] if child.path.startswith(parents[0].path) else parents[0]
        services.org_unit_move(org_unit=child, new_parent=OrgUnit.objects.get(pk=target.pk))
    elif kind == "refresh":
        (yesterday,) = args
        rollups.refresh(today=today - dt.timedelta(days=yesterday))
        if not yesterday:
            assert _kept() == _live_cells(today)
            assert not SummaryRollupMark.objects.exists()
            # Nothing marked: the summary is read from the kept cells alone.
            assert all(kept for kept, *_ in rollups.summary_cells(day=today))


@pytest.mark.django_db
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps)
def test_the_summary_equals_the_rules_after_every_write_and_refresh(history) -> None:
    today = dates.today()
    with transaction.atomic():
        city_units = [unit(f"TOP-{n}", kind="perangkat_daerah") for n in range(2)]
        child = unit("TOP-0-B1", parent=city_units[0])
        units = [*city_units, child, unit("TOP-1-B1", parent=city_units[1])]
        world = {
            "units": units,
            "child": child,
            "people": [EmployeeFactory() for _ in range(PEOPLE)],
            "competencies": [CompetencyFactory() for _ in range(COMPETENCIES)],
            "positions": [
                PositionFactory(org_unit=units[n % UNITS], headcount=5) for n in range(POSITIONS)
            ],
        }
        for n, position in enumerate(world["positions"]):
            services.requirement_set(
                position=position,
                competency=world["competencies"][n % COMPETENCIES],
                required_level=1 + n % 4,
                is_critical=False,
            )
        for n, person in enumerate(world["people"]):
            services.assignment_create(
                employee=person,
                position=world["positions"][n % POSITIONS],
                kind="rotasi",
                start_date=today - dt.timedelta(days=100),
            )
        rollups.refresh(today=today)
        assert _summary(today) == _expected(today)
        for step in history:
            _apply(step, world, today)
            assert _summary(today) == _expected(today), step
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_refresh_recomputes_only_the_marked_units_and_writes_nothing_when_clean(city) -> None:
    today = dates.today()
    first = rollups.refresh(today=today)
    assert first is not None and first.full and first.cells == len(_kept()) > 0
    assert SummaryRollupState.objects.get().day == today
    # Nothing written since: nothing to do, and no statement that writes.
    with CaptureQueriesContext(connection) as captured:
        assert rollups.refresh(today=today) is None
    statements = [q["sql"] for q in captured.captured_queries]
    assert not [sql for sql in statements if "SAVEPOINT" not in sql and is_write(sql)]
    assert len(statements) >= 2
    # One evidence row marks the person's top unit only.
    person = Assignment.objects.definitive().active_on(today).first()
    top = person.position.org_unit.path[: rollups.TOP_LEN]
    requirement = person.position.requirements.first()
    Evidence.objects.create(
        employee_id=person.employee_id,
        competency_id=requirement.competency_id,
        level=5,
        source="assessment",
        achieved_date=today,
        status="validated",
    )
    marks = set(SummaryRollupMark.objects.values_list("top_path", "employee_id", "position_id"))
    assert marks == {(top, None, None), ("", person.employee_id, None)}
    # Read while marked: the kept cells of the other units, the marked unit computed.
    assert _summary(today) == _expected(today)
    kept = {(path, was_kept) for was_kept, path, *_ in rollups.summary_cells(day=today)}
    assert {path for path, was_kept in kept if not was_kept} == {top}
    assert {path for path, was_kept in kept if was_kept} == {p for p, _ in kept} - {top}
    done = rollups.refresh(today=today)
    assert done is not None and not done.full and done.top_units == 1
    assert _kept() == _live_cells(today)
    # A new day: every unit again; the summary of that day is live until then.
    tomorrow = today + dt.timedelta(days=1)
    assert _summary(tomorrow) == _expected(tomorrow)
    assert rollups.refresh(today=tomorrow).full


@pytest.mark.django_db
def test_a_bulk_change_marks_everything_and_the_summary_stays_right(city) -> None:
    today = dates.today()
    rollups.refresh(today=today)
    with connection.cursor() as cursor:
        cursor.execute("SELECT competencies_proficiency_rebuild()")  # every person's rows
    # The rebuild rewrote fewer people than the bulk threshold here, so their units are
    # marked one by one; past it, the mark is "everything".
    assert SummaryRollupMark.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT competencies_rollup_mark_people(ARRAY(SELECT generate_series(1, %s)))",
            [rollups.BULK_ROWS + 1],
        )
    assert rollups.ALL in set(SummaryRollupMark.objects.values_list("top_path", flat=True))
    assert _summary(today) == _expected(today)
    assert rollups.refresh(today=today).full
    assert _kept() == _live_cells(today)


@pytest.mark.django_db
def test_many_marked_units_are_computed_at_once(city) -> None:
    today = dates.today()
    rollups.refresh(today=today)
    SummaryRollupMark.objects.bulk_create(
        SummaryRollupMark(top_path=f"Z{n:07d}") for n in range(rollups.LIVE_TOPS_MAX + 1)
    )
    assert _summary(today) == _expected(today)
    assert not any(kept for kept, *_ in rollups.summary_cells(day=today))
    done = rollups.refresh(today=today)
    assert done is not None and done.full
    assert _kept() == _live_cells(today)


@pytest.mark.django_db
def test_the_command_the_task_and_the_schedule(city) -> None:
    out = StringIO()
    call_command("refresh_summary_rollup", stdout=out)
    assert "recomputed in full" in out.getvalue()
    call_command("refresh_summary_rollup", stdout=out)
    assert "up to date" in out.getvalue()
    assert summary_rollup_refresh() is None  # nothing marked since
    call_command("refresh_summary_rollup", "--full", stdout=out)
    assert out.getvalue().count("recomputed in full") == 2
    schedule = django_settings.CELERY_BEAT_SCHEDULE["summary-rollup-refresh"]
    assert schedule["task"] == summary_rollup_refresh.name


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_that_commits_after_a_move_and_a_refresh_still_reaches_its_new_unit() -> None:
    """Evidence recorded for a person (transaction E, still open) while another transaction
    moves them to a post in another perangkat daerah and commits, and a refresh runs before E
    commits: E's mark names the person, so the next refresh recomputes the unit the move took
    them to, as the organisation is when it runs."""
    today = dates.today()
    old_top, new_top = (unit(f"RACE-{n}", kind="perangkat_daerah") for n in range(2))
    competency = CompetencyFactory()
    old_post, new_post = (PositionFactory(org_unit=top) for top in (old_top, new_top))
    for post in (old_post, new_post):
        services.requirement_set(
            position=post, competency=competency, required_level=3, is_critical=False
        )
    person = EmployeeFactory()
    services.assignment_create(
        employee=person,
        position=old_post,
        kind="rotasi",
        start_date=today - dt.timedelta(days=30),
    )
    rollups.refresh(today=today)
    written, go = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def record_evidence() -> None:
        try:
            with transaction.atomic():
                Evidence.objects.create(
                    employee=person,
                    competency=competency,
                    level=3,
                    source="assessment",
                    achieved_date=today - dt.timedelta(days=1),
                    status="validated",
                )
                written.set()
                assert go.wait(30)
        except BaseException as exc:  # reported in the test's thread
            failures.append(exc)
            written.set()
        finally:
            connection.close()

    worker = threading.Thread(target=record_evidence)
    worker.start()
    assert written.wait(30)
    services.assignment_create(employee=person, position=new_post, kind="mutasi", start_date=today)
    rollups.refresh(today=today)  # sees the move, not the evidence (not committed yet)
    go.set()
    worker.join(30)
    assert not failures
    assert _summary(today) == _expected(today)
    rollups.refresh(today=today)
    assert _kept() == _live_cells(today)
    new_cell = SummaryRollup.objects.get(top_path=new_top.path, competency=competency)
    assert (new_cell.holders_required, new_cell.holders_meeting) == (1, 1)

"""A synthetic organisation of any size for benchmarks (``manage.py generate_dataset``).

The same shape as the demo city, scaled: top units (perangkat daerah) with four *bidang* of
two *seksi* each, positions requiring about 25 competencies, every employee in one current
post with 2–5 earlier ones (3–6 assignments), and 10–30 evidence rows per person. Rows are
written with PostgreSQL ``COPY``, so 100,000 employees take well under two minutes.

It writes into an empty organisation only (``replace=True`` empties it first: units,
positions, people, history and evidence; the competency framework stays). The audit triggers
are switched off while copying: synthetic rows are not changes anyone made.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice

from django.db import connection, transaction

from competencies import policy, rollups
from competencies.models import Competency, CompetencyKind, EvidenceSource, OrgUnit
from core import dates

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_TABLES_TO_EMPTY = [
    "competencies_evidence",
    "competencies_assignment",
    "competencies_positionrequirement",
    "competencies_position",
    "competencies_employee",
    "competencies_orgunit",
]
_SOURCES = [
    EvidenceSource.ASSESSMENT,
    EvidenceSource.SUPERVISOR_VALIDATION,
    EvidenceSource.COURSE_COMPLETION,
    EvidenceSource.MIGRATION,
    EvidenceSource.EXTERNAL_CERTIFICATE,
    EvidenceSource.SELF_ASSESSMENT,
]
_KINDS = ["pelaksana", "fungsional", "fungsional", "pelaksana", "pengawas"]


def _statuses() -> dict[tuple[str, str, int], tuple[str, str]]:
    """(source, competency kind, level) → the (source, status) the evidence policy gives; a
    source the policy refuses for the kind (a course for a managerial level) becomes an
    assessment, as the data of a real city would have it."""
    table = {}
    for source in _SOURCES:
        for kind in CompetencyKind.values:
            for level in range(1, 6):
                decision = policy.evidence_decision(
                    source=source, competency_kind=kind, level=level
                )
                if decision.refused:
                    table[source, kind, level] = (
                        EvidenceSource.ASSESSMENT.value,
                        policy.evidence_decision(
                            source=EvidenceSource.ASSESSMENT, competency_kind=kind, level=level
                        ).status,
                    )
                else:
                    table[source, kind, level] = (source.value, decision.status)
    return table


class DatasetNotEmptyError(Exception):
    pass


@dataclass
class DatasetSummary:
    units: int
    positions: int
    requirements: int
    employees: int
    assignments: int
    evidence: int


def _step(n: int) -> str:
    digits = ""
    for _ in range(OrgUnit.steplen):
        n, r = divmod(n, 36)
        digits = _ALPHABET[r] + digits
    return digits


def generate(
    *,
    employees: int,
    seed: int,
    requirements_per_position: int = 25,
    replace: bool = False,
    today: dt.date | None = None,
) -> DatasetSummary:
    rng = random.Random(seed)
    today = today or dates.today()
    competency_ids = list(Competency.objects.order_by("code").values_list("id", flat=True))
    if not competency_ids:
        raise DatasetNotEmptyError("The competency framework is not loaded; run migrate first.")
    per_position = min(requirements_per_position, len(competency_ids))
    kinds = dict(Competency.objects.values_list("id", "kind"))
    statuses = _statuses()

    with transaction.atomic():
        with connection.cursor() as cursor:
            if replace:
                cursor.execute(f"TRUNCATE {', '.join(_TABLES_TO_EMPTY)} RESTART IDENTITY CASCADE")
            else:
                cursor.execute("SELECT EXISTS (SELECT 1 FROM competencies_orgunit)")
                if cursor.fetchone()[0]:
                    raise DatasetNotEmptyError(
                        "The organisation is not empty; pass --replace to empty it first."
                    )
            for table in (
                "competencies_assignment",
                "competencies_positionrequirement",
                "competencies_evidence",
            ):
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")

        # --- Units: city → top units → 4 bidang → 2 seksi each --------------------------
        top_count = max(5, employees // 2500)
        units: list[tuple] = []  # id, path, depth, numchild, code, name, kind
        unit_id = 0

        def add_unit(path: str, depth: int, numchild: int, code: str, name: str, kind: str) -> int:
            nonlocal unit_id
            unit_id += 1
            units.append((unit_id, path, depth, numchild, code, name, "", kind, True, today))
            return unit_id

        root_path = _step(1)
        add_unit(root_path, 1, top_count, "GEN", f"Kota Sintetis {seed}", "kota")
        leaf_units: list[int] = []
        for t in range(top_count):
            top_path = root_path + _step(t + 1)
            top_id = add_unit(
                top_path, 2, 4, f"GEN-{t + 1:03d}", f"Perangkat Daerah {t + 1}", "perangkat_daerah"
            )
            leaf_units.append(top_id)
            for b in range(4):
                bidang_path = top_path + _step(b + 1)
                bidang_id = add_unit(
                    bidang_path,
                    3,
                    2,
                    f"GEN-{t + 1:03d}-B{b + 1}",
                    f"Bidang {b + 1} PD {t + 1}",
                    "bidang",
                )
                leaf_units.append(bidang_id)
                for s in range(2):
                    leaf_units.append(
                        add_unit(
                            bidang_path + _step(s + 1),
                            4,
                            0,
                            f"GEN-{t + 1:03d}-B{b + 1}-S{s + 1}",
                            f"Seksi {s + 1} Bidang {b + 1} PD {t + 1}",
                            "seksi",
                        )
                    )

        # --- Positions with requirements, until every employee has a slot ---------------
        positions: list[tuple] = []
        requirements: list[tuple] = []
        slots: list[int] = []
        per_unit = employees / len(leaf_units)
        position_id = 0
        requirement_id = 0

        def add_position(unit: int, title: str, kind: str, is_head: bool, headcount: int) -> int:
            nonlocal position_id, requirement_id
            position_id += 1
            positions.append(
                (
                    position_id,
                    f"GEN-P{position_id:06d}",
                    title,
                    unit,
                    kind,
                    "",
                    is_head,
                    headcount,
                    True,
                    today,
                )
            )
            chosen = rng.sample(competency_ids, per_position)
            critical = set(rng.sample(chosen, 2))
            for competency_id in chosen:
                requirement_id += 1
                requirements.append(
                    (
                        requirement_id,
                        position_id,
                        competency_id,
                        rng.randint(1, 4),
                        competency_id in critical,
                    )
                )
            return position_id

        carry = 0.0
        for unit in leaf_units:
            carry += per_unit
            want = int(carry) - 0
            carry -= want
            if want <= 0:
                continue
            head = add_position(unit, f"Kepala Unit {unit}", "administrator", True, 1)
            slots.append(head)
            remaining = want - 1
            while remaining > 0:
                headcount = min(remaining, rng.randint(3, 12))
                pid = add_position(
                    unit, f"Jabatan {position_id + 1}", rng.choice(_KINDS), False, headcount
                )
                slots.extend([pid] * headcount)
                remaining -= headcount
        while len(slots) < employees:  # rounding: top up the last unit
            slots.append(
                add_position(leaf_units[-1], f"Jabatan {position_id + 1}", "pelaksana", False, 1)
            )
        slots = slots[:employees]
        requirement_levels: dict[int, list[tuple[int, int]]] = {}
        for _rid, pid, cid, level, _critical in requirements:
            requirement_levels.setdefault(pid, []).append((cid, level))
        position_ids = [p[0] for p in positions]

        with connection.cursor() as cursor:
            raw = cursor.cursor
            # Bulk-load order: foreign keys and secondary indexes off, COPY, indexes built
            # once, foreign keys checked once per table (one join each instead of a queued
            # check per row: the deferred checks of 20 million rows took 12 minutes), the
            # statistics, and the proficiency table rebuilt with them.
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            with _without_keys_and_indexes(cursor, (*_TABLES_TO_EMPTY, "competencies_proficiency")):
                _copy(
                    raw,
                    "competencies_orgunit",
                    "id, path, depth, numchild, code, name, short_name, kind, is_active, updated_at",
                    units,
                )
                _copy(
                    raw,
                    "competencies_position",
                    "id, code, title, org_unit_id, kind, functional_level, is_head, headcount, is_active, updated_at",
                    positions,
                )
                _copy(
                    raw,
                    "competencies_positionrequirement",
                    "id, position_id, competency_id, required_level, is_critical",
                    requirements,
                )
                stamp = dt.datetime.now(dt.UTC).isoformat()
                _copy_text(
                    raw,
                    "competencies_employee",
                    "id, nip, name, employment_type, rank, email, status, created_at, updated_at",
                    _people_lines(employees, stamp),
                )
                assignment_count = _copy_text(
                    raw,
                    "competencies_assignment",
                    "id, employee_id, position_id, kind, start_date, end_date, decree_number, decree_date, created_at, updated_at",
                    _assignment_lines(rng, slots, position_ids, today, stamp),
                )
                evidence_count = _copy_text(
                    raw,
                    "competencies_evidence",
                    "id, employee_id, competency_id, level, source, status, achieved_date, expires_date, recorded_at, reference, note",
                    _evidence_lines(
                        random.Random(seed + 1),
                        slots,
                        requirement_levels,
                        competency_ids,
                        kinds,
                        statuses,
                        today,
                        stamp,
                    ),
                )
                for table in _TABLES_TO_EMPTY:
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1)) FROM {table}"
                    )
                for table in _TABLES_TO_EMPTY:
                    cursor.execute(f"ANALYZE {table}")
                # The proficiency table's triggers were off with the others: build it in one
                # statement from the evidence just copied (competencies.proficiency).
                cursor.execute("SELECT competencies_proficiency_rebuild()")
            for table in (
                "competencies_assignment",
                "competencies_positionrequirement",
                "competencies_evidence",
            ):
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE competencies_proficiency")
    # The organisation summary's rollup, built once for all of it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT competencies_rollup_mark_all()")
    rollups.refresh(today=today)
    return DatasetSummary(
        units=len(units),
        positions=len(positions),
        requirements=len(requirements),
        employees=employees,
        assignments=assignment_count,
        evidence=evidence_count,
    )


#: Rows per block written to COPY: large enough that the socket writes are few, small enough
#: that the generator's memory stays flat whatever the size.
_BLOCK = 20_000
_NULL = "\\N"  # COPY's text format


def _birth_and_appointment(index: int) -> tuple[dt.date, int]:
    """The birth date and the appointment year (CPNS TMT) of the ``index``-th person, as their
    NIP tells them: their first post starts no later than that year."""
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=(index // 999) * 7 % 12000)
    return birth, birth.year + 23 + index % 5


def _people_lines(employees: int, stamp: str) -> Iterator[str]:
    for index in range(employees):
        person_id = index + 1
        birth, appointed_year = _birth_and_appointment(index)
        sex = "1" if index % 2 else "2"
        nip = f"{birth:%Y%m%d}{appointed_year:04d}{index % 12 + 1:02d}{sex}{index % 999 + 1:03d}"
        yield (
            f"{person_id}\t{nip}\tPegawai Sintetis {person_id}\tpns\tIII/a\t\tactive\t"
            f"{stamp}\t{stamp}\n"
        )


def _assignment_lines(
    rng: random.Random, slots: list[int], position_ids: list[int], today: dt.date, stamp: str
) -> Iterator[str]:
    """Every person's current post (their slot) and 2–5 earlier ones, oldest first; the first
    post no later than the January of their appointment year (from the NIP)."""
    randint, choice = rng.randint, rng.choice
    assignment_id = 0
    for index, slot in enumerate(slots):
        person_id = index + 1
        _birth, appointed_year = _birth_and_appointment(index)
        history_len = randint(3, 6)
        start = today - dt.timedelta(days=randint(90, 5 * 365))
        periods = []
        end = None
        for number in range(history_len):
            post = slot if number == 0 else choice(position_ids)
            periods.append((post, start, end))
            end = start - dt.timedelta(days=1)
            start = end - dt.timedelta(days=randint(365, 4 * 365))
            if number == history_len - 2:
                start = min(start, dt.date(appointed_year, 1, 1))
        for number, (post, start_date, end_date) in enumerate(reversed(periods)):
            assignment_id += 1
            kind = "initial" if number == 0 else choice(("rotasi", "mutasi", "promosi"))
            yield (
                f"{assignment_id}\t{person_id}\t{post}\t{kind}\t{start_date.isoformat()}\t"
                f"{end_date.isoformat() if end_date else _NULL}\t\t\\N\t{stamp}\t{stamp}\n"
            )


def _evidence_lines(
    rng: random.Random,
    slots: list[int],
    requirement_levels: dict[int, list[tuple[int, int]]],
    competency_ids: list[int],
    kinds: dict[int, str],
    statuses: dict[tuple[str, str, int], tuple[str, str]],
    today: dt.date,
    stamp: str,
) -> Iterator[str]:
    """10–30 evidence rows a person over the last 12 years, four in five of a competency their
    post requires (near the required level), one in five with a three-year expiry; sources
    as the evidence policy admits them (``_statuses``)."""
    random_ = rng.random
    days = 12 * 365
    achieved_on = [(today - dt.timedelta(days=d)).isoformat() for d in range(days + 1)]
    expires_on = [
        (today - dt.timedelta(days=d) + dt.timedelta(days=3 * 365)).isoformat()
        for d in range(days + 1)
    ]
    sources = list(_SOURCES)
    # (competency, level, source) → "competency\tlevel\tsource\tstatus", the middle of a line.
    middles: dict[tuple[int, int, int], str] = {}
    for competency_id in competency_ids:
        for level in range(1, 6):
            for s, source in enumerate(sources):
                final_source, status = statuses[source, kinds[competency_id], level]
                middles[competency_id, level, s] = (
                    f"{competency_id}\t{level}\t{final_source}\t{status}"
                )
    offsets = (-2, -1, 0, 0, 1)
    n_competencies = len(competency_ids)
    n_sources = len(sources)
    evidence_id = 0
    for index, slot in enumerate(slots):
        person_id = index + 1
        wanted = requirement_levels.get(slot, [])
        n_wanted = len(wanted)
        for _ in range(10 + int(random_() * 21)):
            if wanted and random_() < 0.8:
                competency_id, level = wanted[int(random_() * n_wanted)]
                level = max(1, min(5, level + offsets[int(random_() * 5)]))
            else:
                competency_id = competency_ids[int(random_() * n_competencies)]
                level = 1 + int(random_() * 5)
            back = 1 + int(random_() * days)
            expires = expires_on[back] if random_() < 0.2 else _NULL
            evidence_id += 1
            middle = middles[competency_id, level, int(random_() * n_sources)]
            yield f"{evidence_id}\t{person_id}\t{middle}\t{achieved_on[back]}\t{expires}\t{stamp}\t\t\n"


@contextmanager
def _without_keys_and_indexes(cursor, tables: tuple[str, ...]) -> Iterator[None]:
    """Drop the tables' foreign keys and secondary indexes, then put them back as they were
    (``pg_get_constraintdef``/``pg_get_indexdef``): PostgreSQL's way to restore a dump.
    Primary keys and unique constraints stay (other tables' keys may point at them)."""
    cursor.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
        ORDER BY conrelid::regclass::text, conname
        """,
        [list(tables)],
    )
    keys = cursor.fetchall()
    cursor.execute(
        """
        SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)
        FROM pg_index i WHERE indrelid = ANY(%s::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        [list(tables)],
    )
    indexes = cursor.fetchall()
    for table, name, _definition in keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    for _name, definition in indexes:
        cursor.execute(definition)
    for table, name, definition in keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _copy_text(raw_cursor, table: str, columns: str, lines: Iterable[str]) -> int:
    """COPY lines in PostgreSQL's text format (tab-separated, ``\\N`` for NULL), in blocks,
    as they are generated; returns how many were written."""
    count = 0
    with raw_cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        block = list(islice(lines, _BLOCK))
        while block:
            count += len(block)
            copy.write("".join(block))
            block = list(islice(lines, _BLOCK))
    return count


def _copy(raw_cursor, table: str, columns: str, rows: list[tuple]) -> None:
    with raw_cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)

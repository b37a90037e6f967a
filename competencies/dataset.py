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
from dataclasses import dataclass

from django.db import connection, transaction

from competencies import policy
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

        # --- People, history, evidence --------------------------------------------------
        people: list[tuple] = []
        assignments: list[tuple] = []
        evidence: list[tuple] = []
        assignment_id = evidence_id = 0
        base_birth = dt.date(1965, 1, 1)
        now = dt.datetime.now(dt.UTC)
        for index in range(employees):
            person_id = index + 1
            birth = base_birth + dt.timedelta(days=(index // 999) * 7 % 12000)
            appointed_year = birth.year + 23 + index % 5
            sex = "1" if index % 2 else "2"
            nip = (
                f"{birth:%Y%m%d}{appointed_year:04d}{index % 12 + 1:02d}{sex}{index % 999 + 1:03d}"
            )
            people.append(
                (
                    person_id,
                    nip,
                    f"Pegawai Sintetis {person_id}",
                    "pns",
                    "III/a",
                    "",
                    "active",
                    now,
                    now,
                )
            )
            history_len = rng.randint(3, 6)
            start = today - dt.timedelta(days=rng.randint(90, 5 * 365))
            posts = [slots[index]] + [rng.choice(position_ids) for _ in range(history_len - 1)]
            periods = []
            end = None
            for number, post in enumerate(posts):
                periods.append((post, start, end))
                end = start - dt.timedelta(days=1)
                start = end - dt.timedelta(days=rng.randint(365, 4 * 365))
                if number == len(posts) - 2:
                    start = min(start, dt.date(appointed_year, 1, 1))
            for number, (post, start_date, end_date) in enumerate(reversed(periods)):
                assignment_id += 1
                kind = "initial" if number == 0 else rng.choice(("rotasi", "mutasi", "promosi"))
                assignments.append(
                    (assignment_id, person_id, post, kind, start_date, end_date, "", None, now, now)
                )
            wanted = requirement_levels.get(slots[index], [])
            for _ in range(rng.randint(10, 30)):
                if wanted and rng.random() < 0.8:
                    competency_id, level = rng.choice(wanted)
                    level = max(1, min(5, level + rng.choice((-2, -1, 0, 0, 1))))
                else:
                    competency_id, level = rng.choice(competency_ids), rng.randint(1, 5)
                achieved = today - dt.timedelta(days=rng.randint(1, 12 * 365))
                expires = achieved + dt.timedelta(days=3 * 365) if rng.random() < 0.2 else None
                evidence_id += 1
                source, status = statuses[rng.choice(_SOURCES), kinds[competency_id], level]
                evidence.append(
                    (
                        evidence_id,
                        person_id,
                        competency_id,
                        level,
                        source,
                        status,
                        achieved,
                        expires,
                        now,
                        "",
                        "",
                    )
                )

        with connection.cursor() as cursor:
            raw = cursor.cursor
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
            _copy(
                raw,
                "competencies_employee",
                "id, nip, name, employment_type, rank, email, status, created_at, updated_at",
                people,
            )
            _copy(
                raw,
                "competencies_assignment",
                "id, employee_id, position_id, kind, start_date, end_date, decree_number, decree_date, created_at, updated_at",
                assignments,
            )
            _copy(
                raw,
                "competencies_evidence",
                "id, employee_id, competency_id, level, source, status, achieved_date, expires_date, recorded_at, reference, note",
                evidence,
            )
            for table in _TABLES_TO_EMPTY:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1)) FROM {table}"
                )
            # Django's foreign keys are deferred; check them now so the triggers can be re-enabled.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in (
                "competencies_assignment",
                "competencies_positionrequirement",
                "competencies_evidence",
            ):
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            # The proficiency table's triggers were off with the others: build it in one
            # statement from the evidence just copied (competencies.proficiency).
            cursor.execute("SELECT competencies_proficiency_rebuild()")
    with connection.cursor() as cursor:
        for table in (*_TABLES_TO_EMPTY, "competencies_proficiency"):
            cursor.execute(f"ANALYZE {table}")
    return DatasetSummary(
        units=len(units),
        positions=len(positions),
        requirements=len(requirements),
        employees=len(people),
        assignments=len(assignments),
        evidence=len(evidence),
    )


def _copy(raw_cursor, table: str, columns: str, rows: list[tuple]) -> None:
    with raw_cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)

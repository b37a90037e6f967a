"""The demo city: "Pemerintah Kota Tangkas" with its units, positions, people, rotation
history and evidence, built deterministically from ``data/demo_city.json`` and a seed.

Used by ``manage.py seed_demo`` (which also loads courses and certificates). Idempotent:
units and positions are matched by code; people, their history and evidence are created once
(recognised by their deterministic NIPs); demo logins are created or reset every time.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from competencies import policy, services
from competencies.access import HR_GROUP_NAME
from competencies.models import (
    Assignment,
    AssignmentKind,
    Competency,
    Employee,
    EmploymentType,
    Evidence,
    EvidenceSource,
    EvidenceStatus,
    OrgUnit,
    Position,
)
from competencies.validators import PPPK_FIRST_YEAR
from core import dates

DATA_DIR = Path(__file__).resolve().parent / "data"

MALE_FIRST = [
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Irfan",
    "Joko",
    "Made",
    "Nyoman",
    "Rizki",
    "Slamet",
    "Taufik",
    "Wahyu",
    "Yusuf",
    "Andi",
    "Bambang",
    "Dimas",
    "Gilang",
    "Hadi",
    "Iwan",
    "Ketut",
    "Lukman",
    "Muhammad",
    "Nanda",
    "Putu",
    "Rahmat",
    "Sigit",
    "Teguh",
    "Wayan",
    "Yoga",
    "Arief",
    "Bayu",
    "Dodi",
    "Ferry",
    "Gede",
    "Haris",
    "Indra",
    "Krisna",
    "Mulyadi",
    "Ridwan",
]
FEMALE_FIRST = [
    "Ani",
    "Dewi",
    "Endang",
    "Fitri",
    "Indah",
    "Kartika",
    "Lestari",
    "Maya",
    "Nur",
    "Putri",
    "Ratna",
    "Sari",
    "Tri",
    "Wulan",
    "Yuni",
    "Ayu",
    "Citra",
    "Dian",
    "Eka",
    "Fransiska",
    "Gita",
    "Hana",
    "Intan",
    "Kadek",
    "Lina",
    "Mega",
    "Novi",
    "Rina",
    "Siti",
    "Utami",
    "Wening",
    "Yanti",
    "Anisa",
    "Desi",
    "Erna",
    "Hesti",
    "Ika",
    "Nadia",
    "Ratih",
    "Sri",
]
FAMILY = [
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Nugroho",
    "Kusuma",
    "Siregar",
    "Nasution",
    "Lubis",
    "Harahap",
    "Simanjuntak",
    "Pardede",
    "Sitompul",
    "Tanjung",
    "Rangkuti",
    "Daulay",
    "Pratama",
    "Setiawan",
    "Gunawan",
    "Prasetyo",
    "Wibowo",
    "Susanto",
    "Purnomo",
    "Hakim",
    "Syahputra",
    "Rahman",
    "Putra",
    "Utama",
    "Firmansyah",
    "Kurniawan",
    "Permana",
    "Suryadi",
    "Maharani",
    "Anggraini",
    "Wulandari",
    "Rahayu",
    "Handayani",
    "Sulistyowati",
    "Pertiwi",
    "Manurung",
    "Pangaribuan",
    "Mahendra",
    "Sinaga",
    "Ginting",
    "Tarigan",
    "Sembiring",
    "Lim",
    "Tan",
    "Pattiasina",
    "Latuconsina",
    "Mandagi",
    "Rumengan",
    "Daeng",
    "Pasaribu",
    "Hutapea",
]


@dataclass(frozen=True)
class DemoLogins:
    pegawai: str = "demo.pegawai"
    kepala: str = "demo.kepala"
    hr: str = "demo.hr"
    admin: str = "admin"


#: Who the demo logins are, by position code.
DEMO_PEGAWAI_POSITION = "DISKOMINFO-APTIKA-EGOV-PK-AP"
DEMO_KEPALA_POSITION = "DISKOMINFO-APTIKA-KABID"
DEMO_HR_UNIT = "BKPSDM-BANGKOM"


def load_json(name: str) -> object:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _nip(
    rng: random.Random, sex: str, seq: int, pppk: bool = False
) -> tuple[str, dt.date, dt.date]:
    birth = dt.date(rng.randint(1966, 1998), rng.randint(1, 12), rng.randint(1, 28))
    appointed_year = min(birth.year + rng.randint(22, 30), 2024)
    appointed = dt.date(appointed_year, rng.randint(1, 12), 1)
    sex_digit = "1" if sex == "L" else "2"
    if pppk:
        # No NI PPPK is older than the first PPPK recruitment; the history below may start
        # earlier (the seed's random draws stay as they were, so the demo does not change).
        middle = f"{max(appointed_year, PPPK_FIRST_YEAR):04d}2{rng.randint(1, 3)}"
    else:
        middle = f"{appointed.year:04d}{appointed.month:02d}"
    return f"{birth:%Y%m%d}{middle}{sex_digit}{seq % 999 + 1:03d}", birth, appointed


def _name(rng: random.Random, sex: str) -> str:
    first = rng.choice(MALE_FIRST if sex == "L" else FEMALE_FIRST)
    return f"{first} {rng.choice(FAMILY)}"


def _rank_for(position: Position, rng: random.Random) -> str:
    by_kind = {
        "jpt": ["IV/c", "IV/d"],
        "administrator": ["IV/a", "IV/b"],
        "pengawas": ["III/c", "III/d"],
        "fungsional": ["III/a", "III/b", "III/c", "III/d"],
        "pelaksana": ["II/c", "II/d", "III/a", "III/b"],
    }
    return rng.choice(by_kind.get(position.kind, ["III/a"]))


@transaction.atomic
def seed_structure() -> tuple[int, int]:
    """Units and positions with their requirements; returns how many were created."""
    data = load_json("demo_city.json")
    assert isinstance(data, dict)
    units = {u.code: u for u in OrgUnit.objects.all()}
    created_units = created_positions = 0
    for entry in data["units"]:
        if entry["code"] in units:
            continue
        units[entry["code"]] = services.org_unit_create(
            code=entry["code"],
            name=entry["name"],
            short_name=entry.get("short_name", ""),
            kind=entry["kind"],
            parent=units[entry["parent"]] if entry["parent"] else None,
        )
        created_units += 1
    competencies = {c.code: c for c in Competency.objects.all()}
    existing = set(Position.objects.values_list("code", flat=True))
    for entry in data["positions"]:
        if entry["code"] in existing:
            continue
        services.position_create(
            code=entry["code"],
            title=entry["title"],
            org_unit=units[entry["unit"]],
            kind=entry["kind"],
            functional_level=entry.get("functional_level") or "",
            is_head=entry["is_head"],
            headcount=entry["headcount"],
            requirements=[
                (competencies[r["competency"]], r["level"], r["critical"])
                for r in entry["requirements"]
            ],
            reason="Demo city",
        )
        created_positions += 1
    return created_units, created_positions


# Evidence sources and how often each appears in the demo history.
_SOURCES = [
    (EvidenceSource.ASSESSMENT, 30),
    (EvidenceSource.SUPERVISOR_VALIDATION, 20),
    (EvidenceSource.COURSE_COMPLETION, 20),
    (EvidenceSource.EXTERNAL_CERTIFICATE, 8),
    (EvidenceSource.MIGRATION, 12),
    (EvidenceSource.HR_VALIDATION, 5),
]


@transaction.atomic
def seed_people(*, seed: int = 2026, today: dt.date | None = None) -> int:
    """People, their position history and evidence. Returns how many people were created."""
    today = today or dates.today()
    rng = random.Random(seed)
    positions = list(
        Position.objects.select_related("org_unit")
        .prefetch_related("requirements")
        .order_by("code")
    )
    slots = [position for position in positions for _ in range(position.headcount)]
    kinds = dict(Competency.objects.values_list("pk", "kind"))
    first_sex = "L"
    first_nip, *_ = _nip(random.Random(seed), first_sex, 0)
    if Employee.objects.filter(nip=first_nip).exists():
        return 0

    employees: list[Employee] = []
    plans: list[tuple[Employee, Position, dt.date]] = []
    for seq, position in enumerate(slots):
        sex = first_sex if seq == 0 else rng.choice("LP")
        pppk = position.kind == "pelaksana" and rng.random() < 0.12
        nip, _birth, appointed = _nip(rng, sex, seq, pppk=pppk)
        if seq == 0:
            nip = first_nip
        employee = Employee(
            nip=nip,
            name=_name(rng, sex),
            employment_type=EmploymentType.PPPK if pppk else EmploymentType.PNS,
            rank="IX" if pppk else _rank_for(position, rng),
            status="active",
        )
        employees.append(employee)
        plans.append((employee, position, appointed))
    Employee.objects.bulk_create(employees)

    by_unit_top: dict[str, list[Position]] = {}
    for position in positions:
        by_unit_top.setdefault(position.org_unit.path[:8], []).append(position)

    assignments: list[Assignment] = []
    evidence: list[Evidence] = []
    for employee, current, appointed in plans:
        # Build the history backwards from the current post: every 2–5 years a rotation,
        # back to the first appointment (TMT CPNS).
        start = today - dt.timedelta(days=rng.randint(120, 6 * 365))
        if start < appointed:
            start = appointed
        history = [(current, start)]
        cursor = start
        while True:
            previous_start = cursor - dt.timedelta(days=rng.randint(2 * 365, 5 * 365))
            if previous_start < appointed or len(history) >= 4:
                break
            pool = (
                by_unit_top.get(current.org_unit.path[:8], positions)
                if rng.random() < 0.6
                else positions
            )
            candidates = [p for p in pool if not p.is_head and p.pk != history[-1][0].pk]
            history.append((rng.choice(candidates or positions), previous_start))
            cursor = previous_start
        if history[-1][1] > appointed:
            pool = [p for p in positions if p.kind in ("pelaksana", "fungsional")]
            history.append((rng.choice(pool), appointed))
        history.reverse()
        for index, (position, start_date) in enumerate(history):
            end_date = (
                history[index + 1][1] - dt.timedelta(days=1) if index + 1 < len(history) else None
            )
            kind = (
                AssignmentKind.INITIAL
                if index == 0
                else rng.choice(
                    [
                        AssignmentKind.ROTATION,
                        AssignmentKind.ROTATION,
                        AssignmentKind.TRANSFER,
                        AssignmentKind.PROMOTION,
                    ]
                )
            )
            assignments.append(
                Assignment(
                    employee=employee,
                    position=position,
                    kind=kind,
                    start_date=start_date,
                    end_date=end_date,
                    decree_number=f"800.1.3/{rng.randint(100, 999)}/BKPSDM/{start_date.year}",
                    decree_date=start_date - dt.timedelta(days=rng.randint(7, 30)),
                )
            )
        # Evidence for what the posts asked of them, gathered over the years.
        required = {}
        for position, _start in history:
            for requirement in position.requirements.all():
                required[requirement.competency_id] = max(
                    required.get(requirement.competency_id, 0), requirement.required_level
                )
        for competency_id, level in required.items():
            for _attempt in range(rng.choice([1, 1, 2])):
                achieved = appointed + dt.timedelta(
                    days=rng.randint(30, max(31, (today - appointed).days))
                )
                achieved = min(achieved, today)
                achieved_level = max(1, min(5, level + rng.choice([-2, -1, -1, 0, 0, 0, 1])))
                source = rng.choices([s for s, _w in _SOURCES], weights=[w for _s, w in _SOURCES])[
                    0
                ]
                decision = policy.evidence_decision(
                    source=source, competency_kind=kinds[competency_id], level=achieved_level
                )
                if decision.refused:  # no course or certificate awards a managerial level
                    source = EvidenceSource.ASSESSMENT
                    decision = policy.evidence_decision(
                        source=source, competency_kind=kinds[competency_id], level=achieved_level
                    )
                expires = (
                    achieved + dt.timedelta(days=3 * 365)
                    if source == EvidenceSource.COURSE_COMPLETION
                    else None
                )
                evidence.append(
                    Evidence(
                        employee=employee,
                        competency_id=competency_id,
                        level=achieved_level,
                        source=source,
                        status=decision.status,
                        achieved_date=achieved,
                        expires_date=expires,
                        reference=f"DEMO-{rng.randint(10000, 99999)}",
                        note="",
                    )
                )
        if rng.random() < 0.25 and required:
            competency_id = rng.choice(sorted(required))
            evidence.append(
                Evidence(
                    employee=employee,
                    competency_id=competency_id,
                    level=min(5, required[competency_id] + 1),
                    source=EvidenceSource.SELF_ASSESSMENT,
                    status=EvidenceStatus.PROVISIONAL,
                    achieved_date=today - dt.timedelta(days=rng.randint(10, 200)),
                    note="Penilaian mandiri",
                )
            )
    with services._audit(None, "Demo city"):
        Assignment.objects.bulk_create(assignments)
    Evidence.objects.bulk_create(evidence)
    return len(employees)


_PASSWORD_HASHES: dict[tuple[str, tuple[str, ...]], str] = {}


def password_hash(password: str) -> str:
    """The demo password, hashed once per process and hasher setting: every demo login has
    the same published password, so one hash serves them all (hashing it again for each login
    cost about a quarter of a second)."""
    key = (password, tuple(settings.PASSWORD_HASHERS))
    if key not in _PASSWORD_HASHES:
        _PASSWORD_HASHES[key] = make_password(password)
    return _PASSWORD_HASHES[key]


def _user(username: str, password: str, **fields: object):
    User = get_user_model()
    user, _created = User.objects.get_or_create(username=username, defaults=fields)
    for key, value in fields.items():
        setattr(user, key, value)
    user.password = password_hash(password)
    user.save()
    return user


def hr_group() -> Group:
    """The HR group: Wagtail admin access and full rights on the competency matrix."""
    group, _created = Group.objects.get_or_create(name=HR_GROUP_NAME)
    permissions = Permission.objects.filter(content_type__app_label="competencies").exclude(
        codename__endswith="event"
    ) | Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(*permissions)
    return group


@transaction.atomic
def seed_logins(*, password: str, today: dt.date | None = None) -> DemoLogins:
    """Create (or reset) the demo logins and link them to people of the demo city."""
    today = today or dates.today()
    logins = DemoLogins()

    current = (
        Assignment.objects.definitive().active_on(today).select_related("employee").order_by("id")
    )

    def holder(**position_filters: object) -> Employee | None:
        assignment = current.filter(**position_filters).first()
        return assignment.employee if assignment else None

    pegawai = holder(position__code=DEMO_PEGAWAI_POSITION)
    kepala = holder(position__code=DEMO_KEPALA_POSITION)
    hr = holder(position__org_unit__code=DEMO_HR_UNIT, position__is_head=False)
    for username, employee in ((logins.pegawai, pegawai), (logins.kepala, kepala), (logins.hr, hr)):
        first, _sep, last = (employee.name if employee else username).partition(" ")
        user = _user(
            username,
            password,
            first_name=first,
            last_name=last,
            email=f"{username}@tangkas.example",
        )
        if employee and employee.user_id != user.pk:
            Employee.objects.filter(user=user).exclude(pk=employee.pk).update(user=None)
            employee.user = user
            employee.save(update_fields=["user", "updated_at"])
    hr_user = get_user_model().objects.get(username=logins.hr)
    hr_user.groups.add(hr_group())
    _user(logins.admin, password, is_staff=True, is_superuser=True, email="admin@tangkas.example")
    return logins

"""Factories for the competency matrix. NIPs are valid and unique; units hang under one city."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model

from competencies import services
from competencies.models import (
    Assignment,
    Competency,
    CompetencyKind,
    Employee,
    Evidence,
    EvidenceSource,
    OrgUnit,
    Position,
    PositionKind,
    PositionRequirement,
)

_sequence = itertools.count(1)


def make_nip(
    birth: str = "19850412", appointed: str = "201003", sex: str = "1", seq: int | None = None
) -> str:
    return f"{birth}{appointed}{sex}{(seq if seq is not None else next(_sequence) % 999 + 1):03d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T-{n:03d}")
    name_id = factory.LazyAttribute(lambda o: f"Kompetensi {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Competency {o.code}")
    kind = CompetencyKind.TECHNICAL


def unit(
    code: str, parent: OrgUnit | None = None, kind: str = "bidang", name: str | None = None
) -> OrgUnit:
    existing = OrgUnit.objects.filter(code=code).first()
    if existing:
        return existing
    if parent is None:
        parent = OrgUnit.get_root_nodes().filter(code="CITY").first() or services.org_unit_create(
            code="CITY", name="Pemerintah Kota Uji", kind="kota"
        )
    return services.org_unit_create(
        code=code, name=name or f"Unit {code}", kind=kind, parent=parent
    )


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    code = factory.Sequence(lambda n: f"POS-{n:04d}")
    title = factory.LazyAttribute(lambda o: f"Jabatan {o.code}")
    org_unit = factory.LazyFunction(lambda: unit("UNIT-A"))
    kind = PositionKind.FUNCTIONAL
    headcount = 1


def require(
    position: Position, competency: Competency, level: int, critical: bool = False
) -> PositionRequirement:
    return services.requirement_set(
        position=position, competency=competency, required_level=level, is_critical=critical
    )


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    nip = factory.LazyFunction(make_nip)
    name = factory.Sequence(lambda n: f"Pegawai {n}")


def assign(
    employee: Employee,
    position: Position,
    start: dt.date,
    kind: str = "rotasi",
    end: dt.date | None = None,
) -> Assignment:
    return services.assignment_create(
        employee=employee, position=position, kind=kind, start_date=start, end_date=end
    )


def evidence(
    employee: Employee,
    competency: Competency,
    level: int,
    achieved: dt.date = dt.date(2020, 1, 1),
    source: str = EvidenceSource.ASSESSMENT,
    expires: dt.date | None = None,
) -> Evidence:
    return services.evidence_record(
        employee=employee,
        competency=competency,
        level=level,
        source=source,
        achieved_date=achieved,
        expires_date=expires,
    )

"""A small, hand-checked organisation whose gaps are worked out in the tests by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group

from competencies.access import HR_GROUP_NAME
from competencies.models import Competency, Employee, OrgUnit, Position
from tests.competencies.factories import (
    CompetencyFactory,
    EmployeeFactory,
    PositionFactory,
    UserFactory,
    assign,
    evidence,
    require,
    unit,
)

DAY = dt.date(2025, 1, 1)


@dataclass
class City:
    diskominfo: OrgUnit
    aptika: OrgUnit
    egov: OrgUnit
    bkpsdm: OrgUnit
    db: Competency
    sec: Competency
    lead: Competency
    kabid_post: Position
    ketua_post: Position
    pk_post: Position
    analis_post: Position
    kabid: Employee
    citra: Employee
    ani: Employee
    budi: Employee
    dedi: Employee


@pytest.fixture
def city(db: None) -> City:
    diskominfo = unit(
        "DISKOMINFO", kind="perangkat_daerah", name="Dinas Komunikasi dan Informatika"
    )
    aptika = unit("APTIKA", parent=diskominfo, name="Bidang Aplikasi Informatika")
    egov = unit("EGOV", parent=aptika, kind="seksi", name="Tim e-Government")
    bkpsdm = unit("BKPSDM", kind="perangkat_daerah", name="BKPSDM")
    skill_db = CompetencyFactory(code="TIK-05", name_id="Pengelolaan Basis Data")
    skill_sec = CompetencyFactory(code="TIK-13", name_id="Manajemen Keamanan Informasi")
    skill_lead = CompetencyFactory(code="M.01", name_id="Integritas", kind="manajerial")

    kabid_post = PositionFactory(
        org_unit=aptika, title="Kepala Bidang", is_head=True, kind="administrator"
    )
    require(kabid_post, skill_lead, 3, critical=True)
    require(kabid_post, skill_sec, 2)
    ketua_post = PositionFactory(org_unit=egov, title="Ketua Tim", is_head=True)
    require(ketua_post, skill_db, 3)
    require(ketua_post, skill_lead, 2)
    pk_post = PositionFactory(org_unit=egov, title="Pranata Komputer", headcount=3)
    require(pk_post, skill_db, 3, critical=True)
    require(pk_post, skill_sec, 2)
    analis_post = PositionFactory(org_unit=bkpsdm, title="Analis SDM", headcount=2)
    require(analis_post, skill_db, 2)

    kabid = EmployeeFactory(name="Kabid Hendra", user=UserFactory(username="kabid"))
    citra = EmployeeFactory(name="Citra Lestari", user=UserFactory(username="citra"))
    ani = EmployeeFactory(name="Ani Wulandari", user=UserFactory(username="ani"))
    budi = EmployeeFactory(name="Budi Santoso")
    dedi = EmployeeFactory(name="Dedi Siregar")
    assign(kabid, kabid_post, dt.date(2019, 1, 1), kind="promosi")
    assign(citra, ketua_post, dt.date(2021, 6, 1))
    assign(ani, pk_post, dt.date(2018, 1, 1), kind="initial")
    assign(budi, pk_post, dt.date(2023, 1, 1))
    assign(dedi, analis_post, dt.date(2020, 1, 1))

    evidence(kabid, skill_lead, 3)
    evidence(kabid, skill_sec, 1)
    evidence(citra, skill_db, 3)
    evidence(citra, skill_lead, 1)
    evidence(ani, skill_db, 4)
    evidence(ani, skill_sec, 2)
    evidence(budi, skill_db, 2)
    evidence(budi, skill_sec, 3)
    evidence(dedi, skill_db, 1)
    return City(
        diskominfo,
        aptika,
        egov,
        bkpsdm,
        skill_db,
        skill_sec,
        skill_lead,
        kabid_post,
        ketua_post,
        pk_post,
        analis_post,
        kabid,
        citra,
        ani,
        budi,
        dedi,
    )


@pytest.fixture
def hr_user(db: None):
    user = UserFactory(username="hr-staff")
    user.groups.add(Group.objects.get_or_create(name=HR_GROUP_NAME)[0])
    return user

"""A perangkat daerah (Diskominfo) with a head, two staff with counted gaps, a bidang, HR staff
and a delegate of the PPK; the gaps are worked out by hand in the tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from competencies.access import HR_GROUP_NAME
from competencies.models import Competency, Employee, OrgUnit, Position
from planning.rules import PPK_DELEGATE_GROUP
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

YEAR = 2026


@dataclass
class Office:
    diskominfo: OrgUnit
    aptika: OrgUnit
    bappeda: OrgUnit
    db: Competency
    sec: Competency
    lead: Competency
    kadis_post: Position
    pk_post: Position
    kadis: Employee
    ani: Employee
    budi: Employee
    hr: object
    ppk: object
    outsider: object

    def client_for(self, user: object) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client


@pytest.fixture
def office(db: None) -> Office:
    diskominfo = unit(
        "DISKOMINFO", kind="perangkat_daerah", name="Dinas Komunikasi dan Informatika"
    )
    aptika = unit("APTIKA", parent=diskominfo, name="Bidang Aplikasi Informatika")
    bappeda = unit("BAPPEDA", kind="perangkat_daerah", name="Bappeda")
    skill_db = CompetencyFactory(code="TIK-05", name_id="Pengelolaan Basis Data")
    skill_sec = CompetencyFactory(code="TIK-13", name_id="Manajemen Keamanan Informasi")
    skill_lead = CompetencyFactory(code="M.01", name_id="Integritas", kind="manajerial")

    kadis_post = PositionFactory(
        org_unit=diskominfo, title="Kepala Dinas", is_head=True, kind="jpt"
    )
    require(kadis_post, skill_lead, 4, critical=True)
    pk_post = PositionFactory(org_unit=aptika, title="Pranata Komputer", headcount=3)
    require(pk_post, skill_db, 3, critical=True)
    require(pk_post, skill_sec, 2)

    kadis = EmployeeFactory(name="Hendra Gunawan", rank="IV/b", user=UserFactory(username="kadis"))
    ani = EmployeeFactory(name="Ani Wulandari", rank="III/b", user=UserFactory(username="ani"))
    budi = EmployeeFactory(name="Budi Santoso", rank="III/a")
    assign(kadis, kadis_post, dt.date(2020, 1, 1), kind="promosi")
    assign(ani, pk_post, dt.date(2018, 1, 1), kind="initial")
    assign(budi, pk_post, dt.date(2019, 1, 1), kind="initial")
    evidence(kadis, skill_lead, 3)  # gap 1, critical
    evidence(ani, skill_db, 2)  # gap 1 critical; sec gap 2
    evidence(budi, skill_db, 3)  # no db gap; sec gap 2
    hr = UserFactory(username="hr")
    hr.groups.add(Group.objects.get_or_create(name=HR_GROUP_NAME)[0])
    ppk = UserFactory(username="ppk")
    ppk.groups.add(Group.objects.get(name=PPK_DELEGATE_GROUP))
    outsider = UserFactory(username="outsider")
    return Office(
        diskominfo,
        aptika,
        bappeda,
        skill_db,
        skill_sec,
        skill_lead,
        kadis_post,
        pk_post,
        kadis,
        ani,
        budi,
        hr,
        ppk,
        outsider,
    )

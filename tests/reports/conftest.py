"""A small city whose reports are worked out by hand, on 15 March 2026 (WIB).

CITY ─┬─ DISKOMINFO (perangkat daerah) ── APTIKA (bidang)
      └─ BKPSDM (perangkat daerah)

Posts and requirements (★ critical):
  kadis   DISKOMINFO, JPT (60)                    LEAD 4★
  kabid   APTIKA, administrator (58)              LEAD 3★, SEC 2★
  pk      APTIKA, fungsional Ahli Muda (58), ×3   DB 3★, SEC 2
  analis  BKPSDM, fungsional Ahli Madya (60), ×2  DB 2★

People (birth date from the NIP → retirement date), evidence achieved 2020-01-01 unless said:
  hendra  kadis   1966-05-10 → 2026-06-01   LEAD 4
  citra   kabid   1969-08-20 → 2027-09-01   LEAD 3, SEC 1
  ani     pk      1990-01-15 → 2048-02-01   DB 4, SEC 2
  budi    pk      1972-02-29 → 2030-03-01   DB 2, SEC 3, DB 3 on 2026-02-01
  dedi    analis  1967-11-30 → 2027-12-01   DB 1
  eka     analis  1992-07-07 → 2050-08-01   LEAD 3, SEC 1, DB 2 on 2026-01-20
  fajar   pk until 2019-12-31 only (not posted now), born 1965

Ledger 2026: ani 8 (course "keamanan": DB+SEC) + 12 external; budi 8 (keamanan) + 4 external;
eka 4 (course "integritas": LEAD) + 16 external; citra 25 (BSSN's offering: SEC, IDR 3,500,000);
dedi 20 external;
fajar 40 external. 2025: hendra 30 external.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from wagtail.models import Site

from competencies.demo import hr_group
from competencies.models import Competency, Employee, OrgUnit, Position
from core import dates
from courses.models import (
    CourseCompetency,
    CourseIndexPage,
    CoursePage,
    Enrollment,
    EnrollmentStatus,
    LearningRecord,
    LearningSource,
)
from providers.models import Offering, OfferingCompetency, OfferingRequest, Provider
from tests.competencies.factories import (
    CompetencyFactory,
    EmployeeFactory,
    PositionFactory,
    UserFactory,
    assign,
    evidence,
    make_nip,
    require,
    unit,
)

WIB = ZoneInfo("Asia/Jakarta")
TODAY = dt.date(2026, 3, 15)


@pytest.fixture
def on_today(request: pytest.FixtureRequest) -> Iterator[None]:
    """The clock at 10:00 WIB on ``TODAY`` (not for ``awkward_hours`` tests)."""
    with time_machine.travel(dt.datetime(2026, 3, 15, 10, 0, tzinfo=WIB), tick=False):
        yield


@dataclass
class City:
    diskominfo: OrgUnit
    aptika: OrgUnit
    bkpsdm: OrgUnit
    db: Competency
    sec: Competency
    lead: Competency
    kadis: Position
    kabid: Position
    pk: Position
    analis: Position
    people: dict[str, Employee]


def person(name: str, birth: str, sex: str = "1") -> Employee:
    return EmployeeFactory(
        name=name, nip=make_nip(birth=birth, appointed=f"{int(birth[:4]) + 25}01", sex=sex)
    )


def record(
    employee: Employee,
    jp: str,
    *,
    year: int = 2026,
    course: CoursePage | None = None,
    completed: dt.date | None = None,
) -> LearningRecord:
    completed = completed or dt.date(year, 2, 1)
    enrollment = None
    if course is not None:
        enrollment = Enrollment.objects.create(
            employee=employee,
            course=course,
            status=EnrollmentStatus.COMPLETED,
            completed_at=dates.start_of_day(completed),
        )
    return LearningRecord.objects.create(
        employee=employee,
        year=year,
        completed_date=completed,
        jp_hours=Decimal(jp),
        source=LearningSource.COURSE if course else LearningSource.EXTERNAL,
        title=course.title if course else "Pelatihan Keamanan Informasi BSSN",
        provider="" if course else "BSSN",
        enrollment=enrollment,
    )


def course(index: CourseIndexPage, slug: str, jp: int, builds: list[Competency]) -> CoursePage:
    page = CoursePage(title=slug.title(), slug=slug, summary=f"Ringkasan {slug}", jp_hours=jp)
    for order, competency in enumerate(builds):
        page.competencies.add(CourseCompetency(competency=competency, level=2, sort_order=order))
    index.add_child(instance=page)
    return page


@pytest.fixture
def city(db: None) -> City:
    diskominfo = unit("DISKOMINFO", kind="perangkat_daerah", name="Dinas Kominfo")
    aptika = unit("APTIKA", parent=diskominfo, name="Bidang Aplikasi Informatika")
    bkpsdm = unit("BKPSDM", kind="perangkat_daerah", name="BKPSDM")
    db_ = CompetencyFactory(code="TIK-05")
    sec = CompetencyFactory(code="TIK-13")
    lead = CompetencyFactory(code="M.01")

    kadis = PositionFactory(org_unit=diskominfo, title="Kepala Dinas", is_head=True, kind="jpt")
    require(kadis, lead, 4, critical=True)
    kabid = PositionFactory(
        org_unit=aptika, title="Kepala Bidang", is_head=True, kind="administrator"
    )
    require(kabid, lead, 3, critical=True)
    require(kabid, sec, 2, critical=True)
    pk = PositionFactory(
        org_unit=aptika,
        title="Pranata Komputer Ahli Muda",
        headcount=3,
        functional_level="Ahli Muda",
    )
    require(pk, db_, 3, critical=True)
    require(pk, sec, 2)
    analis = PositionFactory(
        org_unit=bkpsdm, title="Analis SDM Ahli Madya", headcount=2, functional_level="Ahli Madya"
    )
    require(analis, db_, 2, critical=True)

    people = {
        "hendra": person("Hendra Gunawan", "19660510"),
        "citra": person("Citra Lestari", "19690820", "2"),
        "ani": person("Ani Wulandari", "19900115", "2"),
        "budi": person("Budi Santoso", "19720229"),
        "dedi": person("Dedi Siregar", "19671130"),
        "eka": person("Eka Putri", "19920707", "2"),
        "fajar": person("Fajar Nugroho", "19650101"),
    }
    assign(people["hendra"], kadis, dt.date(2015, 1, 1), kind="promosi")
    assign(people["citra"], kabid, dt.date(2021, 1, 1), kind="promosi")
    assign(people["ani"], pk, dt.date(2018, 1, 1), kind="initial")
    assign(people["budi"], pk, dt.date(2023, 1, 1))
    assign(people["dedi"], analis, dt.date(2020, 1, 1))
    assign(people["eka"], analis, dt.date(2022, 1, 1))
    assign(people["fajar"], pk, dt.date(2010, 1, 1), end=dt.date(2019, 12, 31))

    evidence(people["hendra"], lead, 4)
    evidence(people["citra"], lead, 3)
    evidence(people["citra"], sec, 1)
    evidence(people["ani"], db_, 4)
    evidence(people["ani"], sec, 2)
    evidence(people["budi"], db_, 2)
    evidence(people["budi"], sec, 3)
    evidence(people["budi"], db_, 3, achieved=dt.date(2026, 2, 1))
    evidence(people["dedi"], db_, 1)
    evidence(people["eka"], lead, 3)
    evidence(people["eka"], sec, 1)
    evidence(people["eka"], db_, 2, achieved=dt.date(2026, 1, 20))

    root = Site.objects.get(is_default_site=True).root_page
    index = CourseIndexPage(title="Katalog", slug="katalog-laporan")
    root.add_child(instance=index)
    keamanan = course(index, "keamanan", 8, [db_, sec])
    integritas = course(index, "integritas", 4, [lead])
    record(people["ani"], "8", course=keamanan)
    record(people["ani"], "12")
    record(people["budi"], "8", course=keamanan)
    record(people["budi"], "4")
    record(people["eka"], "4", course=integritas)
    record(people["eka"], "16")
    bssn = Provider.objects.create(name="Badan Siber dan Sandi Negara", kind="government")
    sandi = Offering.objects.create(
        provider=bssn,
        title="Pelatihan Manajemen Keamanan Informasi",
        jp_hours=Decimal("25"),
        path="klasikal",
        form="pelatihan",
        cost=Decimal("3500000"),
        link="https://bssn.go.id/pelatihan/",
    )
    OfferingCompetency.objects.create(offering=sandi, competency=sec, level=2, sort_order=0)
    OfferingRequest.objects.create(
        employee=people["citra"],
        offering=sandi,
        status="completed",
        decided_at=dates.start_of_day(dt.date(2026, 1, 10)),
        learning_record=record(people["citra"], "25"),
    )
    record(people["dedi"], "20")
    record(people["fajar"], "40")
    record(people["hendra"], "30", year=2025)

    return City(diskominfo, aptika, bkpsdm, db_, sec, lead, kadis, kabid, pk, analis, people)


@pytest.fixture
def hr(db: None) -> Client:
    user = UserFactory(username="kepala-bkpsdm")
    user.groups.add(hr_group())  # the HR group of the demo: with the Wagtail admin
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def head(city: City) -> Client:
    """Citra, who heads Bidang Aplikasi Informatika: a head, not HR."""
    user = UserFactory(username="citra")
    Employee.objects.filter(pk=city.people["citra"].pk).update(user=user)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pegawai(city: City) -> Client:
    user = UserFactory(username="ani")
    Employee.objects.filter(pk=city.people["ani"].pk).update(user=user)
    client = Client()
    client.force_login(user)
    return client

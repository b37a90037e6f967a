"""The JP ledger measures each person against the yearly target of their employment type:
``JP_ANNUAL_TARGET_PNS`` (PP 11/2017: at least 20) or ``JP_ANNUAL_TARGET_PPPK``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from courses import selectors, services
from tests.api.conftest import api_client  # noqa: F401  (shared fixture)
from tests.competencies.factories import EmployeeFactory, make_nip

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def people():
    pns = EmployeeFactory(name="Agus PNS")
    pppk = EmployeeFactory(
        name="Rina PPPK",
        nip=make_nip(birth="19950615", appointed="202121"),
        employment_type="pppk",
    )
    for person in (pns, pppk):
        services.learning_record_create(
            employee=person,
            title="Digital Talent Scholarship",
            jp_hours=Decimal(22),
            completed_date=dt.date(YEAR, 3, 1),
        )
    return pns, pppk


def test_both_targets_are_20_jp_by_default(people, settings) -> None:
    assert (settings.JP_ANNUAL_TARGET_PNS, settings.JP_ANNUAL_TARGET_PPPK) == (20, 20)
    for person in people:
        hours = selectors.learning_hours(employee=person, year=YEAR)
        assert (hours.target, hours.met, hours.percent) == (20, True, 100)


def test_a_pppk_is_measured_against_jp_annual_target_pppk(people, settings) -> None:
    pns, pppk = people
    settings.JP_ANNUAL_TARGET_PPPK = 24
    hours = selectors.learning_hours(employee=pppk, year=YEAR)
    assert (hours.target, hours.met, hours.remaining, hours.percent) == (
        24,
        False,
        Decimal(2),
        92,
    )
    assert selectors.learning_hours(employee=pns, year=YEAR).target == 20
    settings.JP_ANNUAL_TARGET_PNS = 30
    assert selectors.learning_hours(employee=pns, year=YEAR).target == 30
    assert selectors.learning_hours(employee=pppk, year=YEAR).target == 24


def test_the_hr_api_gives_each_person_their_own_target(people, settings, api_client) -> None:  # noqa: F811
    pns, pppk = people
    settings.JP_ANNUAL_TARGET_PPPK = 24
    response = api_client("learning:read").get("/api/v1/learning-hours/", {"year": YEAR})
    assert response.status_code == 200
    rows = {row["employee"]: row for row in response.json()["results"]}
    assert (rows[pns.pk]["target"], rows[pns.pk]["met"]) == (20, True)
    assert (rows[pppk.pk]["target"], rows[pppk.pk]["met"]) == (24, False)
    assert rows[pppk.pk]["total"] == 22

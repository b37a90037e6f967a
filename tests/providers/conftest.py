"""The test city (``tests.competencies.conftest``) with two partners and their offerings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from providers.models import Offering, Provider
from tests.competencies.conftest import city, hr_user  # noqa: F401  (shared fixtures)
from tests.providers.factories import make_offering, make_provider


@dataclass
class Partners:
    bssn: Provider
    its: Provider
    security: Offering
    database: Offering


@pytest.fixture
def partners(city) -> Partners:  # noqa: F811
    bssn = make_provider(
        mou_start_date=dt.date(2024, 1, 1),
        contact_email="diklat@bssn.go.id",
        website="https://bssn.go.id",
    )
    its = make_provider(
        "Institut Teknologi Sepuluh Nopember", kind="university", mou_number="123/IT2/KS/2025"
    )
    security = make_offering(
        bssn,
        "Pelatihan Penanganan Insiden Siber",
        builds=[(city.sec, 3)],
        jp="32",
        cost="3500000",
    )
    database = make_offering(
        its,
        "Administrasi Basis Data PostgreSQL",
        builds=[(city.db, 3)],
        jp="24",
        cost="1500000",
        path="nonklasikal",
        form="e_learning",
    )
    return Partners(bssn, its, security, database)

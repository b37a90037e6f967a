"""``seed_demo`` brings partners, offerings and requests, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from courses.models import LearningRecord
from providers.models import Offering, OfferingRequest, Provider, RequestStatus

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (
        Provider.objects.count(),
        Offering.objects.count(),
        OfferingRequest.objects.count(),
        LearningRecord.objects.filter(offering_request__isnull=False).count(),
    )


def test_seed_demo_brings_partners_once(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=StringIO())
    first = counts()
    assert first == (7, 9, 4, 1)
    assert set(Provider.objects.values_list("kind", flat=True)) == {
        "government",
        "university",
        "community",
        "vendor",
    }
    statuses = set(
        OfferingRequest.objects.filter(employee__user__username="demo.pegawai").values_list(
            "status", flat=True
        )
    )
    assert statuses == {RequestStatus.COMPLETED, RequestStatus.APPROVED, RequestStatus.REQUESTED}
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first

    client = Client(headers={"Accept-Language": "en"})
    client.login(username="demo.pegawai", password="tangkas-demo")
    page = client.get("/partners/")
    assert page.status_code == 200
    assert "9 offerings" in page.content.decode()
    mine = client.get("/me/partner-requests/").content.decode()
    assert "40 JP recorded" in mine

"""HR manages partners and offerings in the Wagtail admin; the forms apply the models' rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from competencies.demo import hr_group
from competencies.models import Competency
from providers.models import Offering, Provider

pytestmark = pytest.mark.django_db


def hr_client(hr_user) -> Client:
    hr_user.groups.add(hr_group())  # the HR group with its admin rights, as in production
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(hr_user)
    return client


def offering_form(provider: Provider, competency: Competency, level: int, **fields) -> dict:
    return {
        "provider": provider.pk,
        "title": "Pelatihan Arsitektur SPBE",
        "description": "",
        "jp_hours": "16",
        "path": "klasikal",
        "form": "pelatihan",
        "cost": "0",
        "start_date": "",
        "end_date": "",
        "link": "https://spbe.example.go.id",
        "is_active": "on",
        "competencies-TOTAL_FORMS": "1",
        "competencies-INITIAL_FORMS": "0",
        "competencies-MIN_NUM_FORMS": "1",
        "competencies-MAX_NUM_FORMS": "1000",
        "competencies-0-competency": competency.pk,
        "competencies-0-level": level,
        "competencies-0-ORDER": "1",
        "competencies-0-id": "",
        "competencies-0-DELETE": "",
        **fields,
    }


def test_hr_adds_a_partner_and_an_offering(city, hr_user) -> None:
    client = hr_client(hr_user)
    response = client.post(
        "/admin/partner_providers/new/",
        {
            "name": "Universitas Brawijaya",
            "kind": "university",
            "mou_number": "0312/UN10/KS/2026",
            "mou_start_date": "2026-01-15",
            "mou_end_date": "2026-01-14",
            "is_active": "on",
            "competencies": [city.db.pk],
        },
    )
    assert response.status_code == 200
    assert "The MoU cannot end before it starts." in response.content.decode()
    assert not Provider.objects.exists()
    response = client.post(
        "/admin/partner_providers/new/",
        {
            "name": "Universitas Brawijaya",
            "kind": "university",
            "mou_number": "0312/UN10/KS/2026",
            "mou_start_date": "2026-01-15",
            "mou_end_date": "2029-01-14",
            "is_active": "on",
            "competencies": [city.db.pk],
        },
    )
    assert response.status_code == 302
    provider = Provider.objects.get()
    assert list(provider.competencies.all()) == [city.db]

    refused = client.post("/admin/partner_offerings/new/", offering_form(provider, city.lead, 2))
    assert refused.status_code == 200
    assert "technical competencies only" in refused.content.decode()
    no_link = client.post(
        "/admin/partner_offerings/new/", offering_form(provider, city.sec, 2, link="")
    )
    assert "Give either the schedule (start date) or a link." in no_link.content.decode()
    assert not Offering.objects.exists()

    created = client.post("/admin/partner_offerings/new/", offering_form(provider, city.sec, 2))
    assert created.status_code == 302
    offering = Offering.objects.get()
    assert [(c.competency, c.level) for c in offering.competencies.all()] == [(city.sec, 2)]


def test_the_hr_group_gets_the_partner_rights_when_it_is_made(db) -> None:
    Group.objects.filter(name="HR").delete()
    group = hr_group()
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_provider", "change_offering", "delete_offeringrequest"} <= codenames
    assert "add_employee" in codenames


def test_a_person_cannot_reach_the_partner_admin(city) -> None:
    client = Client()
    client.force_login(city.ani.user)
    assert client.get("/admin/partner_providers/").status_code == 302

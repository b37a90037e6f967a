"""The partner catalogue: filters, a fixed number of queries whatever its size, and partner
offerings beside the recommended courses on a person's competency page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import dates
from tests.competencies.factories import UserFactory
from tests.providers.factories import make_offering, make_provider

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def queries(client: Client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_catalogue_asks_the_same_queries_whatever_its_size(city, partners) -> None:
    client = client_for(city.ani.user)
    small, body = queries(client, "/partners/")
    assert "2 offerings" in body
    for number in range(8):
        provider = make_provider(f"Mitra {number}", kind="community")
        make_offering(provider, f"Lokakarya {number}", builds=[(city.db, 2), (city.sec, 1)])
    large, body = queries(client, "/partners/")
    assert "10 offerings" in body
    assert large == small
    filtered_small, _ = queries(client, f"/partners/?competency={city.sec.pk}&path=klasikal")
    make_offering(make_provider("Mitra lain", kind="vendor"), "Lagi", builds=[(city.sec, 2)])
    filtered_large, _ = queries(client, f"/partners/?competency={city.sec.pk}&path=klasikal")
    assert filtered_large == filtered_small


def test_the_catalogue_filters(city, partners) -> None:
    client = client_for(city.ani.user)
    by_competency = client.get(f"/partners/?competency={city.db.pk}").content.decode()
    assert "PostgreSQL" in by_competency and "Insiden Siber" not in by_competency
    by_path = client.get("/partners/?path=klasikal").content.decode()
    assert "Insiden Siber" in by_path and "PostgreSQL" not in by_path
    by_provider = client.get(f"/partners/?provider={partners.its.pk}").content.decode()
    assert "PostgreSQL" in by_provider and "Insiden Siber" not in by_provider
    bad = client.get("/partners/?provider=999999&path=nowhere")
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "Select a valid choice" in body
    assert "2 offerings" in body  # an invalid filter filters nothing
    assert Client().get("/partners/").status_code == 302  # logged in only


def test_partner_offerings_for_the_gaps_beside_the_courses(city, partners) -> None:
    # Budi (Pranata Komputer) needs TIK-05 at 3 and holds 2: ITS's course attests level 3.
    # BSSN's attests TIK-13 at 3, which Budi already holds above the required 2.
    city.budi.user = UserFactory(username="budi")
    city.budi.save()
    make_offering(
        partners.its,
        "Basis Data Level 2",
        builds=[(city.db, 2)],  # not above Budi's current level: no help
        start_date=dates.today() + dt.timedelta(days=3),
    )
    body = client_for(city.budi.user).get("/me/competencies/").content.decode()
    section = body[body.index("Partner training for these gaps") :]
    assert "Administrasi Basis Data PostgreSQL" in section
    assert "Basis Data Level 2" not in section
    assert "Insiden Siber" not in section


def test_the_pages_speak_indonesian(city, hr_user, partners) -> None:
    client = Client(headers={"Accept-Language": "id"})
    client.force_login(city.ani.user)
    catalogue = client.get("/partners/").content.decode()
    assert "Pelatihan mitra" in catalogue
    assert "2 penawaran" in catalogue
    assert "Nonklasikal · E-learning" in catalogue
    detail = client.get(f"/partners/{partners.database.pk}/").content.decode()
    assert "Kirim pengajuan ke SDM" in detail
    hr = Client(headers={"Accept-Language": "id"})
    hr.force_login(hr_user)
    assert "Pengajuan pelatihan mitra" in hr.get("/partners/requests/").content.decode()

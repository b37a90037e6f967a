"""``GET /api/v1/providers/`` and ``GET /api/v1/offerings/``: cursor lists under
``learning:read``, a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import api_client  # noqa: F401  (shared fixture)
from tests.providers.factories import make_offering, make_provider

pytestmark = pytest.mark.django_db


def test_providers_list(api_client, partners) -> None:  # noqa: F811
    response = api_client("learning:read").get("/api/v1/providers/")
    assert response.status_code == 200
    results = {item["name"]: item for item in response.json()["results"]}
    bssn = results["Badan Siber dan Sandi Negara"]
    assert bssn["kind"] == "government"
    assert bssn["mou_number"] == "B-123/BSSN/HK.02.02/11/2026"
    assert bssn["mou_start_date"] == "2024-01-01"
    assert bssn["competencies"] == []
    only = api_client("learning:read").get("/api/v1/providers/?kind=university").json()
    assert [p["name"] for p in only["results"]] == ["Institut Teknologi Sepuluh Nopember"]


def test_offerings_list(api_client, city, partners) -> None:  # noqa: F811
    client = api_client("learning:read")
    response = client.get(f"/api/v1/offerings/?provider={partners.its.pk}")
    assert response.status_code == 200
    [offering] = response.json()["results"]
    assert offering == {
        "id": partners.database.pk,
        "provider": partners.its.pk,
        "provider_name": "Institut Teknologi Sepuluh Nopember",
        "title": "Administrasi Basis Data PostgreSQL",
        "description": "",
        "jp_hours": 24.0,
        "path": "nonklasikal",
        "form": "e_learning",
        "cost": 1500000.0,
        "start_date": None,
        "end_date": None,
        "link": "https://example.go.id/daftar",
        "is_active": True,
        "competencies": [{"competency": "TIK-05", "level": 3}],
        "updated_at": offering["updated_at"],
    }
    assert client.get("/api/v1/offerings/?form=nowhere").status_code == 400


def test_the_lists_need_learning_read(api_client, partners) -> None:  # noqa: F811
    client = api_client("gaps:read")
    for path in ("/api/v1/providers/", "/api/v1/offerings/"):
        response = client.get(path)
        assert response.status_code == 403
        assert response.json()["code"] == "insufficient_scope"


def test_the_lists_ask_the_same_queries_whatever_their_size(
    api_client,  # noqa: F811
    city,
    partners,
) -> None:
    client = api_client("learning:read")

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    before = (count("/api/v1/providers/"), count("/api/v1/offerings/"))
    for number in range(6):
        provider = make_provider(f"Mitra {number}", kind="community")
        provider.competencies.add(city.db, city.sec)
        make_offering(provider, f"Lokakarya {number}", builds=[(city.db, 2), (city.sec, 1)])
    assert (count("/api/v1/providers/"), count("/api/v1/offerings/")) == before

"""A 201 says where the new resource is (``Location``), on a replay of its Idempotency-Key
too, and the OpenAPI document declares it there."""

from __future__ import annotations

from tests.competencies.factories import make_nip


def test_a_created_person_is_where_location_says(city, api_client) -> None:
    client = api_client("employees:read employees:write")
    body = {"nip": make_nip(), "name": "Wulan Sari"}
    created = client.post("/api/v1/employees/", body, format="json", HTTP_IDEMPOTENCY_KEY="w-1")
    assert created.status_code == 201
    location = created["Location"]
    assert location == f"http://testserver/api/v1/employees/{created.json()['id']}/"
    assert client.get(location).json()["name"] == "Wulan Sari"

    replay = client.post("/api/v1/employees/", body, format="json", HTTP_IDEMPOTENCY_KEY="w-1")
    assert replay["Idempotent-Replayed"] == "true"
    assert replay["Location"] == location


def test_a_refused_create_has_no_location(city, api_client) -> None:
    refused = api_client("employees:write").post(
        "/api/v1/employees/", {"nip": "123", "name": "X"}, format="json"
    )
    assert refused.status_code == 400
    assert "Location" not in refused


def test_the_document_declares_location_on_each_create_with_a_detail(db) -> None:
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    with_location = sorted(
        path
        for path, operations in document["paths"].items()
        if "Location"
        in operations.get("post", {}).get("responses", {}).get("201", {}).get("headers", {})
    )
    assert with_location == [
        "/api/v1/certificates/",
        "/api/v1/employees/",
        "/api/v1/positions/",
        "/api/v1/webhooks/",
    ]

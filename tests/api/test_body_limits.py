"""JSON request bodies have a size limit, also where Django's own does not reach: DRF's JSON
parser reads the request stream itself, so ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (which guards
``request.body`` and forms) never sees it. Too large a body is a 413 problem, decided from the
``Content-Length`` before reading and from the bytes actually read; the bulk upsert has a
larger limit of its own, sized for its 5,000 rows."""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings as django_settings
from rest_framework.exceptions import APIException

from core.api.parsers import BulkJSONParser, LimitedJSONParser

PROBLEM = "application/problem+json"


def big_employee(size: int) -> dict:
    return {"nip": "198504122010031001", "name": "x" * size}


def test_a_json_body_past_djangos_own_limit_is_refused_with_a_413_problem(api_client) -> None:
    client = api_client("employees:write")
    over = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1000
    response = client.post("/api/v1/employees/", big_employee(over), format="json")
    assert (response.status_code, response["Content-Type"]) == (413, PROBLEM)
    problem = response.json()
    assert problem["code"] == "request_too_large" and problem["status"] == 413
    assert problem["title"] == "Content Too Large"
    assert str(django_settings.API_MAX_BODY_BYTES) in problem["detail"]


def test_the_limit_is_a_setting_and_a_body_within_it_is_read(api_client, settings) -> None:
    settings.API_MAX_BODY_BYTES = 2000
    client = api_client("employees:write")
    refused = client.post("/api/v1/employees/", big_employee(2000), format="json")
    assert refused.status_code == 413 and "2000" in refused.json()["detail"]
    read = client.post("/api/v1/employees/", big_employee(10), format="json")
    assert read.status_code == 201  # read and created


def test_the_bulk_upsert_has_its_own_larger_limit(api_client, settings) -> None:
    settings.API_MAX_BODY_BYTES = 2000
    settings.API_BULK_MAX_BODY_BYTES = 50_000
    client = api_client("employees:write")
    rows = [{"nip": "12345", "name": f"Pegawai {n}"} for n in range(100)]  # about 4 KB
    read = client.post("/api/v1/employees/bulk/", {"rows": rows}, format="json")
    assert read.status_code == 400 and read.json()["code"] == "import_rejected"
    refused = client.post("/api/v1/employees/bulk/", {"rows": rows * 20}, format="json")
    assert refused.status_code == 413 and "50000" in refused.json()["detail"]


def test_the_default_bulk_limit_holds_5000_rows_of_the_longest_fields() -> None:
    """Every field at its longest, the name in non-ASCII letters (\\uXXXX, 6 bytes each)."""
    row = {
        "nip": "19850412 201003 1 001",
        "name": "\u00e9" * 200,
        "rank": "III/a",
        "email": "a" * 243 + "@example.id",
        "status": "active",
        "position": "X" * 40,
        "tmt": "2025-01-02",
        "assignment_kind": "definitif",
        "decree_number": "8" * 100,
        "decree_date": "2024-12-20",
    }
    body = json.dumps({"rows": [row] * 5000}).encode()
    assert len(body) <= django_settings.API_BULK_MAX_BODY_BYTES


class _Request:
    def __init__(self, content_length: str | None) -> None:
        self.META = {} if content_length is None else {"CONTENT_LENGTH": content_length}


def parse(parser: LimitedJSONParser, body: bytes, content_length: str | None) -> object:
    return parser.parse(
        io.BytesIO(body), "application/json", {"request": _Request(content_length), "view": None}
    )


def test_a_stream_longer_than_its_declared_length_is_cut_off_at_the_limit(settings) -> None:
    """Behind a server that does not bound the stream by Content-Length (chunked uploads), the
    parser still reads no more than the limit and one byte."""
    settings.API_MAX_BODY_BYTES = 100
    assert parse(LimitedJSONParser(), b'{"a": 1}', None) == {"a": 1}
    body = json.dumps({"a": "x" * 200}).encode()
    for declared in (None, "", "10", "nonsense"):
        with pytest.raises(APIException) as raised:
            parse(LimitedJSONParser(), body, declared)
        assert raised.value.status_code == 413
    settings.API_BULK_MAX_BODY_BYTES = 1000
    assert parse(BulkJSONParser(), body, str(len(body))) == {"a": "x" * 200}


def test_the_schema_documents_the_413_of_every_operation_with_a_body() -> None:
    from rest_framework.test import APIClient

    document = (
        APIClient()
        .get("/api/v1/schema/?format=json", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        .json()
    )
    bulk = document["paths"]["/api/v1/employees/bulk/"]["post"]["responses"]
    assert bulk["413"]["content"]["application/problem+json"]
    assert "413" not in document["paths"]["/api/v1/employees/"]["get"]["responses"]

"""The inputs the OpenAPI document forbids are refused, field by field, and the ones it allows
reach the business rules: the cases the property-based run found, pinned (JSON types taken
as they are, blank and NUL values, bounds, the three server errors), and what the document
says of them."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import IntegrityError
from rest_framework.test import APIClient

from core.models import IdempotencyRecord
from tests.competencies.factories import make_nip

PROBLEM = "application/problem+json"


def errors(response) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    return [(error["field"], error["code"]) for error in response.json()["errors"]]


@pytest.fixture
def hr(api_client) -> APIClient:
    return api_client()


def test_json_bodies_take_each_type_as_the_document_names_it(city, hr) -> None:
    position = {"code": "EGOV-PK-2", "title": "Pranata Komputer", "org_unit": city.egov.pk}
    cases = [
        ({**position, "kind": "fungsional", "headcount": "2"}, ("headcount", "invalid")),
        ({**position, "kind": "fungsional", "is_head": "true"}, ("is_head", "invalid")),
        ({**position, "kind": "fungsional", "is_active": 1}, ("is_active", "invalid")),
        (
            {**position, "kind": "fungsional", "org_unit": str(city.egov.pk)},
            ("org_unit", "invalid"),
        ),
        ({**position, "kind": "fungsional", "headcount": 2.0}, ("headcount", "invalid")),
        ({**position, "kind": 1}, ("kind", "invalid_choice")),
        ({**position, "kind": "fungsional", "title": 12}, ("title", "invalid")),
    ]
    for body, expected in cases:
        assert errors(hr.post("/api/v1/positions/", body, format="json")) == [expected], body
    learning = {"employee": city.budi.pk, "title": "DTS", "completed_date": "2025-03-01"}
    refused = hr.post("/api/v1/learning-records/", {**learning, "jp_hours": "8"}, format="json")
    assert errors(refused) == [("jp_hours", "invalid")]
    taken = hr.post("/api/v1/learning-records/", {**learning, "jp_hours": 1.234}, format="json")
    assert taken.status_code == 201 and taken.json()["jp_hours"] == 1.23  # to the hundredth


def test_a_date_is_yyyy_mm_dd_and_nothing_else(city, hr) -> None:
    body = {"employee": city.budi.pk, "title": "DTS", "jp_hours": 8}
    for bad in ("20250301", "2025-W09-6", "2025-3-1", " 2025-03-01", "2025-02-30", 20250301):
        response = hr.post(
            "/api/v1/learning-records/", {**body, "completed_date": bad}, format="json"
        )
        assert errors(response) == [("completed_date", "invalid")], bad


def test_text_keeps_its_limits_as_sent_and_refuses_nul(city, hr) -> None:
    base = {"kind": "fungsional", "org_unit": city.egov.pk, "code": "EGOV-X"}
    too_long = hr.post("/api/v1/positions/", {**base, "title": "x" * 200 + " "}, format="json")
    assert errors(too_long) == [("title", "max_length")]
    nul = hr.post("/api/v1/positions/", {**base, "title": "Pranata\x00"}, format="json")
    assert errors(nul) == [("title", "null_characters_not_allowed")]
    spaces = hr.post("/api/v1/positions/", {**base, "title": "   "}, format="json")
    assert errors(spaces) == [("title", "only_whitespace")]
    trimmed = hr.post("/api/v1/positions/", {**base, "title": " Pranata "}, format="json")
    assert trimmed.status_code == 201 and trimmed.json()["title"] == "Pranata"


def test_a_partial_update_names_what_a_requirement_lacks(city, hr) -> None:
    """It was a KeyError (500): DRF skips a nested serializer's required fields in a PATCH."""
    path = f"/api/v1/positions/{city.pk_post.pk}/"
    lacking = {"requirements": [{"required_level": 1, "is_critical": False}]}
    assert errors(hr.patch(path, lacking, format="json")) == [
        ("requirements.0.competency", "required")
    ]
    requirement = {"competency": "tik-05", "required_level": 2}
    whole = hr.patch(path, {"requirements": [requirement]}, format="json")
    assert whole.status_code == 200
    assert whole.json()["requirements"] == [
        {"competency": "TIK-05", "required_level": 2, "is_critical": False}
    ]


def test_a_nul_in_a_bulk_row_is_a_field_error_not_a_database_error(city, hr) -> None:
    """It reached PostgreSQL (DataError, 500) through the lookup of the rows' positions."""
    rows = [
        {"nip": make_nip(), "name": "Satu", "position": "EGOV\x00", "tmt": "2025-01-02"},
        {"nip": make_nip(), "name": "Du\x00a"},
    ]
    response = hr.post("/api/v1/employees/bulk/", {"rows": rows}, format="json")
    assert errors(response) == [
        ("rows[0].position", "null_characters_not_allowed"),
        ("rows[0].position", "pattern"),
        ("rows[1].name", "null_characters_not_allowed"),
    ]


def test_a_key_given_up_while_it_was_claimed_is_claimed_again(city, hr) -> None:
    """The first request holding a key may fail and delete its claim between another's insert
    and its read: that was DoesNotExist (500). The key is free again, and taken."""
    real_create = IdempotencyRecord.objects.create
    raced = []

    def create(**fields):
        if not raced:
            raced.append(True)
            raise IntegrityError("the key was held a moment ago")
        return real_create(**fields)

    body = {"nip": make_nip(), "name": "Tepat Sekali"}
    with mock.patch.object(IdempotencyRecord.objects, "create", side_effect=create):
        response = hr.post("/api/v1/employees/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert raced and response.status_code == 201


def test_a_replay_says_what_the_first_answer_said(city, hr) -> None:
    body = {
        "employee": city.budi.pk,
        "title": "DTS",
        "jp_hours": 2.5,
        "completed_date": "2025-03-01",
    }
    first = hr.post("/api/v1/learning-records/", body, format="json", HTTP_IDEMPOTENCY_KEY="lr-1")
    again = hr.post("/api/v1/learning-records/", body, format="json", HTTP_IDEMPOTENCY_KEY="lr-1")
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert again.json()["jp_hours"] == 2.5  # a number, as first sent
    bad = {**body, "completed_date": "2999-01-01"}
    refused = hr.post("/api/v1/learning-records/", bad, format="json", HTTP_IDEMPOTENCY_KEY="lr-2")
    replayed = hr.post("/api/v1/learning-records/", bad, format="json", HTTP_IDEMPOTENCY_KEY="lr-2")
    assert (refused.status_code, replayed.status_code) == (400, 400)
    assert replayed["Content-Type"] == PROBLEM and replayed.json() == refused.json()
    too_long = hr.post(
        "/api/v1/learning-records/", body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 201
    )
    assert errors(too_long) == [("Idempotency-Key", "max_length")]


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/employees/", {"updated_since": ""}, "updated_since"),
        ("/api/v1/employees/", {"updated_since": "2025-01-01"}, "updated_since"),
        ("/api/v1/employees/", {"updated_since": "2025-01-01 08:00:00+07:00"}, "updated_since"),
        ("/api/v1/employees/", {"org_unit": ""}, "org_unit"),
        ("/api/v1/employees/", {"status": ""}, "status"),
        ("/api/v1/assignments/", {"employee": "1e3"}, "employee"),
        ("/api/v1/assignments/", {"employee": "0"}, "employee"),
        ("/api/v1/assignments/", {"active_on": "10/25/2006"}, "active_on"),
        ("/api/v1/positions/", {"page_size": "0"}, "page_size"),
        ("/api/v1/positions/", {"page_size": "1001"}, "page_size"),
        ("/api/v1/positions/", {"page_size": "null"}, "page_size"),
        ("/api/v1/positions/", {"code": "EGOV\x00"}, "code"),
        ("/api/v1/learning-hours/", {"year": ""}, "year"),
        ("/api/v1/akpk/", {"org_unit": "{aptika}", "format": ""}, "format"),
    ],
)
def test_a_query_parameter_is_refused_unless_the_document_allows_it(
    city, hr, path, query, field
) -> None:
    query = {name: value.format(aptika=city.aptika.pk) for name, value in query.items()}
    assert [name for name, _code in errors(hr.get(path, query))] == [field]


def test_updated_since_takes_every_moment_rfc_3339_allows(city, hr) -> None:
    for moment in (
        "0001-01-01T00:00:00+23:59",
        "9999-12-31T23:59:59-23:59",
        "2025-06-30T23:59:60Z",
    ):
        assert hr.get("/api/v1/employees/", {"updated_since": moment}).status_code == 200, moment


def test_the_document_states_what_the_server_enforces(client) -> None:
    document = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths, schemas = document["paths"], document["components"]["schemas"]

    def parameters(path: str, method: str) -> dict[str, dict]:
        return {p["name"]: p for p in paths[path][method].get("parameters", [])}

    assert "Idempotency-Key" in parameters("/api/v1/employees/", "post")
    assert "Idempotency-Key" not in parameters("/api/v1/employees/lookup/", "post")
    assert "Idempotency-Key" not in parameters("/api/v1/positions/{id}/", "patch")
    created = paths["/api/v1/employees/"]["post"]["responses"]
    assert "Idempotent-Replayed" in created["201"]["headers"]
    assert set(created) >= {"400", "409", "413", "415", "422", "429"}
    assert "422" not in paths["/api/v1/employees/"]["get"]["responses"]
    throttled = paths["/api/v1/positions/"]["get"]["responses"]["429"]
    assert throttled["headers"]["Retry-After"]["required"] is True
    page_size = parameters("/api/v1/positions/", "get")["page_size"]["schema"]
    assert (page_size["minimum"], page_size["maximum"]) == (1, 1000)
    nip = schemas["EmployeeInRequest"]["properties"]["nip"]
    assert nip["pattern"] == "^(?: *(?:[0-9] *){18})$" and nip["maxLength"] == 30
    level = schemas["RequirementIORequest"]["properties"]["required_level"]
    assert (level["minimum"], level["maximum"]) == (1, 5)
    assert schemas["PositionInRequest"]["properties"]["title"]["pattern"] == "^[^\\u0000]*$"
    # A position needs its TMT (in a bulk row); a TMT golongan its rank (a person).
    assert schemas["BulkRowRequest"]["anyOf"][2]["required"] == ["tmt"]
    assert schemas["EmployeeInRequest"]["anyOf"][2]["required"] == ["rank"]


def test_a_request_django_refuses_before_any_view_is_a_problem_too(city, hr, settings) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = hr.get("/api/v1/employees/", {f"p{n}": n for n in range(11)})
    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM)
    assert response.json()["code"] == "invalid"

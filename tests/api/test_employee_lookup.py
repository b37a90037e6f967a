"""No NIP in a URL: a person is found by NIP with ``POST /api/v1/employees/lookup/`` and the
NIP in the body; the list answers ``?nip=`` with a 400 that says where to go instead."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.competencies.factories import make_nip

PROBLEM = "application/problem+json"
LOOKUP = "/api/v1/employees/lookup/"


def test_the_lookup_answers_the_person_with_their_current_posts(city, api_client) -> None:
    client = api_client("employees:read")
    spaced = f"{city.ani.nip[:8]} {city.ani.nip[8:14]} {city.ani.nip[14]} {city.ani.nip[15:]}"
    response = client.post(LOOKUP, {"nip": spaced}, format="json")
    assert response.status_code == 200
    ani = response.json()
    assert (ani["id"], ani["nip"]) == (city.ani.pk, city.ani.nip)
    assert ani["current_positions"][0]["position_title"] == "Pranata Komputer"


def test_an_unknown_nip_is_a_404_problem(city, api_client) -> None:
    response = api_client("employees:read").post(LOOKUP, {"nip": make_nip()}, format="json")
    assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)
    assert response.json()["code"] == "employee_not_found"


def test_a_missing_nip_is_a_400_naming_the_field(city, api_client) -> None:
    response = api_client("employees:read").post(LOOKUP, {}, format="json")
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["nip"]


def test_the_lookup_needs_employees_read_and_sees_only_whom_the_caller_may_see(
    city, api_client, as_person, hr_user
) -> None:
    refused = api_client("gaps:read").post(LOOKUP, {"nip": city.ani.nip}, format="json")
    assert refused.status_code == 403
    # A civil servant sees only themselves: someone else's NIP is not revealed to exist.
    own = as_person(city.ani.user)
    assert own.post(LOOKUP, {"nip": city.ani.nip}, format="json").status_code == 200
    assert own.post(LOOKUP, {"nip": city.budi.nip}, format="json").status_code == 404
    head = as_person(city.kabid.user)  # heads Aptika, above Ani's team
    assert head.post(LOOKUP, {"nip": city.ani.nip}, format="json").status_code == 200
    hr = as_person(hr_user)
    assert hr.post(LOOKUP, {"nip": city.budi.nip}, format="json").status_code == 200
    assert APIClient().post(LOOKUP, {"nip": city.ani.nip}, format="json").status_code == 401


@pytest.mark.parametrize("query", [{"nip": "198504122010031001"}, {"nip": ""}])
def test_a_nip_in_the_query_string_is_refused_with_the_way_to_the_lookup(
    city, api_client, query
) -> None:
    response = api_client("employees:read").get("/api/v1/employees/", query)
    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM)
    problem = response.json()
    assert problem["code"] == "nip_in_url"
    assert "POST /api/v1/employees/lookup/" in problem["detail"]
    assert [error["field"] for error in problem["errors"]] == ["nip"]


def test_the_schema_has_the_lookup_and_no_nip_parameter_anywhere() -> None:
    document = (
        APIClient()
        .get("/api/v1/schema/?format=json", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        .json()
    )
    lookup = document["paths"]["/api/v1/employees/lookup/"]["post"]
    assert lookup["operationId"] == "employees_lookup"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            assert "nip" not in names, (method, path)

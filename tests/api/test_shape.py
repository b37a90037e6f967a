"""Authentication, scopes, and RFC 9457 problem responses everywhere."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from tests.api.conftest import new_client, token_for

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def test_create_api_client_prints_credentials_that_get_a_token() -> None:
    out = StringIO()
    call_command(
        "create_api_client", "SIMPEG Kota", "--scopes", "employees:read gaps:read", stdout=out
    )
    data = json.loads(out.getvalue())
    assert set(data) == {"client_id", "client_secret"}
    token = token_for(data["client_id"], data["client_secret"])
    assert token["token_type"] == "Bearer"
    assert set(token["scope"].split()) == {"employees:read", "gaps:read"}


def test_a_client_cannot_get_scopes_it_was_not_given() -> None:
    client_id, secret = new_client("Terbatas", "gaps:read")
    assert token_for(client_id, secret, scope="employees:write")["error"] == "invalid_scope"


def test_unknown_scopes_are_refused_by_the_command() -> None:
    with pytest.raises(CommandError, match="Unknown scopes"):
        call_command("create_api_client", "X", "--scopes", "everything", stdout=StringIO())


def test_no_credentials_is_a_401_problem() -> None:
    response = APIClient().get("/api/v1/employees/")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert (
        body["status"] == 401
        and body["title"] == "Unauthorized"
        and body["instance"] == "/api/v1/employees/"
    )


def test_a_missing_scope_is_a_403_problem_naming_it(api_client) -> None:
    response = api_client("gaps:read").get("/api/v1/employees/")
    assert response.status_code == 403 and response["Content-Type"] == PROBLEM
    assert (
        response.json()["code"] == "insufficient_scope"
        and "employees:read" in response.json()["detail"]
    )


def test_404_405_415_and_validation_are_problems(api_client) -> None:
    client = api_client()
    missing = client.get("/api/v1/employees/999999/")
    assert (missing.status_code, missing["Content-Type"]) == (404, PROBLEM)
    unknown_path = client.get("/api/v1/nothing-here/")
    assert (unknown_path.status_code, unknown_path["Content-Type"]) == (404, PROBLEM)
    wrong_method = client.delete("/api/v1/employees/")
    assert (wrong_method.status_code, wrong_method["Content-Type"]) == (405, PROBLEM)
    wrong_type = client.post("/api/v1/employees/", "nip=1", content_type="text/plain")
    assert (wrong_type.status_code, wrong_type["Content-Type"]) == (415, PROBLEM)
    invalid = client.post("/api/v1/employees/", {"nip": "123", "name": ""}, format="json")
    assert invalid.status_code == 400 and invalid["Content-Type"] == PROBLEM
    fields = {error["field"] for error in invalid.json()["errors"]}
    assert "name" in fields


def test_the_schema_and_docs_are_served() -> None:
    schema = APIClient().get(
        "/api/v1/schema/?format=json", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert schema.status_code == 200
    docs = APIClient().get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_the_docs_load_nothing_from_other_hosts_and_run_no_inline_script() -> None:
    html = APIClient().get("/api/v1/docs/").content.decode()
    assert "cdn." not in html and "//unpkg" not in html and "jsdelivr" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    # Every <script> has a src: the page's own script is served from a URL too.
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts)
    script = APIClient().get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()

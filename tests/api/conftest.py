"""API clients for the tests: OAuth2 clients with chosen scopes (tokens from /o/token/, the
real flow) and logged-in people of the ``city`` fixture."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.competencies.conftest import city, hr_user  # noqa: F401  (shared fixtures)

ALL_SCOPES = (
    "employees:read employees:write gaps:read learning:read certificates:read certificates:write"
    " webhooks:manage events:read"
)


@pytest.fixture(autouse=True)
def fresh_throttles() -> None:
    cache.clear()


def new_client(name: str, scopes: str) -> tuple[str, str]:
    out = StringIO()
    call_command("create_api_client", name, "--scopes", scopes, stdout=out)
    data = json.loads(out.getvalue())
    return data["client_id"], data["client_secret"]


def token_for(client_id: str, secret: str, scope: str | None = None) -> dict:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    form = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    response = APIClient().post("/o/token/", form, HTTP_AUTHORIZATION=f"Basic {basic}")
    return response.json()


@pytest.fixture
def api_client(db: None) -> Callable[[str], APIClient]:
    """``api_client("gaps:read employees:read")`` → an APIClient with a bearer token."""

    def make(scopes: str = ALL_SCOPES) -> APIClient:
        client_id, secret = new_client(f"HR system {scopes}", scopes)
        token = token_for(client_id, secret)["access_token"]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return make


@pytest.fixture
def as_person() -> Callable[..., APIClient]:
    def make(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make

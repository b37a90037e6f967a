"""Only registered API clients get and use tokens: nobody can register an OAuth application
through the web, and an application without an API-client record is refused at the token
endpoint and at the API (it used to be treated as an organisation-wide client)."""

from __future__ import annotations

import base64
import datetime as dt
import secrets

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from rest_framework.test import APIClient

from tests.api.conftest import new_client, token_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/o/applications/",
        "/o/applications/register/",
        "/o/authorize/",
        "/o/authorized-tokens/",
        "/o/.well-known/openid-configuration",
        "/o/userinfo/",
    ],
)
def test_only_the_token_endpoints_are_mounted(path: str, hr_user) -> None:
    client = APIClient()
    client.force_login(hr_user)  # even a logged-in HR officer cannot register an application
    assert client.get(path).status_code == 404
    assert client.post(path, {"name": "mine"}).status_code == 404
    assert not Application.objects.exists()


def _unregistered_application() -> tuple[Application, str]:
    secret = secrets.token_urlsafe(32)
    application = Application.objects.create(
        name="self-registered",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
    )
    return application, secret


def test_an_application_without_an_api_client_record_gets_no_token() -> None:
    application, secret = _unregistered_application()
    basic = base64.b64encode(f"{application.client_id}:{secret}".encode()).decode()
    response = APIClient().post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code in (400, 401)
    assert response.json()["error"] == "unauthorized_client"
    assert not AccessToken.objects.exists()


def test_a_token_of_an_unregistered_application_is_refused(city) -> None:
    application, _secret = _unregistered_application()
    token = AccessToken.objects.create(
        application=application,
        token=secrets.token_urlsafe(30),
        scope="employees:read gaps:read",
        expires=timezone.now() + dt.timedelta(hours=1),
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.token}")
    for path in ("/api/v1/org-units/", "/api/v1/employees/", "/api/v1/webhooks/"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response["Content-Type"] == "application/problem+json"


def test_a_registered_client_still_gets_its_token_and_scopes(city) -> None:
    client_id, secret = new_client("BKPSDM SIMPEG", "employees:read")
    token = token_for(client_id, secret)
    assert token["scope"] == "employees:read"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token['access_token']}")
    assert client.get("/api/v1/employees/").status_code == 200

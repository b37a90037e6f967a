"""The login page with and without single sign-on, local passwords switched off (on the site
and in the Wagtail admin), and a provider that cannot be reached."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from tests.competencies.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured(settings) -> None:
    """Sign-on configured (the pages here never reach the provider)."""
    settings.OIDC_ISSUER = "https://sso.kota.example/realms/asn"
    settings.OIDC_RP_CLIENT_ID = "tangkas"
    settings.OIDC_RP_CLIENT_SECRET = "secret"


def _password_form(html: str) -> bool:
    return 'name="password"' in html


def test_without_sign_on_the_login_page_is_as_before(client: Client) -> None:
    html = client.get("/login/").content.decode()
    assert _password_form(html) and "/sso/login/" not in html
    admin = client.get("/admin/login/").content.decode()
    assert _password_form(admin) and "/sso/login/" not in admin
    assert client.get("/sso/login/").status_code == 404
    UserFactory(username="siti", password="benar-sekali")
    assert (
        client.post("/login/", {"username": "siti", "password": "benar-sekali"}).status_code == 302
    )


def test_with_sign_on_the_button_comes_first(client: Client, configured: None) -> None:
    html = client.get("/login/?next=/dashboard/").content.decode()
    assert 'href="/sso/login/?next=/dashboard/"' in html
    assert _password_form(html)
    assert html.index("/sso/login/") < html.index('name="password"')
    assert "Masuk dengan SSO (single sign-on) kota" in html
    english = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in with the city's single sign-on" in english


def test_local_passwords_switched_off(client: Client, configured: None, settings) -> None:
    settings.LOCAL_LOGIN_ENABLED = False
    UserFactory(username="siti", password="benar-sekali")
    html = client.get("/login/").content.decode()
    assert "/sso/login/" in html and not _password_form(html)
    refused = client.post("/login/", {"username": "siti", "password": "benar-sekali"})
    assert refused.status_code == 403
    assert "Masuk dengan kata sandi dinonaktifkan" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_follows_the_same_rule(client: Client, configured: None, settings) -> None:
    UserFactory(username="editor", password="editor-pw", is_staff=True, is_superuser=True)
    page = client.get("/admin/login/?next=/admin/pages/")  # Wagtail's own, passwords allowed
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/sso/login/?next=/admin/pages/"' in html and _password_form(html)
    assert html.index("/sso/login/") < html.index('name="password"')
    settings.LOCAL_LOGIN_ENABLED = False
    to_sso = client.get("/admin/login/?next=/admin/pages/")
    assert to_sso.status_code == 302
    assert to_sso["Location"] == "/sso/login/?next=%2Fadmin%2Fpages%2F"
    refused = client.post("/admin/login/", {"username": "editor", "password": "editor-pw"})
    assert refused.status_code == 403 and "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_an_unreachable_provider_gets_a_clear_page(client: Client, settings) -> None:
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.OIDC_ISSUER = f"http://127.0.0.1:{port}"
    settings.OIDC_RP_CLIENT_ID = "tangkas"
    settings.OIDC_TIMEOUT = 2
    cache.clear()
    response = client.get("/sso/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "cannot be reached right now" in response.content.decode()


def test_nobody_could_log_in_is_a_startup_error(settings) -> None:
    settings.LOCAL_LOGIN_ENABLED = False
    settings.OIDC_ISSUER = ""
    with pytest.raises(SystemCheckError, match=r"identity\.E003"):
        call_command("check")
    settings.OIDC_ISSUER = "https://sso.kota.example/realms/asn"
    settings.OIDC_RP_CLIENT_ID = "tangkas"
    settings.OIDC_RP_CLIENT_SECRET = ""
    with pytest.raises(SystemCheckError, match=r"identity\.E001"):
        call_command("check")


def test_the_admin_logout_logs_out(client: Client) -> None:
    editor = UserFactory(username="editor", is_staff=True, is_superuser=True)
    client.force_login(editor)
    assert client.get("/admin/logout/").status_code == 405  # a POST, like Django's
    response = client.post("/admin/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session

"""Password guessing is stopped: after repeated failures for one user name from one address,
logins are refused for a while with a page that says so (in Indonesian by default), on the
site and in the Wagtail admin; HR and admin sessions end after a period of inactivity."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client

from competencies.access import HR_GROUP_NAME
from frontend.middleware import SESSION_KEY
from tests.competencies.factories import UserFactory

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str, path: str = "/login/"):
    return client.post(path, {"username": username, "password": password})


def test_repeated_failures_lock_the_user_name_from_that_address(settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="siti", password="benar-sekali")
    office = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        assert _login(office, "siti", "salah").status_code == 200  # the form, with its error
    locked = _login(office, "siti", "salah")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Login sementara dikunci" in html and '<html lang="id">' in html
    # Now even the right password is refused from there …
    assert _login(office, "siti", "benar-sekali").status_code == 429
    # … while another user name from the same office, and the same user elsewhere, log in.
    UserFactory(username="budi", password="rahasia-budi")
    assert _login(office, "budi", "rahasia-budi").status_code == 302
    assert _login(Client(REMOTE_ADDR="198.51.100.7"), "siti", "benar-sekali").status_code == 302


def test_the_lockout_page_speaks_english_on_request(settings) -> None:
    settings.AXES_FAILURE_LIMIT = 1
    client = Client(REMOTE_ADDR="203.0.113.10", HTTP_ACCEPT_LANGUAGE="en")
    response = _login(client, "nobody", "guess")
    assert response.status_code == 429
    assert "Login temporarily locked" in response.content.decode()


def test_the_wagtail_admin_login_is_protected_too(settings) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="editor", password="editor-pw", is_staff=True)
    client = Client(REMOTE_ADDR="203.0.113.11")
    _login(client, "editor", "x", path="/admin/login/")
    assert _login(client, "editor", "x", path="/admin/login/").status_code == 429
    assert _login(client, "editor", "editor-pw", path="/admin/login/").status_code == 429


def test_hr_and_admin_sessions_end_after_inactivity(settings) -> None:
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    hr_user = UserFactory(username="hr-idle")
    hr_user.groups.add(Group.objects.get_or_create(name=HR_GROUP_NAME)[0])
    client = Client()
    client.force_login(hr_user)
    assert client.get("/api/v1/org-units/").status_code == 200
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 29 * 60  # still within the limit
    session.save()
    assert client.get("/api/v1/org-units/").status_code == 200
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 31 * 60
    session.save()
    assert client.get("/api/v1/org-units/").status_code in (401, 403)
    response = client.get("/me/certificates/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_civil_servants_session_has_no_idle_timeout(settings) -> None:
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    user = UserFactory(username="pegawai-biasa")
    client = Client()
    client.force_login(user)
    assert SESSION_KEY not in client.session  # no idle clock for a civil servant
    with time_machine.travel(dt.timedelta(hours=5)):
        client.get("/")
    assert "_auth_user_id" in client.session

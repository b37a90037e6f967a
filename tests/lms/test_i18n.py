"""The site speaks Bahasa Indonesia by default and English on request."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_home_is_in_indonesian_by_default(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Lihat kursus" in html


@pytest.mark.django_db
def test_home_is_in_english_when_the_browser_asks(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Browse courses" in html


@pytest.mark.django_db
def test_the_language_switch_keeps_the_page(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/?from=switch"})
    assert response.status_code == 302
    assert response["Location"] == "/?from=switch"
    html = client.get("/").content.decode()
    assert "Browse courses" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Lihat kursus" in client.get("/").content.decode()


@pytest.mark.django_db
def test_time_zone_is_jakarta(settings) -> None:
    from django.utils import timezone

    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert str(timezone.get_current_timezone()) == "Asia/Jakarta"

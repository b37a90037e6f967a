"""Bahasa Indonesia first, English on request; the switch keeps the page; error pages speak
the site's language and wear its style."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.frontend.conftest import Demo


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/me/competencies/",
        "/me/history/",
        "/me/certificates/",
        "/dashboard/?sort=gap",
        "/dashboard/rotation/",
        "/dashboard/akpk/",
    ],
)
def test_the_language_switch_keeps_the_page(kepala: Client, demo: Demo, path: str) -> None:
    before = kepala.get(path)
    assert before.status_code == 200
    assert '<html lang="id">' in before.content.decode()
    assert ">Kursus</a>" in before.content.decode()
    # The switcher in the header posts the current page as ``next``.
    assert f'<input name="next" type="hidden" value="{path.replace("&", "&amp;")}">' in (
        before.content.decode()
    )
    response = kepala.post("/i18n/setlang/", {"language": "en", "next": path})
    assert response.status_code == 302
    assert response["Location"] == path
    html = kepala.get(path).content.decode()
    assert '<html lang="en">' in html
    assert ">Courses</a>" in html and ">Log out</button>" in html
    kepala.post("/i18n/setlang/", {"language": "id", "next": path})
    assert '<html lang="id">' in kepala.get(path).content.decode()


def test_pages_follow_the_browser_language(pegawai: Client, demo: Demo) -> None:
    english = pegawai.get("/me/competencies/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My competencies" in english and '<html lang="en">' in english
    indonesian = pegawai.get("/me/competencies/").content.decode()
    assert '<html lang="id">' in indonesian and ">Beranda</a>" in indonesian


def test_not_found_is_the_sites_own_page_in_its_language(client: Client, demo: Demo) -> None:
    response = client.get("/this/does/not/exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html and 'href="/static/frontend/css/site.css"' in html
    english = client.get("/this/does/not/exist/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Page not found" in english


def test_forbidden_is_the_sites_own_page_in_its_language(pegawai: Client, demo: Demo) -> None:
    response = pegawai.get("/dashboard/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Akses ditolak" in html and 'class="site-header"' in html
    english = pegawai.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Access denied" in english


def test_server_errors_get_the_sites_own_page(client: Client, demo: Demo) -> None:
    from frontend.views import server_error

    request = client.get("/").wsgi_request
    response = server_error(request)
    assert response.status_code == 500
    assert b"site.css" in response.content

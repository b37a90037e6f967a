"""Every kind of response carries the security headers: the site's pages, a lesson, the
verification pages and files, the API's JSON and its documentation, the Wagtail admin's login,
and the 404 and 403 answers of the site and the API. The headers are set in
``lms/settings/base.py`` for every environment (the Content-Security-Policy by
``lms/middleware.py``). HSTS is checked under the production values
(``lms/settings/production.py``; its ``check --deploy`` is in ``test_settings.py``) over HTTPS,
the only way a browser honours it."""

from __future__ import annotations

import pytest
from django.test import Client

from courses.models import LessonPage
from tests.certificates.conftest import certificate  # noqa: F401  (the fixture, shared)
from tests.courses.conftest import catalogue  # noqa: F401  (the fixture, shared)

HSTS = "max-age=31536000; includeSubDomains; preload"


@pytest.fixture
def production_hsts(settings) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


def assert_secure_headers(response, what: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, what
    assert "object-src 'none'" in policy and "base-uri 'self'" in policy, what
    assert response.headers.get("Strict-Transport-Security") == HSTS, what
    assert response.headers.get("X-Frame-Options") == "DENY", what
    assert response.headers.get("Referrer-Policy") == "same-origin", what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", what


def test_every_kind_of_response_carries_the_security_headers(
    production_hsts,
    catalogue,  # noqa: F811
    certificate,  # noqa: F811
) -> None:
    lesson = LessonPage.objects.live().descendant_of(catalogue.basics).first()
    assert lesson is not None
    anonymous = Client()  # a new client: its middleware reads the settings above
    learner = Client()
    learner.force_login(catalogue.learner.user)
    pages = [
        (anonymous, "/", 200, "home"),
        (anonymous, "/login/", 200, "login"),
        (anonymous, catalogue.basics.url, 200, "course page"),
        (learner, lesson.url, 200, "lesson"),
        (anonymous, "/verify/", 200, "verification form"),
        (anonymous, f"/verify/{certificate.code}/", 200, "a certificate's public page"),
        (anonymous, f"/verify/{certificate.code}/credential.json", 200, "a credential"),
        (anonymous, f"/verify/{certificate.code}/certificate.pdf", 200, "a certificate's PDF"),
        (anonymous, "/.well-known/did.json", 200, "the issuer's DID document"),
        (learner, "/api/v1/competencies/", 200, "API JSON"),
        (anonymous, "/api/v1/docs/", 200, "API docs"),
        (anonymous, "/admin/login/", 200, "Wagtail admin login"),
        (anonymous, "/no-such-page/", 404, "the site's 404"),
        (learner, "/dashboard/", 403, "the site's 403"),
        (anonymous, "/api/v1/no-such-resource/", 404, "the API's 404 problem"),
        (learner, "/api/v1/webhooks/", 403, "the API's 403 problem"),
        (anonymous, "/api/v1/employees/", 401, "the API's 401 problem"),
    ]
    for client, path, status, what in pages:
        response = client.get(path, secure=True)
        assert response.status_code == status, (what, response.status_code)
        assert_secure_headers(response, what)
    api_404 = anonymous.get("/api/v1/no-such-resource/", secure=True)
    assert api_404["Content-Type"] == "application/problem+json"


def test_no_hsts_over_plain_http(production_hsts, db) -> None:
    """A browser ignores HSTS sent over HTTP; Django sends it only over HTTPS (behind the
    proxy, X-Forwarded-Proto says which)."""
    response = Client().get("/login/")
    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"

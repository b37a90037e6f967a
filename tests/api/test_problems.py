"""Problem types resolve: every code an exception class declares has a page at
``<SITE_URL>/problems/<code>/`` in both languages, the ``type`` of real problem responses
answers 200, and an unknown code is a 404."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import get_resolver
from rest_framework.exceptions import APIException

from core.api.problems import PROBLEM_TYPES
from core.exceptions import ApplicationError
from tests.api.test_certificates_api import EXTERNAL

# Codes the plumbing answers with directly, not through an exception class.
DIRECT_CODES = {
    "invalid_idempotency_key",  # core.api.idempotency
    "idempotency_key_reused",
    "request_in_progress",
    "server_error",  # core.api.errors.api_server_error
    "error",  # an APIException without a code of its own
}


def _subclasses(cls: type) -> Iterator[type]:
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def declared_codes() -> dict[str, str]:
    """Every code an exception class of the project or of DRF declares, with the class."""
    for app in apps.get_app_configs():
        try:
            importlib.import_module(f"{app.name}.exceptions")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.exceptions":
                raise
    assert get_resolver().url_patterns  # imports every view module and the exceptions they define
    codes = {cls.code: cls.__qualname__ for cls in _subclasses(ApplicationError)}
    codes[ApplicationError.code] = ApplicationError.__qualname__
    codes.update({cls.default_code: cls.__qualname__ for cls in _subclasses(APIException)})
    return codes


def test_every_declared_code_has_a_page_in_both_languages(db) -> None:
    codes = declared_codes()
    assert {"overlapping_assignment", "insufficient_scope", "request_too_large"} <= set(codes)
    assert sorted(set(codes) - set(PROBLEM_TYPES)) == []
    assert sorted(DIRECT_CODES - set(PROBLEM_TYPES)) == []
    client = Client()
    for code in sorted({*codes, *DIRECT_CODES}):
        english = client.get(f"/problems/{code}/", HTTP_ACCEPT_LANGUAGE="en")
        indonesian = client.get(f"/problems/{code}/", HTTP_ACCEPT_LANGUAGE="id")
        assert english.status_code == indonesian.status_code == 200, code
        assert f"<code>{code}</code>" in english.text and f"<code>{code}</code>" in indonesian.text
        assert '<html lang="en">' in english.text and '<html lang="id">' in indonesian.text
        assert english.text.count("<h1>") == 1  # one heading names the page


def test_the_page_says_what_it_means_and_how_to_fix_it(db) -> None:
    english = Client().get("/problems/overlapping_assignment/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "The assignment overlaps another" in english
    assert "How to fix it" in english and "acting (Plt.)" in english
    indonesian = Client().get("/problems/overlapping_assignment/", HTTP_ACCEPT_LANGUAGE="id").text
    assert "Penugasan tumpang tindih" in indonesian and "Cara memperbaikinya" in indonesian
    index = Client().get("/problems/", HTTP_ACCEPT_LANGUAGE="en")
    assert index.status_code == 200 and 'href="/problems/overlapping_assignment/"' in index.text


@pytest.mark.parametrize(
    "code", ["no_such_code", "OVERLAPPING_ASSIGNMENT", "overlapping-assignment"]
)
def test_an_unknown_code_is_a_404(db, code: str) -> None:
    assert Client().get(f"/problems/{code}/").status_code == 404


def _resolves(problem: dict) -> str:
    """The problem's ``type`` is an absolute URL on this site whose page answers 200."""
    assert problem["type"] == f"{settings.SITE_URL}/problems/{problem['code']}/"
    page = Client().get(urlsplit(problem["type"]).path)
    assert page.status_code == 200, problem
    return problem["code"]


def test_the_type_of_real_problems_resolves(city, api_client, hr_user, as_person) -> None:
    reader = api_client("employees:read")
    writer = api_client("employees:write certificates:write")
    seen = {
        _resolves(reader.get("/api/v1/no-such-thing/").json()),  # not_found, outside DRF
        _resolves(reader.get("/api/v1/employees/999999/").json()),  # not_found
        _resolves(Client().get("/api/v1/employees/").json()),  # not_authenticated
        _resolves(reader.get("/api/v1/certificates/").json()),  # insufficient_scope
        _resolves(reader.delete("/api/v1/employees/").json()),  # method_not_allowed
        _resolves(
            writer.post("/api/v1/evidence/", "nip", content_type="text/plain").json()
        ),  # unsupported_media_type
        _resolves(
            writer.post("/api/v1/evidence/", "{", content_type="application/json").json()
        ),  # parse_error
        _resolves(writer.post("/api/v1/evidence/", {}, format="json").json()),  # invalid
        _resolves(as_person(hr_user).get("/api/v1/webhooks/").json()),  # forbidden
    }
    certificate = writer.post(
        "/api/v1/certificates/",
        {**EXTERNAL, "employee": city.budi.pk},
        format="json",
    ).json()
    revoke = f"/api/v1/certificates/{certificate['id']}/revoke/"
    assert writer.post(revoke, {"reason": "Wrong person"}, format="json").status_code == 200
    seen.add(_resolves(writer.post(revoke, {"reason": "Again"}, format="json").json()))
    assert {
        "not_found",
        "not_authenticated",
        "insufficient_scope",
        "method_not_allowed",
        "unsupported_media_type",
        "parse_error",
        "invalid",
        "forbidden",
        "already_revoked",
    } <= seen

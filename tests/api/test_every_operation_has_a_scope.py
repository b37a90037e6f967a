"""Every operation of the HR API names the scope an API client needs: the URL map is walked,
so a new endpoint without a rule fails here (deny by default: an operation without a scope is
refused to every client, see ``competencies.access.ApiAccess``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

# Public on purpose: the OpenAPI document and its docs, and certificate verification (anyone
# holding a certificate's code may check it; rate limited per address).
PUBLIC = {"/api/v1/schema/", "/api/v1/docs/", "/api/v1/certificates/verify/<str:code>/"}


def _api_views() -> list[tuple[str, type[APIView]]]:
    found: list[tuple[str, type[APIView]]] = []

    def walk(patterns: list, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and route.startswith("api/v1/"):
                view = getattr(entry.callback, "cls", None) or getattr(
                    entry.callback, "view_class", None
                )
                if view is not None:
                    found.append(("/" + route, view))

    walk(get_resolver().url_patterns, "")
    return found


def _methods(view: type[APIView]) -> list[str]:
    return [
        method.upper()
        for method in view.http_method_names
        if method not in ("options", "head") and hasattr(view, method)
    ]


def test_the_walk_finds_the_api() -> None:
    routes = {route for route, _view in _api_views()}
    assert len(routes) >= 25
    assert {"/api/v1/employees/", "/api/v1/webhooks/", "/api/v1/org-units/"} <= routes


def test_every_operation_names_a_known_scope() -> None:
    missing = []
    for route, view in _api_views():
        if route in PUBLIC:
            assert all(p is AllowAny for p in view.permission_classes) or route in {
                "/api/v1/schema/",
                "/api/v1/docs/",
            }, route
            continue
        scopes = getattr(view, "required_scopes", {})
        for method in _methods(view):
            needed = scopes.get(method, scopes.get("*"))
            alternatives = (needed,) if isinstance(needed, str) else tuple(needed or ())
            if not alternatives or not set(alternatives) <= set(settings.API_SCOPES):
                missing.append(f"{method} {route}: {needed!r}")
    assert missing == []


def test_a_token_without_the_scope_is_refused_everywhere(city, api_client) -> None:
    # A registered client whose one scope grants nothing of the read side of the API.
    client = api_client("webhooks:manage")
    for path in (
        "/api/v1/org-units/",
        "/api/v1/positions/",
        "/api/v1/employees/",
        "/api/v1/competencies/",
        "/api/v1/courses/",
        "/api/v1/certificates/",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "insufficient_scope"

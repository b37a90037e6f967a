"""drf-spectacular hooks for the OpenAPI document of ``/api/v1/``: the contract HR systems
generate their clients from, so it states what the server does, not more and not less.

- ``only_public_api`` keeps the operations under ``/api/v1/``;
- ``problem_responses`` gives each operation the error responses it can answer, as
  ``application/problem+json`` (401/403 where a caller is needed, 400 where there is input,
  413/415 where there is a body, 409/422 where a write may conflict or an ``Idempotency-Key``
  be reused, 404 and 429 everywhere), with ``Retry-After`` on the 429;
- ``idempotency_keys`` adds the ``Idempotency-Key`` header to the operations whose handler is
  ``@idempotent`` (``core.api.idempotency``), and ``Idempotent-Replayed`` to their responses;
- ``text_without_nul`` says of every text the client sends that it holds no NUL character
  (PostgreSQL cannot store one; every text field refuses it, ``core.api.fields``).

Which error responses an operation has is worked out from the view (its authentication, its
scopes, its decorators) and the operation (its parameters and body); an operation declares
one of its own (``409`` when a write may meet a conflict, with a description) with
``extend_schema(responses=...)``, and gets the problem body here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme

from core.api.errors import PROBLEM_CONTENT_TYPE

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {"type": "string"},
        "retry_after": {"type": "integer"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                },
                "required": ["field", "message", "code"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
ERRORS = {
    "400": "The request breaks the schema (errors name each field, with codes such as "
    "required, invalid, max_length), or a business rule the schema cannot express (codes "
    "that name the rule, such as nip_birth_date or unknown_competency)",
    "401": "No or invalid credentials",
    "403": "Not allowed for this client's scopes or this person's role",
    "404": "No such resource, or none the caller may see (an id in the path or the request, a "
    "stale cursor)",
    "409": "Conflicts with the current state, or a request with the same Idempotency-Key is "
    "still being processed",
    "413": "The request body is larger than the operation takes",
    "415": "The request body is not JSON (send Content-Type: application/json)",
    "422": "The Idempotency-Key was used with a different request",
    "429": "Too many requests; see Retry-After",
}
RETRY_AFTER = {
    "description": "Seconds to wait before trying again",
    "required": True,
    "schema": {"type": "integer", "minimum": 0},
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 200},
    "description": "Your id of this request (at most 200 characters; blank is the same as none). "
    "Retrying with the same key and body returns the first response (with "
    "Idempotent-Replayed: true) instead of doing it twice; the same key with another body is "
    "refused with 422, and while the first request runs with 409.",
}
IDEMPOTENT_REPLAYED = {
    "description": "true when this is the stored response of an earlier request with the same "
    "Idempotency-Key, replayed instead of doing it again",
    "required": False,
    "schema": {"type": "string", "enum": ["true"]},
}
#: Statuses a replay can repeat: whatever the operation answered, but for a server error
#: (the key is then given up) and the refusals that come before the key is looked at.
REPLAYABLE = re.compile(r"2\d\d|400|404|409")
#: No text the client sends holds a NUL character (``core.api.fields``).
WITHOUT_NUL = "^[^\\u0000]*$"


def only_public_api(endpoints: list[tuple[str, str, str, Any]], **kwargs: Any) -> list:
    """Keep only the operations under ``/api/v1/``: the contract HR systems rely on."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def _operations(result: dict[str, Any], generator: Any) -> Iterator[tuple[dict, Any, str]]:
    """Each operation of the document with its view class and method (``"post"``)."""
    views = {
        (re.sub(r"\{pk\}", "{id}", path), method.lower()): getattr(callback, "cls", None)
        for path, _regex, method, callback in (getattr(generator, "endpoints", None) or [])
    }
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            yield operation, views.get((path, method)), method


def _is_idempotent(view: Any, method: str) -> bool:
    return bool(getattr(getattr(view, method, None), "idempotent", False))


def _is_public(view: Any) -> bool:
    return view is not None and not getattr(view, "authentication_classes", True)


def _reads_only(view: Any, method: str) -> bool:
    """A POST that reads (a lookup, a what-if): its scope is a read scope."""
    scopes = (getattr(view, "required_scopes", None) or {}).get(method.upper(), ())
    scopes = (scopes,) if isinstance(scopes, str) else tuple(scopes)
    return bool(scopes) and all(scope.endswith(":read") for scope in scopes)


def problem_responses(result: dict[str, Any], generator: Any = None, **kwargs: Any) -> dict:
    """Every operation documents the errors it can answer as ``application/problem+json``."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for operation, view, method in _operations(result, generator):
        responses = operation.setdefault("responses", {})
        has_body = "requestBody" in operation
        has_input = has_body or any(
            parameter.get("in") in ("query", "header") for parameter in _parameters(operation)
        )
        codes = {"404", "429"}
        if not _is_public(view):
            codes |= {"401", "403"}
        if has_input or _is_idempotent(view, method):
            codes.add("400")
        if has_body:
            codes |= {"413", "415"}
        if _is_idempotent(view, method) and not _reads_only(view, method):
            codes |= {"409", "422"}
        for code in sorted(codes):
            responses.setdefault(code, {"description": ERRORS[code]})
        for code, response in responses.items():
            if code.startswith("4"):
                response.setdefault("content", {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}})
        responses["429"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER
    return result


def idempotency_keys(result: dict[str, Any], generator: Any = None, **kwargs: Any) -> dict:
    """The ``Idempotency-Key`` header where the handler honours it, and the header of replays."""
    for operation, view, method in _operations(result, generator):
        if not _is_idempotent(view, method):
            continue
        parameters = operation.setdefault("parameters", [])
        if not any(parameter.get("name") == "Idempotency-Key" for parameter in parameters):
            parameters.append(dict(IDEMPOTENCY_KEY))
        for code, response in operation.get("responses", {}).items():
            if REPLAYABLE.fullmatch(code):
                response.setdefault("headers", {})["Idempotent-Replayed"] = IDEMPOTENT_REPLAYED
    return result


LOCATION = {
    "description": "The URL of the resource just created",
    "required": True,
    "schema": {"type": "string", "format": "uri"},
}


def created_locations(result: dict[str, Any], generator: Any = None, **kwargs: Any) -> dict:
    """``Location`` on the 201 of the operations that set it (``core.api.created``)."""
    for operation, view, _method in _operations(result, generator):
        created = operation.get("responses", {}).get("201")
        if created is not None and getattr(view, "created_location", None):
            created.setdefault("headers", {})["Location"] = LOCATION
    return result


def text_without_nul(result: dict[str, Any], **kwargs: Any) -> dict:
    """Every text the client sends (query and path parameters, request bodies) is refused with
    a NUL character: the document says so with a pattern on each string that has none."""
    schemas = result.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if name.endswith("Request"):
            _forbid_nul(schema)
    for operation, _view, _method in _operations(result, None):
        for parameter in _parameters(operation):
            if parameter.get("in") in ("query", "path"):
                _forbid_nul(parameter.get("schema", {}))
        for media in operation.get("requestBody", {}).get("content", {}).values():
            _forbid_nul(media.get("schema", {}))
    return result


def _parameters(operation: dict[str, Any]) -> list[dict[str, Any]]:
    return operation.get("parameters", [])


def _forbid_nul(schema: Any) -> None:
    if not isinstance(schema, dict) or "$ref" in schema:
        return  # a component is handled once, by its name
    if (
        schema.get("type") == "string"
        and not {"enum", "format", "pattern"} & schema.keys()
        and schema.get("maxLength") != 0
    ):
        schema["pattern"] = WITHOUT_NUL
    for key in ("properties", "patternProperties"):
        for child in schema.get(key, {}).values():
            _forbid_nul(child)
    for key in ("items", "additionalProperties", "not"):
        _forbid_nul(schema.get(key))
    for key in ("oneOf", "anyOf", "allOf"):
        for child in schema.get(key, []):
            _forbid_nul(child)


class RegisteredClientScheme(DjangoOAuthToolkitScheme):
    """Documents ``RegisteredClientAuthentication`` as the same ``oauth2`` scheme (client
    credentials at ``/o/token/``); registered when ``core`` is ready (``core.apps``)."""

    target_class = "core.api.oauth.RegisteredClientAuthentication"

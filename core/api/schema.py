"""drf-spectacular hooks for the OpenAPI document of ``/api/v1/``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme

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
ERRORS = {
    "400": "The request is not valid (see errors)",
    "401": "No or invalid credentials",
    "403": "Not allowed for this client's scopes or this person's role",
    "404": "No such resource (or not visible to the caller)",
    "405": "Method not allowed",
    "409": "Conflicts with the current state",
    "415": "Unsupported media type",
    "422": "Idempotency-Key reused with another request",
    "429": "Too many requests; see Retry-After",
}


def only_public_api(endpoints: list[tuple[str, str, str, Any]], **kwargs: Any) -> list:
    """Keep only the operations under ``/api/v1/``: the contract HR systems rely on."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def problem_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Every operation documents its error responses as ``application/problem+json``."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            public = path.startswith("/api/v1/certificates/verify/") or path.startswith(
                "/api/v1/schema"
            )
            for code, description in ERRORS.items():
                if public and code in ("401", "403"):
                    continue
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/problem+json": {"schema": ref}},
                    },
                )
            if "requestBody" in operation:
                responses.setdefault(
                    "413",
                    {
                        "description": "The request body is larger than the operation takes",
                        "content": {"application/problem+json": {"schema": ref}},
                    },
                )
            if method in ("post", "put", "patch"):
                operation.setdefault("parameters", [])
                if method == "post" and not any(
                    p.get("name") == "Idempotency-Key" for p in operation["parameters"]
                ):
                    operation["parameters"].append(
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string", "maxLength": 200},
                            "description": "Retrying with the same key returns the first result instead of doing it twice.",
                        }
                    )
    return result


class RegisteredClientScheme(DjangoOAuthToolkitScheme):
    """Documents ``RegisteredClientAuthentication`` as the same ``oauth2`` scheme (client
    credentials at ``/o/token/``); registered when ``core`` is ready (``core.apps``)."""

    target_class = "core.api.oauth.RegisteredClientAuthentication"

"""Every API error is an RFC 9457 ``application/problem+json`` document.

``{"type", "title", "status", "detail", "instance", "code", "errors": [{field, message,
code}]}``; ``errors`` lists field-level problems of a validation failure (``rows[12].nip`` for
a bulk write). Application errors from the services and DRF's own exceptions (401, 403, 404,
405, 413 from ``core.api.parsers``, 415, 429, …) all pass through ``problem_exception_handler``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.api.problems import problem_type_url
from core.exceptions import ApplicationError

PROBLEM_CONTENT_TYPE = "application/problem+json"

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


def problem(
    *,
    status_code: int,
    code: str,
    detail: str,
    instance: str = "",
    errors: list[dict[str, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": problem_type_url(code),  # a page on this site that explains the code
        "title": _TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested ``ValidationError.detail`` as a flat list of ``{field, message, code}``."""
    if isinstance(detail, dict):
        items: list[dict[str, str]] = []
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            items.extend(_flatten(value, f"{prefix}.{name}".strip(".") if name else prefix))
        return items
    if isinstance(detail, list):
        if detail and all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            return [
                {
                    "field": prefix or "__all__",
                    "message": str(item),
                    "code": getattr(item, "code", "invalid"),
                }
                for item in detail
            ]
        items = []
        for index, value in enumerate(detail):
            if value:
                items.extend(_flatten(value, f"{prefix}[{index}]"))
        return items
    return [
        {
            "field": prefix or "__all__",
            "message": str(detail),
            "code": getattr(detail, "code", "invalid"),
        }
    ]


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, ApplicationError):
        body = problem(
            status_code=exc.status,
            code=exc.code,
            detail=str(exc),
            instance=instance,
            errors=[error.as_dict() for error in exc.errors],
        )
        return Response(body, status=exc.status, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code_status = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            status_code=code_status,
            code="invalid",
            detail=_("The request is not valid; see errors."),
            instance=instance,
            errors=_flatten(exc.detail),
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        body = problem(
            status_code=code_status, code=str(code), detail=str(detail), instance=instance
        )
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            body["retry_after"] = int(exc.wait) + 1
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    if code_status == status.HTTP_429_TOO_MANY_REQUESTS and "Retry-After" not in response:
        response["Retry-After"] = "60"
    return response


def problem_response(
    request: HttpRequest, status_code: int, code: str, detail: str
) -> JsonResponse:
    """A problem document outside DRF (400/404/500 that Django answers for API paths)."""
    return JsonResponse(
        problem(status_code=status_code, code=code, detail=detail, instance=request.path),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


@csrf_exempt
def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return problem_response(request, 404, "not_found", _("There is no such API resource."))


def api_bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """A request Django refuses before any view reads it (more than
    ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` parameters, a host it does not serve)."""
    return problem_response(request, 400, "invalid", _("The request could not be read."))


def api_server_error(request: HttpRequest) -> JsonResponse:
    return problem_response(
        request, 500, "server_error", _("Something went wrong on our side; it was logged.")
    )

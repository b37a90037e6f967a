"""Liveness and readiness probes.

``/healthz`` answers 200 whenever the process serves requests; it touches nothing else, so a
slow database never gets a healthy process restarted. ``/readyz`` answers 200 only when the
database and, if one is configured, the Celery broker answer; otherwise 503 with a JSON body
naming what failed — by the setting to look at, never with its host, port, database name or
the driver's message (those go to the log, for the operator). Neither is cached.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lms.celery import app
from lms.dbcheck import database_check

BROKER_TIMEOUT_SECONDS = 2.0
logger = logging.getLogger(__name__)
# What /readyz says of a failed dependency: which setting to check, nothing about the network.
PUBLIC_REASONS = {
    "database": "DATABASE_URL: the database does not answer",
    "broker": "CELERY_BROKER_URL: the broker does not answer",
}


def broker_check() -> str | None:
    """Return None when the configured broker accepts a connection, else a one-line reason."""
    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as connection:
            connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"CELERY_BROKER_URL: the broker does not answer: {reason}"
    return None


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    failures: dict[str, str] = {}

    db_error = database_check()
    checks["database"] = "ok" if db_error is None else "failed"
    if db_error:
        logger.warning("readiness: %s", db_error)
        failures["database"] = PUBLIC_REASONS["database"]

    if settings.CELERY_BROKER_URL:
        broker_error = broker_check()
        checks["broker"] = "ok" if broker_error is None else "failed"
        if broker_error:
            logger.warning("readiness: %s", broker_error)
            failures["broker"] = PUBLIC_REASONS["broker"]
    else:
        checks["broker"] = "not configured (tasks run in-process)"

    body: dict[str, object] = {"status": "ok" if not failures else "unavailable", "checks": checks}
    if failures:
        body["failed"] = failures
    return JsonResponse(body, status=200 if not failures else 503)

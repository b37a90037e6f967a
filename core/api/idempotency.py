"""``Idempotency-Key`` for creating POSTs: a retry with the same key and body returns the
first response instead of doing it twice; the same key with another body is refused.

The first request claims the key with a row under a unique constraint, so two concurrent
retries cannot both run; the response is stored when the request finishes. A claim left "in
progress" by a request that died (a killed worker) lapses after
``IDEMPOTENCY_IN_PROGRESS_SECONDS``, so the client can retry instead of meeting 409 forever.
Records hold request bodies, which may carry personal data: ``idempotency_records_purge`` (a
periodic task, ``core.idempotency_purge``) deletes them after ``IDEMPOTENCY_RETENTION_HOURS``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import PROBLEM_CONTENT_TYPE, problem
from core.api.identity import request_owner
from core.models import IdempotencyRecord

MAX_KEY_LENGTH = 200


def _owner(request: Request) -> str:
    return request_owner(request) or "user:"


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(view_method: Callable[..., Response]) -> Callable[..., Response]:
    @wraps(view_method)
    def wrapper(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return view_method(self, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            return Response(
                problem(
                    status_code=400,
                    code="invalid_idempotency_key",
                    detail=_("The Idempotency-Key is too long."),
                    instance=request.path,
                ),
                status=400,
                content_type=PROBLEM_CONTENT_TYPE,
            )
        owner, fingerprint = _owner(request), _fingerprint(request)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    owner=owner, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            record = IdempotencyRecord.objects.get(owner=owner, key=key)
            if record.fingerprint != fingerprint:
                return _refuse(
                    request,
                    422,
                    "idempotency_key_reused",
                    _("This Idempotency-Key was used with a different request."),
                )
            if record.status_code is None and not _take_over_lapsed(record, fingerprint):
                return _refuse(
                    request,
                    409,
                    "request_in_progress",
                    _("A request with this Idempotency-Key is still being processed."),
                )
            if record.status_code is not None:
                replay = Response(record.body, status=record.status_code)
                replay["Idempotent-Replayed"] = "true"
                return replay
        try:
            response = view_method(self, request, *args, **kwargs)
        except Exception:
            record.delete()  # nothing was done; the client may retry with the same key
            raise
        if response.status_code >= 500:
            record.delete()
        else:
            record.status_code = response.status_code
            record.body = response.data
            record.save(update_fields=["status_code", "body"])
        return response

    return wrapper


def _take_over_lapsed(record: IdempotencyRecord, fingerprint: str) -> bool:
    """Claim a key whose first request has been "in progress" for longer than the setting
    allows (it died); one conditional UPDATE, so two retries cannot both take it over."""
    now = timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.IDEMPOTENCY_IN_PROGRESS_SECONDS)
    taken = IdempotencyRecord.objects.filter(
        pk=record.pk, status_code__isnull=True, created_at__lt=cutoff
    ).update(created_at=now, fingerprint=fingerprint)
    return taken == 1


def idempotency_records_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the records older than ``IDEMPOTENCY_RETENTION_HOURS``; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=settings.IDEMPOTENCY_RETENTION_HOURS)
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _refuse(request: Request, status_code: int, code: str, detail: str) -> Response:
    return Response(
        problem(status_code=status_code, code=code, detail=detail, instance=request.path),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )

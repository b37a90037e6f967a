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
from rest_framework.renderers import JSONRenderer
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
            message = _("The Idempotency-Key is too long: at most %(max)s characters.") % {
                "max": MAX_KEY_LENGTH
            }
            return _refuse(
                request,
                400,
                "invalid_idempotency_key",
                message,
                errors=[{"field": "Idempotency-Key", "message": message, "code": "max_length"}],
            )
        owner, fingerprint = _owner(request), _fingerprint(request)
        record = _claim(owner, key, fingerprint)
        if record is None:
            return _refuse(
                request,
                409,
                "request_in_progress",
                _("A request with this Idempotency-Key is still being processed."),
            )
        if record.fingerprint != fingerprint:
            return _refuse(
                request,
                422,
                "idempotency_key_reused",
                _("This Idempotency-Key was used with a different request."),
            )
        if record.status_code is not None:
            replay = Response(
                record.body,
                status=record.status_code,
                content_type=PROBLEM_CONTENT_TYPE if record.status_code >= 400 else None,
            )
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
            # Stored as the client read it (a decimal is a JSON number, not the string
            # DjangoJSONEncoder would make of it), so that a replay says the same.
            record.body = json.loads(JSONRenderer().render(response.data))
            record.save(update_fields=["status_code", "body"])
        return response

    # The OpenAPI document lists the Idempotency-Key header on the operations marked so.
    wrapper.idempotent = True  # type: ignore[attr-defined]
    return wrapper


#: Claims of one key that may meet a request giving the same key up in between.
_CLAIM_ATTEMPTS = 3


def _claim(owner: str, key: str, fingerprint: str) -> IdempotencyRecord | None:
    """The record of ``key``: a new one, in progress, when this request claimed it; else the
    record of the request that did (whose ``status_code`` is set once it finished). ``None``
    when that request is still running, or keeps giving the key up and taking it again.

    The first request to insert the row holds the key (the unique constraint decides between
    two at once). A request that fails deletes its row, so the row a conflicting insert met may
    be gone when it is read: then the key is free again, and claimed again.
    """
    for _attempt in range(_CLAIM_ATTEMPTS):
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    owner=owner, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            record = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
            if record is None:
                continue
            if record.fingerprint != fingerprint or record.status_code is not None:
                return record
            if _take_over_lapsed(record, fingerprint):
                return record
            return None
    return None


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


def _refuse(
    request: Request,
    status_code: int,
    code: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
) -> Response:
    return Response(
        problem(
            status_code=status_code,
            code=code,
            detail=detail,
            instance=request.path,
            errors=errors,
        ),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )

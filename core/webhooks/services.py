"""Webhooks, the service: API clients subscribe to events and receive them by HTTP POST, signed with
HMAC-SHA256 over a timestamp, the event id and the body (``X-Tangkas-Signature:
t=<unix>,id=<event id>,v1=<hex>``, see ``sign``), sent only to public addresses
(``core.webhooks.targets``), retried with
exponential backoff by Celery, each attempt kept in the delivery log.

Events: ``certificate.issued``, ``certificate.revoked``, ``assignment.created``,
``evidence.recorded``. Payloads carry internal ids (never NIPs or names): the client fetches
details through the API with its own scopes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any

import urllib3
from django.db import transaction
from django.utils import timezone

from core.exceptions import FieldError, ValidationError
from core.models import WEBHOOK_EVENTS, WebhookDelivery, WebhookSubscription
from core.webhooks import targets

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 8


# Receivers should refuse a delivery whose timestamp is further than this from their clock
# (docs/API.md), and remember event ids for at least as long, to refuse replays.
SIGNATURE_TOLERANCE_SECONDS = 300


def sign(secret: str, body: bytes, *, timestamp: int, event_id: str) -> str:
    """``X-Tangkas-Signature``: ``t=<unix seconds>,id=<event id>,v1=<hex HMAC-SHA256>`` of
    ``"<t>.<id>." + body`` under the subscription's secret. Signing the time and the id with
    the body lets a receiver refuse a replayed or re-dated delivery."""
    message = f"{timestamp}.{event_id}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},id={event_id},v1={digest}"


@transaction.atomic
def webhook_subscribe(*, application: Any, url: str, events: list[str]) -> WebhookSubscription:
    """Subscribe an API client's ``application`` to ``events`` at ``url``.

    The URL must be a safe target (``core.webhooks.targets``); it is checked again at each
    send, since DNS can change."""
    try:
        targets.resolve_target(url)
    except targets.UnsafeTarget as exc:
        raise ValidationError(errors=[FieldError("url", str(exc), code="unsafe_url")]) from exc
    subscription = WebhookSubscription(application=application, url=url, events=sorted(set(events)))
    subscription.full_clean(exclude=["application"])
    subscription.save()
    return subscription


def event_publish(*, event: str, data: dict[str, Any]) -> int:
    """Queue a delivery for every active subscription to ``event``; returns how many."""
    return event_publish_many(event=event, items=[data])


def event_publish_many(*, event: str, items: list[dict[str, Any]]) -> int:
    """The same for many events of one kind at once (one query whatever their number)."""
    assert event in WEBHOOK_EVENTS, event
    subscriptions = list(
        WebhookSubscription.objects.filter(is_active=True, events__contains=[event])
    )
    if not subscriptions or not items:
        return 0
    occurred_at = timezone.now().isoformat()
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    subscription=subscription,
                    event=event,
                    payload={"event": event, "occurred_at": occurred_at, "data": data},
                )
                for data in items
                for subscription in subscriptions
            ]
        )
        for delivery in deliveries:
            transaction.on_commit(lambda pk=delivery.pk: _send_later(pk), robust=True)
    return len(deliveries)


def _send_later(delivery_id: int) -> None:
    # Imported here: the task module calls back into this one (delivery_attempt).
    from core.webhooks.tasks import webhook_deliver

    try:
        webhook_deliver.delay(delivery_id)
    except Exception:
        logger.warning("webhook delivery %s not queued: the broker did not take it", delivery_id)


class DeliveryFailed(Exception):
    pass


def delivery_attempt(*, delivery_id: int) -> WebhookDelivery:
    """Send one delivery once; raises ``DeliveryFailed`` so the task retries."""
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    if delivery.status == WebhookDelivery.Status.DELIVERED:
        return delivery
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    delivery.attempts += 1
    event_id = str(delivery.pk)  # the same on every retry, so receivers can deduplicate
    ok = False
    try:
        target = targets.resolve_target(delivery.subscription.url)  # again: DNS can change
        response = targets.send(
            target,
            body=body,
            timeout=TIMEOUT_SECONDS,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Tangkas-Webhooks/1",
                "X-Tangkas-Event": delivery.event,
                "X-Tangkas-Delivery": event_id,
                "X-Tangkas-Signature": sign(
                    delivery.subscription.secret,
                    body,
                    timestamp=int(time.time()),
                    event_id=event_id,
                ),
            },
        )
        delivery.response_code = response.status
        ok = 200 <= response.status < 300  # a redirect is an answer too, and never followed
        delivery.last_error = "" if ok else f"HTTP {response.status}"
    except targets.UnsafeTarget as exc:
        delivery.last_error = f"refused: {exc}"[:500]
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        delivery.last_error = type(exc).__name__
    if ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
    delivery.save(
        update_fields=["attempts", "response_code", "last_error", "status", "delivered_at"]
    )
    if not ok and delivery.status != WebhookDelivery.Status.FAILED:
        raise DeliveryFailed(delivery.last_error)
    return delivery

"""Webhooks, the service: API clients subscribe to events and receive them by HTTP POST, signed with
HMAC-SHA256 (``X-Tangkas-Signature: sha256=<hex of HMAC(secret, body)>``), retried with
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
from typing import Any

import requests
from django.db import transaction
from django.utils import timezone

from core.models import WEBHOOK_EVENTS, WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 8


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


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
    try:
        response = requests.post(
            delivery.subscription.url,
            data=body,
            timeout=TIMEOUT_SECONDS,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Tangkas-Webhooks/1",
                "X-Tangkas-Event": delivery.event,
                "X-Tangkas-Delivery": str(delivery.pk),
                "X-Tangkas-Signature": sign(delivery.subscription.secret, body),
            },
        )
        delivery.response_code = response.status_code
        ok = 200 <= response.status_code < 300
        delivery.last_error = "" if ok else f"HTTP {response.status_code}"
    except requests.RequestException as exc:
        ok = False
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

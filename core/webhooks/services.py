"""Webhooks, the service: API clients subscribe to events and receive them by HTTP POST, signed with
HMAC-SHA256 over a timestamp, the event id and the body (``X-Tangkas-Signature:
t=<unix>,id=<event id>,v1=<hex>``, see ``sign``), sent only to public addresses
(``core.webhooks.targets``), retried with exponential backoff by Celery, each attempt kept in
the delivery log.

Delivery is at least once: the event and its deliveries are written in the transaction of the
change they announce, the send is queued when it commits, and a periodic sweep
(``deliveries_overdue``) sends again what a down broker or a dead worker left behind. So a
receiver may get an event twice, and deduplicates by its id. A subscription whose deliveries
keep failing after every retry is disabled (``WEBHOOK_DISABLE_AFTER_FAILURES``) and says why.

Events (``core.models.WEBHOOK_EVENTS``) carry internal ids (never NIPs or names): the client
fetches details through the API with its own scopes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
from typing import Any

import urllib3
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events.services import events_record
from core.exceptions import FieldError, ValidationError
from core.models import WebhookDelivery, WebhookSubscription
from core.webhooks import targets

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 8
RETRY_DELAY_MAX_SECONDS = 3600
# A pending delivery this far past its due attempt lost its task (the sweep sends it again).
OVERDUE_AFTER = dt.timedelta(minutes=5)


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


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt after ``attempts`` failed ones: 2, 4, 8, … up to an hour."""
    return min(RETRY_DELAY_MAX_SECONDS, 2**attempts)


@transaction.atomic
def webhook_update(*, subscription: WebhookSubscription, is_active: bool) -> WebhookSubscription:
    """Switch a subscription on or off by its owner. Switching it on forgets the failures that
    disabled it; the events it missed meanwhile are in the feed (``GET /api/v1/events/``)."""
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.is_active = is_active
    if is_active:
        subscription.consecutive_failures = 0
        subscription.disabled_at = None
        subscription.disabled_reason = ""
    subscription.save(
        update_fields=[
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "updated_at",
        ]
    )
    return subscription


def event_publish(*, event: str, data: dict[str, Any]) -> int:
    """Record ``event`` and queue a delivery for every active subscription to it; returns how
    many deliveries. Call it inside the transaction of the change it announces."""
    return event_publish_many(event=event, items=[data])


@transaction.atomic
def event_publish_many(*, event: str, items: list[dict[str, Any]]) -> int:
    """The same for many events of one kind at once (three queries whatever their number)."""
    if not items:
        return 0
    event_ids = events_record(event=event, items=items)
    subscriptions = list(
        WebhookSubscription.objects.filter(is_active=True, events__contains=[event])
    )
    if not subscriptions:
        return 0
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(subscription=subscription, event_id=event_id)
            for event_id in event_ids
            for subscription in subscriptions
        ]
    )
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: _send_later(pk), robust=True)
    return len(deliveries)


def _send_later(delivery_id: int, *, redeliver: bool = False) -> None:
    # Imported here: the task module calls back into this one (delivery_attempt).
    from core.webhooks.tasks import webhook_deliver, webhook_redeliver

    task = webhook_redeliver if redeliver else webhook_deliver
    try:
        task.delay(delivery_id)
    except Exception:
        logger.warning("webhook delivery %s not queued: the broker did not take it", delivery_id)


@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Queue one more attempt of ``delivery`` now, whatever its status (its owner asks: the
    receiver lost it, or is back). The attempt is made by a worker once this commits."""
    transaction.on_commit(lambda: _send_later(delivery.pk, redeliver=True), robust=True)
    return delivery


def deliveries_overdue() -> int:
    """Queue again every pending delivery whose attempt is long overdue; returns how many."""
    cutoff = timezone.now() - OVERDUE_AFTER
    overdue = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for delivery_id in overdue:
        _send_later(delivery_id)
    return len(overdue)


class DeliveryFailed(Exception):
    def __init__(self, message: str, *, retry_in: int) -> None:
        super().__init__(message)
        self.retry_in = retry_in


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the event to the subscription's URL once: ``(status or None, error or "")``."""
    body = json.dumps(delivery.event.as_payload(), separators=(",", ":"), sort_keys=True).encode()
    event_id = str(delivery.event_id)  # the same on every retry, so receivers can deduplicate
    try:
        target = targets.resolve_target(delivery.subscription.url)  # again: DNS can change
        response = targets.send(
            target,
            body=body,
            timeout=TIMEOUT_SECONDS,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Tangkas-Webhooks/1",
                "X-Tangkas-Event": delivery.event.type,
                "X-Tangkas-Delivery": event_id,
                "X-Tangkas-Signature": sign(
                    delivery.subscription.secret,
                    body,
                    timestamp=int(time.time()),
                    event_id=event_id,
                ),
            },
        )
    except targets.UnsafeTarget as exc:
        return None, f"refused: {exc}"[:500]
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        return None, type(exc).__name__
    ok = 200 <= response.status < 300  # a redirect is an answer too, and never followed
    return response.status, "" if ok else f"HTTP {response.status}"


def delivery_attempt(*, delivery_id: int, manual: bool = False) -> WebhookDelivery:
    """Send one delivery once.

    An automatic attempt (``manual=False``) skips a delivered one, gives up on an inactive
    subscription, and when it fails either raises ``DeliveryFailed`` with the delay before the
    next try (the task retries) or, after ``MAX_ATTEMPTS``, marks the delivery failed and
    counts it against the subscription. A manual attempt (a redelivery asked for through the
    API) sends whatever the status and never raises; its success resets the count."""
    delivery = WebhookDelivery.objects.select_related("subscription", "event").get(pk=delivery_id)
    if not manual and delivery.status == WebhookDelivery.Status.DELIVERED:
        return delivery
    if not manual and not delivery.subscription.is_active:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
        delivery.last_error = "subscription disabled"
        delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
        return delivery
    response_code, error = _post(delivery)
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_code = response_code
    delivery.last_error = error
    if not error:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        WebhookSubscription.objects.filter(
            pk=delivery.subscription_id, consecutive_failures__gt=0
        ).update(consecutive_failures=0)
    elif not manual and delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    elif not manual:
        delivery.next_attempt_at = now + dt.timedelta(seconds=retry_delay(delivery.attempts))
    delivery.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "response_code",
            "last_error",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    if manual or not error:
        return delivery
    if delivery.status == WebhookDelivery.Status.FAILED:
        _count_failure(delivery.subscription_id, error=error)
        return delivery
    raise DeliveryFailed(error, retry_in=retry_delay(delivery.attempts))


@transaction.atomic
def _count_failure(subscription_id: int, *, error: str) -> None:
    """One more delivery failed for good: disable the subscription past the threshold."""
    WebhookSubscription.objects.filter(pk=subscription_id).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription_id)
    threshold = settings.WEBHOOK_DISABLE_AFTER_FAILURES
    if subscription.is_active and subscription.consecutive_failures >= threshold:
        subscription.is_active = False
        subscription.disabled_at = timezone.now()
        subscription.disabled_reason = _(
            "Disabled after %(count)s deliveries in a row failed after every retry; the last "
            "one: %(error)s. Fix the receiver, then switch the subscription back on."
        ) % {"count": subscription.consecutive_failures, "error": error}
        subscription.save(
            update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"]
        )
        logger.warning("webhook subscription %s disabled after failures", subscription_id)

"""The webhook tasks: one attempt per run, retried with exponential backoff; one attempt asked
for by the subscription's owner; and the sweep of deliveries a lost task left behind.

The delivery task's name stays ``lms.webhook_deliver`` (where it was first defined) so that
deliveries already queued by an older release are still taken by a worker of this one.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.webhooks.services import (
    MAX_ATTEMPTS,
    DeliveryFailed,
    deliveries_overdue,
    delivery_attempt,
)


@shared_task(bind=True, name="lms.webhook_deliver", max_retries=MAX_ATTEMPTS)
def webhook_deliver(self: Any, delivery_id: int) -> str:
    # The delivery counts its own attempts and gives up after MAX_ATTEMPTS; the delay before
    # the next one is the service's, so the delivery log can say when it is due.
    try:
        return delivery_attempt(delivery_id=delivery_id).status
    except DeliveryFailed as exc:
        raise self.retry(countdown=exc.retry_in, exc=exc) from exc


@shared_task(name="core.webhook_redeliver")
def webhook_redeliver(delivery_id: int) -> str:
    return delivery_attempt(delivery_id=delivery_id, manual=True).status


@shared_task(name="core.webhook_deliveries_sweep")
def webhook_deliveries_sweep() -> int:
    return deliveries_overdue()

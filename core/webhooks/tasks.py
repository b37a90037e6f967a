"""The webhook delivery task: one attempt per run, retried with exponential backoff.

The task name stays ``lms.webhook_deliver`` (where it was first defined) so that deliveries
already queued by an older release are still taken by a worker of this one.
"""

from __future__ import annotations

from celery import shared_task

from core.webhooks.services import MAX_ATTEMPTS, DeliveryFailed, delivery_attempt


@shared_task(
    name="lms.webhook_deliver",
    autoretry_for=(DeliveryFailed,),
    retry_backoff=2,
    retry_backoff_max=3600,
    retry_jitter=False,
    max_retries=MAX_ATTEMPTS - 1,
)
def webhook_deliver(delivery_id: int) -> str:
    return delivery_attempt(delivery_id=delivery_id).status

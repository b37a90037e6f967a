"""The bottom layer's Celery tasks, where Celery's autodiscovery (``<app>.tasks``) finds them."""

from celery import shared_task

from core.api.idempotency import idempotency_records_purge
from core.webhooks.tasks import webhook_deliver

__all__ = ["idempotency_purge", "webhook_deliver"]


@shared_task(name="core.idempotency_purge")
def idempotency_purge() -> int:
    """Delete idempotency records past their retention (they hold request bodies)."""
    return idempotency_records_purge()

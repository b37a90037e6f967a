"""The bottom layer's Celery tasks, where Celery's autodiscovery (``<app>.tasks``) finds them."""

from celery import shared_task

from core.api.idempotency import idempotency_records_purge
from core.events.services import events_purge
from core.webhooks.tasks import webhook_deliver

__all__ = ["event_purge", "idempotency_purge", "webhook_deliver"]


@shared_task(name="core.idempotency_purge")
def idempotency_purge() -> int:
    """Delete idempotency records past their retention (they hold request bodies)."""
    return idempotency_records_purge()


@shared_task(name="core.events_purge")
def event_purge() -> int:
    """Delete events past ``EVENTS_RETENTION_DAYS`` that no delivery still has to send."""
    return events_purge()

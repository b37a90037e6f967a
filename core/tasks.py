"""The bottom layer's Celery tasks, where Celery's autodiscovery (``<app>.tasks``) finds them."""

from core.webhooks.tasks import webhook_deliver

__all__ = ["webhook_deliver"]

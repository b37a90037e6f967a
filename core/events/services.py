"""Recording events: one row per event, written in the caller's transaction, so an event
exists exactly when the change it announces was committed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from core.models import WEBHOOK_EVENTS, Event, WebhookDelivery


@transaction.atomic
def events_record(*, event: str, items: list[dict[str, Any]]) -> list[int]:
    """Store one ``event`` of this type per item of ``items`` (each a ``data`` of ids); returns
    their ids in order. One INSERT … SELECT FROM json_array_elements for any number (a bulk upsert announces
    thousands of assignments at once; Django's bulk_create builds a model per row first)."""
    assert event in WEBHOOK_EVENTS, event
    if not items:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Event._meta.db_table} (type, data, occurred_at)
            SELECT %s, item.data::jsonb, %s
            FROM json_array_elements(%s::json) WITH ORDINALITY AS item(data, position)
            ORDER BY item.position
            RETURNING id
            """,  # noqa: S608 (the table name is the model's; every value is a parameter)
            # One JSON document for all items: an array parameter is quoted element by
            # element in Python, several times slower at thousands of events.
            [event, timezone.now(), json.dumps(items, cls=DjangoJSONEncoder)],
        )
        return [pk for (pk,) in cursor.fetchall()]


def events_purge(*, now: Any = None) -> int:
    """Delete the events older than ``EVENTS_RETENTION_DAYS`` that no delivery still has to
    send (their finished deliveries go with them); returns how many. A receiver that was down
    longer than that catches up from its own records, not the feed (docs/API.md, "Webhooks")."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.EVENTS_RETENTION_DAYS)
    pending = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
    _deleted, per_model = (
        Event.objects.filter(occurred_at__lt=cutoff)
        .exclude(pk__in=pending.values("event_id"))
        .delete()
    )
    return per_model.get(Event._meta.label, 0)

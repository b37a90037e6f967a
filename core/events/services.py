"""Recording events: one row per event, written in the caller's transaction, so an event
exists exactly when the change it announces was committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.models import WEBHOOK_EVENTS, Event


@transaction.atomic
def events_record(*, event: str, items: list[dict[str, Any]]) -> list[Event]:
    """Store one ``event`` of this type per item of ``items`` (each a ``data`` of ids)."""
    assert event in WEBHOOK_EVENTS, event
    return Event.objects.bulk_create([Event(type=event, data=data) for data in items])

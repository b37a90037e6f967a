"""Reading the event feed."""

from __future__ import annotations

from collections.abc import Collection

from core.models import Event, EventQuerySet


def event_list(*, after: Event | None = None, types: Collection[str] = ()) -> EventQuerySet:
    """Settled events in the feed's order, after ``after`` when given, of ``types`` when given
    (``EventQuerySet.settled`` says why the order is not the id's)."""
    events = Event.objects.settled()
    if after is not None:
        events = events.after(after)
    if types:
        events = events.filter(type__in=list(types))
    return events.in_feed_order()

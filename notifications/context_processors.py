"""The header's "Notifications (n)": the unread count, asked only when the page shows it (one
query on a partial index), never for an anonymous visitor."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    def count() -> int:
        cached = getattr(request, "_tangkas_unread", None)
        if cached is None:
            user = getattr(request, "user", None)
            cached = unread_count(user=user) if user is not None else 0
            request._tangkas_unread = cached
        return cached

    return {"notifications_unread": count}

"""Who is calling, as a stable key: an API client by its OAuth2 client id, a person by their
user id. Used to key idempotency records and throttles; what the caller may *see* is decided
by ``competencies.access``."""

from __future__ import annotations

from typing import Any

from oauth2_provider.models import AccessToken


def request_owner(request: Any) -> str | None:
    """``client:<client_id>``, ``user:<pk>``, or ``None`` for an anonymous caller."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, AccessToken):
        return f"client:{auth.application.client_id}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None

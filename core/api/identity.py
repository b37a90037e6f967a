"""Who is calling, as a stable key: an API client by its OAuth2 client id, a person by their
user id (``request_owner``), and the address a request came from (``client_ip``). Used to key
idempotency records, API throttles, the verification page's rate limit and the login lockout;
what the caller may *see* is decided by ``competencies.access``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
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


def client_ip(request: Any) -> str:
    """The address of the client, trusting exactly ``TRUSTED_PROXY_COUNT`` proxies.

    With no trusted proxy (the default) it is ``REMOTE_ADDR``: a client-sent
    ``X-Forwarded-For`` is ignored, so nobody can pick the address their limits count against.
    Behind N proxies that each append the address they received from, the client is the N-th
    entry from the right of ``X-Forwarded-For`` (entries to its left are the client's own
    claims). One setting drives the API throttles, the verification page's rate limit and the
    login lockout.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]

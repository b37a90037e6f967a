"""Throttling per API client (or logged-in person) and per anonymous address; 429 with
``Retry-After``. Rates come from settings (``API_RATE_CLIENT``, ``API_RATE_ANON``)."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from core.api.identity import request_owner


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        owner = request_owner(request)
        if owner is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": owner}


class AnonymousRateThrottle(SimpleRateThrottle):
    scope = "anon"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request_owner(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class VerifyRateThrottle(SimpleRateThrottle):
    """Public certificate verification: per address, whoever asks, so codes cannot be enumerated."""

    scope = "verify"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

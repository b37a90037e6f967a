"""Throttling per API client (or logged-in person) and per anonymous address; 429 with
``Retry-After``. Rates come from settings (``API_RATE_CLIENT``, ``API_RATE_ANON``); addresses
come from ``core.api.identity.client_ip`` (``TRUSTED_PROXY_COUNT``), never from a header the
client could set."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from core.api.identity import client_ip, request_owner


class _AddressedThrottle(SimpleRateThrottle):
    def get_ident(self, request: Any) -> str:
        return client_ip(request)


class ClientRateThrottle(_AddressedThrottle):
    scope = "client"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        owner = request_owner(request)
        if owner is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": owner}


class AnonymousRateThrottle(_AddressedThrottle):
    scope = "anon"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request_owner(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class VerifyRateThrottle(_AddressedThrottle):
    """Public certificate verification: per address, whoever asks, so codes cannot be enumerated."""

    scope = "verify"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

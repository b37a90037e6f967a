"""One trusted-proxy setting decides a client's address for the API throttles, the verification
page's rate limit and the login lockout; a client-sent X-Forwarded-For never does."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from core.api.identity import client_ip
from core.api.throttles import VerifyRateThrottle


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "203.0.113.9"),
        (0, "1.2.3.4", "203.0.113.9"),  # no trusted proxy: the header is the client's claim
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # the proxy appended the real address
        (2, "1.2.3.4, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (3, "198.51.100.7", "198.51.100.7"),  # fewer entries than proxies: the left-most
        (1, "", "203.0.113.9"),
    ],
)
def test_client_ip_trusts_exactly_the_configured_proxies(
    settings, proxies: int, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": "203.0.113.9"}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **meta)) == expected


def test_a_spoofed_forwarded_for_does_not_escape_the_verification_limit(db, settings) -> None:
    settings.VERIFY_RATE = "2/m"
    settings.TRUSTED_PROXY_COUNT = 0
    cache.clear()
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        client.get(f"/verify/{n:026d}/", HTTP_X_FORWARDED_FOR=f"10.9.8.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [404, 404, 429, 429]
    cache.clear()


def test_a_spoofed_forwarded_for_does_not_escape_the_api_throttle(
    db, settings, monkeypatch
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    monkeypatch.setattr(VerifyRateThrottle, "THROTTLE_RATES", {"verify": "2/min"})
    cache.clear()
    try:
        client = Client(REMOTE_ADDR="203.0.113.9")
        statuses = [
            client.get(
                f"/api/v1/certificates/verify/{n:026d}/", HTTP_X_FORWARDED_FOR=f"10.9.8.{n}"
            ).status_code
            for n in range(4)
        ]
    finally:
        cache.clear()
    assert statuses[2:] == [429, 429] and 429 not in statuses[:2]

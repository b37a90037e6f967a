"""Webhooks cannot be aimed at the city's own network (SSRF): https only, public addresses only
at registration and again at each send (DNS rebinding), the checked address is the one
connected to, and redirects are never followed."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import pytest

from core.models import WebhookDelivery, WebhookSubscription
from core.webhooks import services as webhooks
from core.webhooks import targets
from tests.api.test_webhooks import Receiver, subscribe

PUBLIC = "93.184.215.14"  # a globally routable address (never connected to in these tests)


class FakeDNS:
    """``socket.getaddrinfo`` for one made-up host name, answering from a list in turn (the
    last answer repeats): how DNS rebinding looks to the application."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, host: str, answers: list[str]) -> None:
        self.host, self.answers, self.calls = host, answers, 0
        real = socket.getaddrinfo

        def fake(name, port, *args, **kwargs):  # type: ignore[no-untyped-def]
            if name != host:
                return real(name, port, *args, **kwargs)
            address = self.answers[min(self.calls, len(self.answers) - 1)]
            self.calls += 1
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

        monkeypatch.setattr(targets.socket, "getaddrinfo", fake)


@pytest.fixture
def strict(settings) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://hooks.example.go.id/tangkas", "https"),
        ("https://127.0.0.1/hooks", "127.0.0.1"),
        ("https://10.0.0.5/hooks", "10.0.0.5"),
        ("https://192.168.1.10:8443/hooks", "192.168.1.10"),
        ("https://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("https://100.100.100.200/latest/meta-data/", "100.100.100.200"),
        ("https://[::1]/hooks", "::1"),
        ("https://[::ffff:127.0.0.1]/hooks", "127.0.0.1"),
        ("https://[fd00:ec2::254]/hooks", "fd00:ec2::254"),
        ("https://224.0.0.1/hooks", "224.0.0.1"),
        ("https://0.0.0.0/hooks", "0.0.0.0"),  # noqa: S104 (a URL under test, not a bind)
        ("https://user:pw@hooks.example.go.id/", None),
    ],
)
def test_registration_refuses_urls_into_the_internal_network(
    city, api_client, strict, url: str, reason: str | None
) -> None:
    response = api_client("employees:write webhooks:manage").post(
        "/api/v1/webhooks/", {"url": url, "events": ["evidence.recorded"]}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert response["Content-Type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("url", "unsafe_url")
    assert reason is None or reason in error["message"]
    assert not WebhookSubscription.objects.exists()


def test_registration_refuses_a_host_name_that_resolves_to_a_private_address(
    city, api_client, strict, monkeypatch
) -> None:
    FakeDNS(monkeypatch, "intranet.example.go.id", ["10.1.2.3"])
    response = api_client("employees:write webhooks:manage").post(
        "/api/v1/webhooks/",
        {"url": "https://intranet.example.go.id/hooks", "events": ["evidence.recorded"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unsafe_url"


def test_dns_rebinding_after_registration_is_refused_at_send(
    city, api_client, strict, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    # Public when registered, then the same name answers with the loopback address.
    dns = FakeDNS(monkeypatch, "hooks.example.go.id", [PUBLIC, "127.0.0.1"])
    client = api_client("employees:write webhooks:manage")
    subscribe(client, "https://hooks.example.go.id/tangkas", ["evidence.recorded"])
    assert dns.calls == 1
    with django_capture_on_commit_callbacks(execute=False):
        assert webhooks.event_publish(event="evidence.recorded", data={"evidence": 1}) == 1
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(webhooks.DeliveryFailed):
        webhooks.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert dns.calls == 2  # resolved again at send
    assert delivery.last_error.startswith("refused:") and "127.0.0.1" in delivery.last_error
    assert delivery.response_code is None  # nothing was sent


class Redirector(Receiver):
    """A receiver that answers every POST with a redirect to ``location``."""

    def __init__(self, location: str) -> None:
        super().__init__()
        handler = self.server.RequestHandlerClass
        received = self.received

        def do_post(request) -> None:  # type: ignore[no-untyped-def]
            body = request.rfile.read(int(request.headers["Content-Length"]))
            received.append((dict(request.headers), body))
            request.send_response(307)
            request.send_header("Location", location)
            request.end_headers()

        handler.do_POST = do_post  # type: ignore[attr-defined]


@pytest.fixture
def inner() -> Iterator[Receiver]:
    instance = Receiver()
    yield instance
    instance.close()


def test_redirects_are_never_followed(
    city, api_client, inner, django_capture_on_commit_callbacks
) -> None:
    outer = Redirector(inner.url)
    try:
        client = api_client("employees:write webhooks:manage")
        subscribe(client, outer.url, ["evidence.recorded"])
        with django_capture_on_commit_callbacks(execute=False):
            webhooks.event_publish(event="evidence.recorded", data={"evidence": 1})
        delivery = WebhookDelivery.objects.get()
        with pytest.raises(webhooks.DeliveryFailed):
            webhooks.delivery_attempt(delivery_id=delivery.pk)
    finally:
        outer.close()
    delivery.refresh_from_db()
    assert len(outer.received) == 1 and inner.received == []
    assert (delivery.response_code, delivery.last_error) == (307, "HTTP 307")


def test_the_send_connects_to_the_checked_address_with_the_host_name_kept(
    city, api_client, inner, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    # Loopback allowed (test settings), so the receiver on 127.0.0.1 can be reached by name.
    port = inner.server.server_address[1]
    FakeDNS(monkeypatch, "hooks.example.go.id", ["127.0.0.1"])
    client = api_client("employees:write webhooks:manage")
    subscribe(client, f"http://hooks.example.go.id:{port}/tangkas?x=1", ["evidence.recorded"])
    with django_capture_on_commit_callbacks(execute=False):
        webhooks.event_publish(event="evidence.recorded", data={"evidence": 1})
    delivery = webhooks.delivery_attempt(delivery_id=WebhookDelivery.objects.get().pk)
    assert delivery.status == "delivered"
    [(headers, _body)] = inner.received
    assert headers["Host"] == f"hooks.example.go.id:{port}"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:10.0.0.1", False),
        ("239.255.255.250", False),
        ("ff02::1", False),
    ],
)
def test_which_addresses_count_as_public(address: str, public: bool) -> None:
    assert targets.address_is_public(ipaddress.ip_address(address)) is public

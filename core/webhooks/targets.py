"""Where a webhook may be sent: a defence against server-side request forgery (SSRF).

A subscriber names a URL and Tangkas's workers POST to it, from inside the city's network.
Without care that URL could be ``http://10.0.0.5/admin`` or the cloud's metadata service, and a
DNS name could resolve to a public address when it is registered and to a private one when it
is sent to (DNS rebinding). So:

- in production only ``https`` URLs are accepted;
- the host is resolved and *every* address must be globally routable: loopback, private,
  shared (CGNAT, where some clouds put their metadata service), link-local (169.254.169.254,
  the usual metadata address), multicast, reserved and unspecified addresses are refused, also
  when written as an IPv4-mapped IPv6 address;
- this is checked at registration and again at every send, and the send connects to the very
  address that was checked (``resolve_target`` returns it; ``send`` pins it while TLS still
  verifies the certificate against the host name), so a second DNS answer cannot redirect it;
- redirects are never followed.

``WEBHOOKS_ALLOW_PRIVATE_TARGETS`` (development and tests only; production refuses to start
with it) lets ``http`` and loopback/private addresses through, for a receiver on the same
machine.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_URL = URLValidator(schemes=["http", "https"])


class UnsafeTarget(Exception):
    """The URL may not receive webhooks; the message says why (shown to the subscriber)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as written in the URL (what TLS verifies and the Host header carries)
    port: int
    path: str  # path and query
    address: str  # the checked IP address the send connects to


def _allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_TARGETS", False))


def address_is_public(address: IPAddress) -> bool:
    """Whether ``address`` is globally routable and not multicast (IPv4-mapped IPv6 unwrapped)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget(_("The host %(host)s does not resolve.") % {"host": host}) from exc
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise UnsafeTarget(_("The host %(host)s does not resolve.") % {"host": host})
    return addresses


def resolve_target(url: str) -> Target:
    """Check ``url`` and resolve its host now; raises ``UnsafeTarget`` with the reason."""
    allow_private = _allow_private()
    try:
        _URL(url)  # the form the subscription's URLField keeps
        parts = urlsplit(url)
        host = parts.hostname
    except (ValueError, ValidationError) as exc:  # e.g. a host "0", an unclosed [IPv6
        raise UnsafeTarget(_("This is not a URL a webhook can be sent to.")) from exc
    scheme = parts.scheme.lower()
    if scheme != "https" and not (allow_private and scheme == "http"):
        raise UnsafeTarget(_("A webhook URL must use https."))
    if parts.username or parts.password:
        raise UnsafeTarget(_("A webhook URL may not carry a user name or password."))
    if not host:
        raise UnsafeTarget(_("A webhook URL needs a host."))
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeTarget(_("The port of the webhook URL is not a number.")) from exc
    addresses = _resolve(host, port)
    if not allow_private:
        refused = [a for a in addresses if not address_is_public(a)]
        if refused:
            raise UnsafeTarget(
                _("The host %(host)s resolves to %(address)s, which is not a public address.")
                % {"host": host, "address": refused[0]}
            )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=scheme, host=host, port=port, path=path, address=str(addresses[0]))


def send(
    target: Target, *, body: bytes, headers: dict[str, str], timeout: float
) -> urllib3.BaseHTTPResponse:
    """POST ``body`` to the checked address of ``target``; never follows a redirect.

    Raises ``urllib3.exceptions.HTTPError`` (or ``OSError``) when the receiver cannot be
    reached."""
    host_header = target.host if ":" not in target.host else f"[{target.host}]"
    default_port = 443 if target.scheme == "https" else 80
    if target.port != default_port:
        host_header = f"{host_header}:{target.port}"
    common = {
        "host": target.address,
        "port": target.port,
        "timeout": urllib3.Timeout(total=timeout),
        "retries": False,
        "maxsize": 1,
    }
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            **common,
            server_hostname=target.host,  # SNI
            assert_hostname=target.host,  # the certificate must name the host, not the IP
            cert_reqs=ssl.CERT_REQUIRED,
            ssl_context=ssl.create_default_context(),
        )
    else:
        pool = urllib3.HTTPConnectionPool(**common)
    try:
        return pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "Host": host_header},
            redirect=False,
            preload_content=True,
        )
    finally:
        pool.close()

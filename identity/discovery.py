"""The provider's endpoints, discovered from ``OIDC_ISSUER`` (OpenID Connect Discovery 1.0).

mozilla-django-oidc wants each endpoint in its own setting; a city only knows its issuer URL
(for Keycloak ``https://sso.kota.go.id/realms/<realm>``). The document at
``<issuer>/.well-known/openid-configuration`` is fetched on the first sign-on, checked (its
``issuer`` must be exactly ``OIDC_ISSUER``, section 4.3, or every ID token would be checked
against the wrong issuer) and kept in the cache for ``OIDC_DISCOVERY_CACHE_SECONDS``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass

import requests
from django.conf import settings
from django.core.cache import cache

from identity.exceptions import ProviderUnavailableError

logger = logging.getLogger(__name__)

WELL_KNOWN = "/.well-known/openid-configuration"
_REQUIRED = ("authorization_endpoint", "token_endpoint", "jwks_uri")


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str = ""
    end_session_endpoint: str = ""


def sso_configured() -> bool:
    """Whether single sign-on is switched on: an issuer and a client id are set."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def _cache_key(issuer: str) -> str:
    return "identity:oidc-discovery:" + hashlib.sha256(issuer.encode()).hexdigest()[:32]


def provider_metadata() -> ProviderMetadata:
    """The configured provider's endpoints; raises ``ProviderUnavailableError`` (and logs why)
    when the discovery document cannot be fetched or is not one for ``OIDC_ISSUER``."""
    issuer = settings.OIDC_ISSUER
    key = _cache_key(issuer)
    cached = cache.get(key)
    if cached is not None:
        return ProviderMetadata(**cached)
    metadata = _fetch(issuer)
    cache.set(key, asdict(metadata), settings.OIDC_DISCOVERY_CACHE_SECONDS)
    return metadata


def _fetch(issuer: str) -> ProviderMetadata:
    url = issuer + WELL_KNOWN
    try:
        response = requests.get(
            url,
            timeout=settings.OIDC_TIMEOUT,
            verify=settings.OIDC_VERIFY_SSL,
            allow_redirects=False,
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.error("OpenID Connect discovery failed at %s: %s", url, type(exc).__name__)
        raise ProviderUnavailableError() from None
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        logger.error(
            "OpenID Connect discovery at %s names another issuer (%r): check OIDC_ISSUER",
            url,
            document.get("issuer") if isinstance(document, dict) else None,
        )
        raise ProviderUnavailableError()
    missing = [name for name in _REQUIRED if not isinstance(document.get(name), str)]
    if missing:
        logger.error("OpenID Connect discovery at %s lacks %s", url, ", ".join(missing))
        raise ProviderUnavailableError()
    return ProviderMetadata(
        issuer=issuer,
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        jwks_uri=document["jwks_uri"],
        userinfo_endpoint=document.get("userinfo_endpoint") or "",
        end_session_endpoint=document.get("end_session_endpoint") or "",
    )

"""Authentication backends: the city's sign-on and the local password.

``CitySignOnBackend`` is mozilla-django-oidc's backend with three things it does not do on its
own: it reads the provider's endpoints from discovery (``identity.discovery``) instead of one
setting each; it checks every claim of the ID token that OpenID Connect Core 3.1.3.7 asks a
client to check (``iss`` against the issuer, ``aud``/``azp`` against the client id, ``exp`` and
``iat`` with ``OIDC_CLOCK_LEEWAY_SECONDS`` of leeway; the library checks the signature and the
nonce, and skips the audience); and it finds the person by the NIP claim
(``identity.services``), never by e-mail. A refused sign-on leaves its reason on the request
for the callback page (``request.sign_on_refusal``) and logs no personal data.

``LocalPasswordBackend`` is Django's password check, refused while ``LOCAL_LOGIN_ENABLED`` is
false: with it off no password logs anyone in, whichever form it came from.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from identity.discovery import ProviderMetadata, provider_metadata, sso_configured
from identity.exceptions import SignOnError
from identity.services import claim_grants_hr, nip_from_claim, sso_login_link

logger = logging.getLogger(__name__)

#: Claims that name a person: an ID token carrying any of them is not sent back to the provider
#: in the logout URL (``id_token_hint``), where it would sit in browser histories and logs.
PERSONAL_CLAIMS = ("name", "given_name", "family_name", "preferred_username", "email")


class LocalPasswordBackend(ModelBackend):
    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if not settings.LOCAL_LOGIN_ENABLED:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class CitySignOnBackend(OIDCAuthenticationBackend):
    """The city's OpenID Connect sign-on (authorization code flow with PKCE)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds a backend for every request that has a session (get_user): nothing
        # here may reach the network. The endpoints are discovered on the first sign-on.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self._metadata: ProviderMetadata | None = None

    @property
    def metadata(self) -> ProviderMetadata:
        if self._metadata is None:
            self._metadata = provider_metadata()
        return self._metadata

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return self.metadata.token_endpoint

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return self.metadata.userinfo_endpoint

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return self.metadata.jwks_uri

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        # Only the sign-on callback passes a nonce; a password login (or a stray ``?code=``
        # on another page) never reaches the provider.
        if request is None or "nonce" not in kwargs or not sso_configured():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except SignOnError as exc:
            request.sign_on_refusal = exc
            logger.warning("sign-on refused: %s", exc.code)
        except (
            SuspiciousOperation,
            jwt.InvalidTokenError,
            requests.RequestException,
            ValueError,
            KeyError,
        ) as exc:
            request.sign_on_refusal = SignOnError()
            logger.warning("sign-on refused: %s: %s", type(exc).__name__, _reason(exc))
        return None

    def _verify_jws(self, payload: Any, key: Any) -> dict[str, Any]:
        header = jwt.get_unverified_header(payload)
        alg = header.get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {alg!r}, not {self.OIDC_RP_SIGN_ALGO}")
        claims = jwt.decode(
            payload,
            key,
            algorithms=[alg],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=self.metadata.issuer,
            leeway=settings.OIDC_CLOCK_LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token for several audiences without this client as azp")
        return claims

    def verify_token(self, token: Any, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (a signed userinfo answer carries no nonce)
            self.id_token_claims = payload
        return payload

    def store_tokens(self, access_token: Any, id_token: Any) -> None:
        # Kept on the request for the callback view, which puts it in the session after the
        # login (a login may flush the session). Only a token that names nobody is kept.
        claims = getattr(self, "id_token_claims", {})
        personal = (settings.OIDC_NIP_CLAIM, *PERSONAL_CLAIMS)
        self.request.sign_on_id_token_hint = (
            "" if any(claim in claims for claim in personal) else id_token
        )

    def get_userinfo(self, access_token: Any, id_token: Any, payload: Any) -> dict[str, Any]:
        """The ID token's claims, with the userinfo endpoint's added when the provider has one
        (Keycloak's mappers may put a claim in either); the userinfo answer must be about the
        same subject (Core 5.3.2)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo is about another subject")
            claims.update(info)
        return claims

    def get_or_create_user(self, access_token: Any, id_token: Any, payload: Any) -> Any:
        claims = self.get_userinfo(access_token, id_token, payload)
        nip = nip_from_claim(claims.get(settings.OIDC_NIP_CLAIM))
        is_hr = claim_grants_hr(
            claims=claims, claim=settings.OIDC_HR_CLAIM, value=settings.OIDC_HR_VALUE
        )
        email = claims.get("email") if isinstance(claims.get("email"), str) else ""
        return sso_login_link(nip=nip, is_hr=is_hr, email=email)


def _reason(exc: Exception) -> str:
    """A log line's reason: the token library's own words (never a claim's value), or the
    HTTP status of a failed call to the provider."""
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code}"
    if isinstance(exc, jwt.InvalidTokenError | SuspiciousOperation):
        return str(exc)[:200]
    return ""

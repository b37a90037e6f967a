"""System checks of the sign-on settings (``manage.py check``, and every start)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def sign_on_settings(app_configs: Any = None, **kwargs: Any) -> list[Error | Warning]:
    problems: list[Error | Warning] = []
    issuer = settings.OIDC_ISSUER
    if issuer and not (settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET):
        problems.append(
            Error(
                "OIDC_ISSUER is set but OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is not",
                hint="Set both from the provider's client (docs/SSO.md), or unset OIDC_ISSUER.",
                id="identity.E001",
            )
        )
    if issuer and not issuer.startswith("https://") and settings.ENVIRONMENT == "production":
        problems.append(
            Error(
                "OIDC_ISSUER must be an https:// URL in production",
                hint="Tokens and the client secret travel to the issuer's endpoints.",
                id="identity.E002",
            )
        )
    if not settings.LOCAL_LOGIN_ENABLED and not (issuer and settings.OIDC_RP_CLIENT_ID):
        problems.append(
            Error(
                "LOCAL_LOGIN_ENABLED is false and single sign-on is not configured: nobody can "
                "log in",
                hint="Set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (docs/SSO.md).",
                id="identity.E003",
            )
        )
    return problems

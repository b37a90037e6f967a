"""Logging in and out: the login page, the city's sign-on and single logout.

- ``LoginView``: the site's login page. It offers the sign-on first when it is configured, and
  the password form only while ``LOCAL_LOGIN_ENABLED`` is true (a password POST is refused
  otherwise).
- ``SignOnStartView``/``SignOnCallbackView``: mozilla-django-oidc's views with the endpoints
  from discovery, PKCE, state and nonce; a refused sign-on gets a page saying why and what to
  do, in the user's language.
- ``LogoutView`` with ``provider_logout_url``: logs out here and, for a sign-on session, at
  the provider too (RP-initiated logout) when the provider advertises ``end_session_endpoint``.
- ``admin_login``: the Wagtail admin's login follows the same rule as the site's.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.translation import get_language
from django.views.generic import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)
from wagtail.admin.views.account import LoginView as WagtailLoginView

from identity.discovery import provider_metadata, sso_configured
from identity.exceptions import LoginSwitchedOffError, PasswordLoginOffError, SignOnError

logger = logging.getLogger(__name__)

#: The session's record of a sign-on login: what the logout sends back to the provider.
SESSION_SIGN_ON = "identity_sign_on"


def _problem(request: HttpRequest, error: SignOnError) -> HttpResponse:
    context = {
        "message": error.message,
        "code": error.code,
        "local_login_enabled": settings.LOCAL_LOGIN_ENABLED,
    }
    return render(request, "identity/sign_on_problem.html", context, status=error.status)


class LoginView(auth_views.LoginView):
    template_name = "frontend/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = sso_configured()
        context["local_login_enabled"] = settings.LOCAL_LOGIN_ENABLED
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.LOCAL_LOGIN_ENABLED:
            context = self.get_context_data(password_refused=True)
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)


class SignOnStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider: state, nonce and a PKCE S256 challenge are made here
    and kept in the session by mozilla-django-oidc."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the endpoints come from discovery, per request

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_configured():
            raise Http404
        try:
            metadata = provider_metadata()
        except SignOnError as error:
            return _problem(request, error)
        self.OIDC_OP_AUTH_ENDPOINT = metadata.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        # The provider's pages in the language the person reads Tangkas in.
        return {"ui_locales": get_language() or settings.LANGUAGE_CODE}


class SignOnCallbackView(OIDCAuthenticationCallbackView):
    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_configured():
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation:
            # A state this browser never started (a replayed or forged callback).
            logger.warning("sign-on refused: unknown state")
            return _problem(request, SignOnError())

    def login_failure(self) -> HttpResponse:
        refusal = getattr(self.request, "sign_on_refusal", None)
        if refusal is None:
            user = getattr(self, "user", None)
            refusal = LoginSwitchedOffError() if user and not user.is_active else SignOnError()
        return _problem(self.request, refusal)

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        hint = getattr(self.request, "sign_on_id_token_hint", "")
        self.request.session[SESSION_SIGN_ON] = {"id_token_hint": hint}
        return response


def provider_logout_url(request: HttpRequest) -> str:
    """Where the logout sends the browser (``OIDC_OP_LOGOUT_URL_METHOD``): the provider's
    ``end_session_endpoint`` for a sign-on session when the provider has one, which ends the
    provider's session and comes back to ``LOGOUT_REDIRECT_URL``; else that URL directly.

    ``id_token_hint`` is sent only when the ID token names nobody (``backends.PERSONAL_CLAIMS``
    and the NIP claim); otherwise ``client_id`` tells the provider who asks, and the provider
    may ask the person to confirm."""
    after = resolve_url(settings.LOGOUT_REDIRECT_URL)
    sign_on = request.session.get(SESSION_SIGN_ON)
    if sign_on is None or not sso_configured():
        return after
    try:
        endpoint = provider_metadata().end_session_endpoint
    except SignOnError:
        return after  # logged out here; the provider's session ends on its own
    if not endpoint:
        return after
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(after),
    }
    if sign_on.get("id_token_hint"):
        params["id_token_hint"] = sign_on["id_token_hint"]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


class LogoutView(OIDCLogoutView):
    """POST only, like Django's: logs out here, then at the provider (``provider_logout_url``)."""

    http_method_names = ["post"]


def admin_login(request: HttpRequest) -> HttpResponse:
    """The Wagtail admin's login page while passwords are allowed, with the sign-on offered
    first when it is configured; otherwise the sign-on (a password POST is refused)."""
    if settings.LOCAL_LOGIN_ENABLED:
        wagtail_login = WagtailLoginView.as_view(extra_context={"sso_enabled": sso_configured()})
        return wagtail_login(request)
    if request.method != "GET" or not sso_configured():
        return _problem(request, PasswordLoginOffError())
    next_url = request.GET.get("next") or reverse("wagtailadmin_home")
    return HttpResponseRedirect(f"{reverse('identity:sso_login')}?{urlencode({'next': next_url})}")

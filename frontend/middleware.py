"""An idle session timeout for the people who can change or see the most: HR staff and admin
users are logged out after ``SESSION_IDLE_TIMEOUT_MINUTES`` without a request (a shared office
computer left open). Civil servants keep Django's ordinary session age."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from competencies import access

SESSION_KEY = "tangkas_last_seen"
# The last-seen time is written at most once a minute (the timeout is that precise), so that a
# page does not cost a session write on every request.
REFRESH_SECONDS = 60


class IdleSessionTimeoutMiddleware:
    """Enforces the timeout on sessions that carry a last-seen time: those of HR staff and
    admin users, marked when they log in (``_start_the_clock``). Deciding at login keeps the
    group lookup off every request; a person who becomes HR keeps the ordinary session until
    the next login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
        session = getattr(request, "session", None)
        last_seen = session.get(SESSION_KEY) if session is not None else None
        if limit > 0 and last_seen is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - int(last_seen) > limit:
                # The request goes on as an anonymous one: a page asks for the login again,
                # the API answers 401.
                logout(request)
                messages.info(request, _("You were logged out after a period of inactivity."))
            elif now - int(last_seen) >= REFRESH_SECONDS:
                session[SESSION_KEY] = now
        return self.get_response(request)


def _privileged(user: object) -> bool:
    return bool(getattr(user, "is_staff", False)) or access.user_is_hr(user=user)


@receiver(user_logged_in, dispatch_uid="frontend.idle_session_start")
def _start_the_clock(
    sender: object, request: HttpRequest | None, user: object, **kwargs: object
) -> None:
    """An HR or admin login starts the idle clock (the session is written then anyway)."""
    if request is not None and hasattr(request, "session") and _privileged(user):
        request.session[SESSION_KEY] = int(time.time())

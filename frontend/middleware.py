"""An idle session timeout for the people who can change or see the most: HR staff and admin
users are logged out after ``SESSION_IDLE_TIMEOUT_MINUTES`` without a request (a shared office
computer left open). Civil servants keep Django's ordinary session age."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from competencies import access

SESSION_KEY = "tangkas_last_seen"


class IdleSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
        user = getattr(request, "user", None)
        if limit > 0 and user is not None and user.is_authenticated and _privileged(user):
            now = int(time.time())
            last_seen = request.session.get(SESSION_KEY)
            if last_seen is not None and now - int(last_seen) > limit:
                # The request goes on as an anonymous one: a page asks for the login again,
                # the API answers 401.
                logout(request)
                messages.info(request, _("You were logged out after a period of inactivity."))
            else:
                request.session[SESSION_KEY] = now
        return self.get_response(request)


def _privileged(user: object) -> bool:
    return bool(getattr(user, "is_staff", False)) or access.user_is_hr(user=user)

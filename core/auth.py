"""Password guessing: logins are locked after repeated failures (django-axes).

Axes counts failures per user name *and* address (so one person mistyping does not lock out a
whole office behind one NAT address, and one address cannot try every user name) and refuses
further attempts for ``LOGIN_LOCKOUT_MINUTES``; the lockout page explains it in the user's
language (``frontend/templates/frontend/lockout.html``). Addresses come from
``core.api.identity.client_ip``.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """Axes's check before the password is: for logins that come with a request.

    ``authenticate()`` without a request (management commands, the demo seeder checking its
    passwords) is not a login over the web and has no address to count against; axes itself
    would refuse it, so it is passed on to the next backend.
    """

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request: Any, original_response: Any, credentials: Any) -> HttpResponse:
    """The page a locked-out login gets: 429, in the user's language, saying for how long."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {"cooloff_minutes": minutes}, status=429)

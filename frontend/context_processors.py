"""Template context every page needs: the site's and the city's names, and whether the
header links to the dashboard (computed only when a page asks, once per request)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from competencies.access import org_units_visible_to


def sees_dashboard(request: HttpRequest) -> bool:
    """Whether the user heads a unit today or works in HR (the dashboard's audience)."""
    cached = getattr(request, "_tangkas_sees_dashboard", None)
    if cached is None:
        user = getattr(request, "user", None)
        cached = bool(
            user is not None
            and user.is_authenticated
            and org_units_visible_to(user=user, as_of=timezone.localdate()).exists()
        )
        request._tangkas_sees_dashboard = cached
    return cached


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "city_name": settings.CITY_NAME,
        # A callable: the template calls it only where it is used (the header, once).
        "sees_dashboard": lambda: sees_dashboard(request),
    }

"""Template context every page needs: the site's and the city's names."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    return {"site_name": settings.WAGTAIL_SITE_NAME, "city_name": settings.CITY_NAME}

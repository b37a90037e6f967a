"""Top-level URL routing.

Fixed outward contracts (DESIGN.md): ``/`` home, ``/admin/`` Wagtail admin, ``/courses/``
catalogue (a Wagtail page), ``/dashboard/``, ``/api/v1/``, ``/verify/<code>/``, ``/healthz``,
``/readyz``. Wagtail's page serving comes last and catches everything else.
"""

from django.conf import settings
from django.urls import include, path, re_path
from oauth2_provider import views as oauth_views
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core.api.errors import api_not_found
from lms import health

oauth_urlpatterns = [
    path("token/", oauth_views.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", oauth_views.IntrospectTokenView.as_view(), name="introspect"),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Single sign-on; also the admin's login and logout, under the same rules as the site's.
    path("", include("identity.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("lms.api_urls")),
    # OAuth2 for API clients: token, revoke and introspect only. Applications are registered
    # by `manage.py create_api_client`, never through the web (no /o/applications/).
    path("o/", include((oauth_urlpatterns, "oauth2_provider"))),
    # Unknown API paths get a problem document, not a Wagtail page.
    re_path(r"^api/", api_not_found),
    path("", include("certificates.urls")),
    path("", include("notifications.urls")),
    path("", include("reports.urls")),
    path("", include("planning.urls")),
    path("", include("development.urls")),
    path("", include("evaluations.urls")),
    path("", include("providers.urls")),
    path("", include("frontend.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "frontend.views.bad_request"
handler403 = "frontend.views.permission_denied"
handler404 = "frontend.views.page_not_found"
handler500 = "frontend.views.server_error"

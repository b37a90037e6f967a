"""``/api/v1/``: the OpenAPI document and its docs, then each app's operations from the app's
own ``urls.py`` (``api_urlpatterns``). Paths are part of the contract (docs/API.md)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from certificates import urls as certificates
from competencies import urls as competencies
from core.events import urls as events
from core.webhooks import urls as webhooks
from courses import urls as courses
from development import urls as development
from evaluations import urls as evaluations
from planning import urls as planning
from providers import urls as providers
from reports import urls as reports

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[], authentication_classes=[]),
        name="api-schema",
    ),
    path(
        "docs/",
        # The split view serves its script from a URL instead of inline (a strict CSP allows
        # it); Swagger UI's files come from this server (drf-spectacular-sidecar), not a CDN.
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", permission_classes=[], authentication_classes=[]
        ),
        name="api-docs",
    ),
    *competencies.api_urlpatterns,
    *courses.api_urlpatterns,
    *certificates.api_urlpatterns,
    *webhooks.api_urlpatterns,
    *events.api_urlpatterns,
    *providers.api_urlpatterns,
    *evaluations.api_urlpatterns,
    *development.api_urlpatterns,
    *planning.api_urlpatterns,
    *reports.api_urlpatterns,
]

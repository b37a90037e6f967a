"""Machine-readable endpoints of the issuer that verifiers fetch: the did:web document and
the signed revocation status lists. Public, and cacheable for a short time."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from certificates import keys
from certificates.models import StatusList


@require_GET
@cache_control(public=True, max_age=300)
def did_document(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(keys.did_document())
    response["Content-Type"] = "application/did+json"
    return response


@require_GET
@cache_control(public=True, max_age=60)
def status_list(request: HttpRequest, list_id: int) -> JsonResponse:
    """Short caching: a revocation must reach verifiers within a minute."""
    status = StatusList.objects.filter(pk=list_id).first()
    if status is None or not status.credential:
        raise Http404
    response = JsonResponse(status.credential)
    response["Content-Type"] = "application/vc+ld+json"
    return response

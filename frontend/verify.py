"""Public certificate verification: no login, rate limited per client so codes cannot be
enumerated. Unknown codes get a plain not-found page. The holder is named, never their NIP,
and only what ``certificate_public_files`` allows is downloadable."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from certificates import selectors as certificate_selectors
from certificates.links import status_list_url, verification_url
from certificates.models import normalise_code

# Letters and digits only, and never longer than a full code: anything else is no code of ours.
_CODE_SHAPE = re.compile(r"[0-9A-Z]{1,40}")


def _rate(group: str):
    return ratelimit(
        key="ip", rate=lambda _group, _request: settings.VERIFY_RATE, group=group, block=True
    )


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    code = normalise_code(request.GET.get("code", ""))
    if code and not _CODE_SHAPE.fullmatch(code):
        # Not a code of ours (other characters, or far too long): nothing to look up.
        return render(request, "frontend/verify_not_found.html", status=404)
    if code:
        return redirect("frontend:verify", code=code)
    return render(request, "frontend/verify_form.html")


@never_cache
@require_GET
@_rate("verify")
def verify(request: HttpRequest, code: str) -> HttpResponse:
    certificate = certificate_selectors.certificate_by_code(code)
    if certificate is None:
        return render(request, "frontend/verify_not_found.html", status=404)
    report = certificate_selectors.verify_certificate(certificate)
    return render(
        request,
        "frontend/verify.html",
        {
            "certificate": certificate,
            "report": report,
            "files": certificate_selectors.certificate_public_files(certificate),
            "verification_url": verification_url(certificate),
            "status_list_url": status_list_url(certificate.status_list),
            "issuer_did": certificate.credential["issuer"]["id"] if certificate.credential else "",
        },
    )


@require_GET
@_rate("verify")
def verify_pdf(request: HttpRequest, code: str) -> HttpResponse:
    certificate = certificate_selectors.certificate_by_code(code)
    if certificate is None or not certificate_selectors.certificate_public_files(certificate).pdf:
        raise Http404
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"sertifikat-{certificate.code[:8].lower()}.pdf",
        content_type="application/pdf",
    )


@require_GET
@_rate("verify")
def verify_credential(request: HttpRequest, code: str) -> HttpResponse:
    certificate = certificate_selectors.certificate_by_code(code)
    if certificate is None:
        raise Http404
    credential = certificate_selectors.certificate_public_files(certificate).credential
    if credential is None:
        raise Http404
    response = JsonResponse(credential, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = "application/ld+json"
    response["Content-Disposition"] = (
        f'attachment; filename="credential-{certificate.code[:8].lower()}.json"'
    )
    return response

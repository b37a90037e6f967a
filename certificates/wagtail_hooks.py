"""Certificates in the Wagtail admin: list, inspect, revoke with a reason, reissue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from certificates import services
from certificates.models import Certificate
from core.exceptions import ApplicationError


class CodeColumn(Column):
    def get_value(self, instance: Certificate) -> str:
        return instance.short_code


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 230
    add_to_admin_menu = True
    list_display = [
        "title",
        "holder_name",
        CodeColumn("code", label=_("Code")),
        "issued_on",
        "expires_on",
        "status",
    ]
    list_filter = ["status", "issued_on"]
    search_fields = ["holder_name", "title", "code"]
    search_backend_name = None
    ordering = ["-issued_on"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "holder_name",
        "jp_hours",
        "alignments",
        "issued_on",
        "expires_on",
        "status",
        "revoked_at",
        "revocation_reason",
        "signed_at",
        "rendered_at",
    ]
    copy_view_enabled = False
    form_fields = ["title"]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to anyone who verifies the certificate."),
    )


def revoke_view(request: HttpRequest, pk: str) -> HttpResponse:
    if not request.user.has_perm("certificates.change_certificate"):
        raise PermissionDenied
    certificate = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, reason=form.cleaned_data["reason"], user=request.user
            )
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The certificate is revoked; verifiers see it from now on.")
            )
            return redirect(reverse("certificates:inspect", args=[certificate.pk]))
    return TemplateResponse(
        request, "certificates/admin/revoke.html", {"certificate": certificate, "form": form}
    )


@hooks.register("register_admin_viewset")
def register_certificates() -> CertificateViewSet:
    return CertificateViewSet("certificates")


@hooks.register("register_admin_urls")
def register_revoke_url() -> list[Any]:
    return [path("certificates/<uuid:pk>/revoke/", revoke_view, name="certificates_revoke")]

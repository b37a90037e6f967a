"""Certificates in the Wagtail admin: list, inspect, revoke with a reason.

A signed certificate is read-only: its credential and PDF are fixed and may already be in
anyone's hands, so its edit and delete views send the user to its inspect view with the
reason, and a change means revoking it and issuing a new one. Only a certificate still
waiting for its signature can have its title corrected (``certificate_update`` checks it under
a row lock)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log

from certificates import services
from certificates.exceptions import CertificateSignedError
from certificates.models import Certificate, CertificateStatus
from core.exceptions import ApplicationError


class CodeColumn(Column):
    def get_value(self, instance: Certificate) -> str:
        return instance.short_code


class SignedIsReadOnlyMixin:
    """Refuse to change a signed certificate: back to its inspect view, saying why."""

    object: Certificate
    request: HttpRequest

    def get_object(self, queryset: Any = None) -> Certificate:
        return super().get_object(queryset)  # type: ignore[misc]

    def refuse_signed(self) -> HttpResponse:
        messages.error(self.request, str(CertificateSignedError.default_message))
        return redirect(reverse("certificates:inspect", args=[self.object.pk]))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if self.object.signed_at:
            return self.refuse_signed()
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if self.object.signed_at:
            return self.refuse_signed()
        return super().post(request, *args, **kwargs)  # type: ignore[misc]


class CertificateEditView(SignedIsReadOnlyMixin, generic.EditView):
    def save_instance(self) -> Certificate:
        certificate = services.certificate_update(
            certificate=self.object, title=self.form.cleaned_data["title"]
        )
        log(instance=certificate, action="wagtail.edit", user=self.request.user)
        return certificate

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)
        except CertificateSignedError:  # signed while the form was open
            return self.refuse_signed()


class CertificateDeleteView(SignedIsReadOnlyMixin, generic.DeleteView):
    pass


class CertificateInspectView(generic.InspectView):
    """No edit button once signed; a revoke button while the certificate is valid."""

    def get_edit_url(self) -> str | None:
        return None if self.object.signed_at else super().get_edit_url()

    def get_delete_url(self) -> str | None:
        return None if self.object.signed_at else super().get_delete_url()

    @cached_property
    def header_more_buttons(self) -> list[Button]:
        buttons = list(super().header_more_buttons)
        if self.object.status == CertificateStatus.VALID and self.request.user.has_perm(
            "certificates.change_certificate"
        ):
            url = reverse("certificates_revoke", args=[self.object.pk])
            buttons.append(Button(_("Revoke"), url=url, icon_name="warning", priority=30))
        return buttons


class CertificateViewSet(ModelViewSet):
    model = Certificate
    edit_view_class = CertificateEditView
    delete_view_class = CertificateDeleteView
    inspect_view_class = CertificateInspectView
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

"""The import page in the Wagtail admin: upload a CSV or XLSX of people, positions or
assignments; all rows are imported or none, and every bad row is listed with its line."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views import View

from competencies import imports
from competencies.exceptions import ImportRowsError

KINDS = {
    "people": (_("People"), imports.people_import, "nip, name, rank, email, status"),
    "positions": (
        _("Positions with requirements"),
        imports.positions_import,
        "code, title, unit_code, kind, functional_level, is_head, headcount, requirements",
    ),
    "assignments": (
        _("Assignments (rotations)"),
        imports.assignments_import,
        "nip, position_code, kind, start_date, end_date, decree_number, decree_date",
    ),
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=[(k, v[0]) for k, v in KINDS.items()]
    )
    file = forms.FileField(label=_("CSV or XLSX file"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Use a .csv or .xlsx file."))
        return upload


class ImportView(View):
    template_name = "competencies/admin/import.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("competencies.add_employee"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(
        self, request: HttpRequest, form: ImportForm, errors: list | None = None
    ) -> HttpResponse:
        context = {
            "form": form,
            "errors": errors or [],
            "columns": [(label, columns) for label, _fn, columns in KINDS.values()],
        }
        return TemplateResponse(request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, form)
        _label, run, _columns = KINDS[form.cleaned_data["kind"]]
        upload = form.cleaned_data["file"]
        try:
            rows = imports.read_rows(upload, upload.name)
            kwargs = {} if run is imports.people_import else {"user": request.user}
            result = run(rows=rows, **kwargs)
        except ImportRowsError as error:
            messages.error(request, str(error))
            return self.render(request, form, errors=error.errors)
        messages.success(
            request,
            _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
        return redirect("competencies_import")

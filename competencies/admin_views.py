"""The import page in the Wagtail admin: upload a CSV or XLSX of people, positions or
assignments; all rows are imported or none, and every bad row is listed with its line. A file
with many rows is imported by a worker: the upload then leads to its status page, which
reloads itself (no script needed) until the import is done or refused."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views import View

from competencies import import_jobs, imports
from competencies.exceptions import ImportRowsError

#: Each kind of file: its label and its columns (``import_jobs.IMPORTERS`` imports it).
KINDS = {
    "people": (_("People"), "nip, name, rank, email, status"),
    "positions": (
        _("Positions with requirements"),
        "code, title, unit_code, kind, functional_level, is_head, headcount, requirements",
    ),
    "assignments": (
        _("Assignments (rotations)"),
        "nip, position_code, kind, start_date, end_date, decree_number, decree_date",
    ),
}
#: Seconds between two reloads of the status page of a running import.
STATUS_REFRESH_SECONDS = 2
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


class ImportPermissionMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("competencies.add_employee"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ImportView(ImportPermissionMixin, View):
    template_name = "competencies/admin/import.html"

    def render(
        self, request: HttpRequest, form: ImportForm, errors: list | None = None
    ) -> HttpResponse:
        context = {
            "form": form,
            "errors": errors or [],
            "columns": list(KINDS.values()),
        }
        return TemplateResponse(request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, form)
        upload = form.cleaned_data["file"]
        try:
            rows = imports.read_rows(upload, upload.name)
            result = import_jobs.import_upload(
                kind=form.cleaned_data["kind"], rows=rows, user=request.user
            )
        except ImportRowsError as error:
            messages.error(request, str(error))
            return self.render(request, form, errors=error.errors)
        if isinstance(result, import_jobs.ImportJob):
            return redirect("competencies_import_status", job_id=result.id)
        messages.success(
            request,
            _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
        return redirect("competencies_import")


class ImportStatusView(ImportPermissionMixin, View):
    """A worker's import: its progress while it runs, then the counts or every bad row. Only
    the user who uploaded the file sees it (anyone else gets a 404)."""

    template_name = "competencies/admin/import_status.html"

    def get(self, request: HttpRequest, job_id: str) -> HttpResponse:
        job = import_jobs.import_job_get(job_id=job_id, user=request.user)
        if job is None:
            raise Http404
        context = {
            "job": job,
            "label": KINDS[job.kind][0],
            "refresh_seconds": 0 if job.finished or job.stalled else STATUS_REFRESH_SECONDS,
        }
        return TemplateResponse(request, self.template_name, context)

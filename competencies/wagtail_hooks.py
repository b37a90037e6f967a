"""The competency matrix in the Wagtail admin: HR edits the framework, units, positions with
their requirements, people, assignments and evidence, and imports from CSV/XLSX.

Writes that carry business rules (a unit's place in the tree, a rotation ending the previous
assignment, append-only evidence) go through the services, and their errors are shown on the
form in the user's language.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from competencies import services
from competencies.admin_views import ImportStatusView, ImportView
from competencies.models import (
    Assignment,
    Competency,
    Employee,
    Evidence,
    OrgUnit,
    Position,
)
from competencies.validators import mask_nip, normalise_nip, parse_nip
from core.exceptions import ApplicationError


class ServiceCreateMixin:
    """Create through a service; an ``ApplicationError`` becomes errors on the form."""

    def create_with_service(self) -> Any:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def save_instance(self) -> Any:
        return self.create_with_service()

    def form_valid(self, form: forms.Form) -> Any:
        self.form = form
        try:
            with transaction.atomic():
                self.object = self.save_instance()
        except ApplicationError as error:
            placed = False
            for item in error.errors:
                if item.field in form.fields:
                    form.add_error(item.field, str(item.message))
                    placed = True
            if not placed:
                form.add_error(None, str(error))
            self.produced_error_message = str(error)
            return self.form_invalid(form)
        response = self.save_action()
        hook_response = self.run_after_hook()
        return hook_response if hook_response is not None else response


# --- Framework ------------------------------------------------------------------------------


class CompetencyViewSet(ModelViewSet):
    model = Competency
    icon = "crosshairs"
    menu_label = _("Competencies")
    list_display = ["code", "name_id", "kind", "group", "is_active"]
    list_filter = ["kind", "group", "is_active"]
    search_fields = ["code", "name_id", "name_en", "group"]
    search_backend_name = None
    ordering = ["code"]
    inspect_view_enabled = True
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind"), FieldPanel("group")]),
        FieldRowPanel([FieldPanel("name_id"), FieldPanel("name_en")]),
        FieldPanel("description_id"),
        FieldPanel("description_en"),
        FieldPanel("is_active"),
        InlinePanel("levels", label=_("Levels 1–5"), min_num=5, max_num=5),
    ]


# --- Organisation ---------------------------------------------------------------------------


class OrgUnitForm(WagtailAdminModelForm):
    parent = forms.ModelChoiceField(
        queryset=OrgUnit.objects.all(),
        required=False,
        label=_("Parent unit"),
        help_text=_("Leave empty only for the city itself."),
    )

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "short_name", "kind", "siasn_unor_id", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].initial = self.instance.get_parent()


class OrgUnitCreateView(ServiceCreateMixin, generic.CreateView):
    def create_with_service(self) -> OrgUnit:
        data = self.form.cleaned_data
        return services.org_unit_create(
            code=data["code"],
            name=data["name"],
            short_name=data["short_name"],
            kind=data["kind"],
            parent=data["parent"],
        )


class OrgUnitEditView(ServiceCreateMixin, generic.EditView):
    def create_with_service(self) -> OrgUnit:
        data = self.form.cleaned_data
        # The form's instance already carries the new values; the service compares with the
        # stored row to know what changed.
        unit = services.org_unit_update(
            org_unit=OrgUnit.objects.get(pk=self.form.instance.pk),
            data={field: data[field] for field in services.ORG_UNIT_EDITABLE_FIELDS},
        )
        parent = data["parent"]
        current_parent = unit.get_parent()
        if parent is not None and (current_parent is None or parent.pk != current_parent.pk):
            unit = services.org_unit_move(org_unit=unit, new_parent=parent)
        return unit


class OrgUnitViewSet(ModelViewSet):
    model = OrgUnit
    form_fields = ["code", "name", "short_name", "kind", "siasn_unor_id", "is_active"]
    icon = "site"
    menu_label = _("Organisation units")
    list_display = ["name", "code", "kind", "depth", "is_active"]
    list_filter = ["kind", "depth", "is_active"]
    search_fields = ["name", "short_name", "code"]
    search_backend_name = None
    ordering = ["path"]
    copy_view_enabled = False
    add_view_class = OrgUnitCreateView
    edit_view_class = OrgUnitEditView

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return OrgUnitForm


class PositionViewSet(ModelViewSet):
    model = Position
    icon = "user"
    menu_label = _("Positions")
    list_display = ["title", "code", "org_unit", "kind", "is_head", "headcount"]
    list_filter = ["kind", "is_head", "is_active"]
    search_fields = ["title", "code", "org_unit__name"]
    search_backend_name = None
    ordering = ["org_unit__path", "-is_head", "title"]
    inspect_view_enabled = True
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("title")]),
        FieldRowPanel([FieldPanel("org_unit"), FieldPanel("kind"), FieldPanel("functional_level")]),
        FieldRowPanel([FieldPanel("is_head"), FieldPanel("headcount"), FieldPanel("is_active")]),
        FieldRowPanel([FieldPanel("class_grade"), FieldPanel("siasn_jabatan_id")]),
        InlinePanel("requirements", label=_("Required competencies"), heading=_("Requirements")),
    ]


# --- People ---------------------------------------------------------------------------------


class MaskedNipColumn(Column):
    def get_value(self, instance: Employee) -> str:
        return mask_nip(instance.nip)


class EmployeeForm(WagtailAdminModelForm):
    # Longer than 18 so that a NIP typed with spaces, as printed on decrees, is accepted and
    # normalised; the model's validator then explains any real problem.
    nip = forms.CharField(label=_("NIP"), max_length=30)

    # Wagtail's Meta brings its widgets: the TMT golongan's date picker writes ISO dates.
    class Meta(WagtailAdminModelForm.Meta):
        model = Employee
        fields = ["nip", "name", "rank", "rank_start_date", "siasn_id", "email", "status", "user"]

    def clean_nip(self) -> str:
        nip = normalise_nip(self.cleaned_data["nip"])
        if self.instance.pk and nip != self.instance.nip:
            raise forms.ValidationError(_("The NIP of an employee cannot be changed."))
        if not self.instance.pk:
            # The NIP says PNS or PPPK, as the service will record; the model's rank check
            # (a golongan for a PNS, a grade for a PPPK) needs to know it before then. A bad
            # NIP is left to the model's validator to explain.
            with contextlib.suppress(ValidationError):
                self.instance.employment_type = parse_nip(nip).kind
        return nip


class EmployeeCreateView(ServiceCreateMixin, generic.CreateView):
    def create_with_service(self) -> Employee:
        data = self.form.cleaned_data
        return services.employee_create(
            nip=data["nip"],
            name=data["name"],
            rank=data["rank"],
            email=data["email"],
            status=data["status"],
            user_account=data["user"],
        )


class EmployeeEditView(ServiceCreateMixin, generic.EditView):
    def create_with_service(self) -> Employee:
        data = self.form.cleaned_data
        employee = Employee.objects.get(pk=self.form.instance.pk)
        return services.employee_update(
            employee=employee,
            data={k: data[k] for k in ("name", "rank", "email", "status", "user")},
        )


class EmployeeViewSet(ModelViewSet):
    model = Employee
    icon = "group"
    menu_label = _("Employees")
    list_display = [
        "name",
        MaskedNipColumn("nip", label=_("NIP")),
        "rank",
        "employment_type",
        "status",
    ]
    list_filter = ["status", "employment_type", "rank"]
    search_fields = ["name", "nip", "email"]
    search_backend_name = None
    ordering = ["name"]
    copy_view_enabled = False
    add_view_class = EmployeeCreateView
    edit_view_class = EmployeeEditView

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return EmployeeForm


class AssignmentForm(WagtailAdminModelForm):
    reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        help_text=_("Kept in the audit trail, e.g. the decree it follows."),
    )

    # Wagtail's Meta brings its widgets: a date picker that writes ISO dates (YYYY-MM-DD) in
    # every language, where Django's plain input would write 01-11-2003 in Indonesian.
    class Meta(WagtailAdminModelForm.Meta):
        model = Assignment
        fields = [
            "employee",
            "position",
            "kind",
            "start_date",
            "end_date",
            "decree_number",
            "decree_date",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("employee", "position", "kind", "start_date"):
                self.fields[name].disabled = True

    def _get_validation_exclusions(self) -> set[str]:
        # The overlap rule depends on the rotation the service performs (ending the current
        # post first); validating the exclusion constraint here would refuse every rotation.
        # Leaving its fields out of model validation skips it; the service and the database
        # constraint decide, and their message lands on this form.
        return {*super()._get_validation_exclusions(), "employee", "start_date"}


class AssignmentCreateView(ServiceCreateMixin, generic.CreateView):
    def create_with_service(self) -> Assignment:
        data = self.form.cleaned_data
        return services.assignment_create(
            employee=data["employee"],
            position=data["position"],
            kind=data["kind"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            decree_number=data["decree_number"],
            decree_date=data["decree_date"],
            user=self.request.user,
            reason=data["reason"],
        )


class AssignmentEditView(ServiceCreateMixin, generic.EditView):
    def create_with_service(self) -> Assignment:
        data = self.form.cleaned_data
        assignment = Assignment.objects.get(pk=self.form.instance.pk)
        return services.assignment_update(
            assignment=assignment,
            end_date=data["end_date"],
            decree_number=data["decree_number"],
            decree_date=data["decree_date"],
            user=self.request.user,
            reason=data["reason"],
        )


class AssignmentViewSet(ModelViewSet):
    model = Assignment
    icon = "date"
    menu_label = _("Assignments (position history)")
    list_display = ["employee", "position", "kind", "start_date", "end_date", "decree_number"]
    list_filter = ["kind", "start_date", "end_date"]
    search_fields = ["employee__name", "position__title", "decree_number"]
    search_backend_name = None
    ordering = ["-start_date"]
    copy_view_enabled = False
    add_view_class = AssignmentCreateView
    edit_view_class = AssignmentEditView

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return AssignmentForm


class EvidenceForm(WagtailAdminModelForm):
    class Meta(WagtailAdminModelForm.Meta):  # Wagtail's ISO date picker, as AssignmentForm
        model = Evidence
        fields = [
            "employee",
            "competency",
            "level",
            "source",
            "achieved_date",
            "expires_date",
            "reference",
            "note",
        ]


class EvidenceCreateView(ServiceCreateMixin, generic.CreateView):
    def create_with_service(self) -> Evidence:
        data = self.form.cleaned_data
        return services.evidence_record(
            employee=data["employee"],
            competency=data["competency"],
            level=data["level"],
            source=data["source"],
            achieved_date=data["achieved_date"],
            expires_date=data["expires_date"],
            recorded_by=self.request.user,
            reference=data["reference"],
            note=data["note"],
        )


class AppendOnlyEditView(generic.EditView):
    """Evidence is never edited; record new evidence instead."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        raise PermissionDenied


class EvidenceViewSet(ModelViewSet):
    model = Evidence
    icon = "tick-inverse"
    menu_label = _("Evidence")
    list_display = [
        "employee",
        "competency",
        "level",
        "source",
        "status",
        "achieved_date",
        "expires_date",
    ]
    list_filter = ["status", "source", "level", "competency__kind"]
    search_fields = ["employee__name", "competency__code", "reference"]
    search_backend_name = None
    ordering = ["-recorded_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    add_view_class = EvidenceCreateView
    edit_view_class = AppendOnlyEditView
    delete_view_class = AppendOnlyEditView

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return EvidenceForm


class CompetencyMatrixGroup(ModelViewSetGroup):
    menu_label = _("Competency matrix")
    menu_icon = "table"
    menu_order = 200
    items = (
        CompetencyViewSet("competencies"),
        OrgUnitViewSet("org_units"),
        PositionViewSet("positions"),
        EmployeeViewSet("employees"),
        AssignmentViewSet("assignments"),
        EvidenceViewSet("evidence"),
    )


@hooks.register("register_admin_viewset")
def register_competency_matrix() -> CompetencyMatrixGroup:
    return CompetencyMatrixGroup()


@hooks.register("register_admin_urls")
def register_import_urls() -> list:
    return [
        path("competency-import/", ImportView.as_view(), name="competencies_import"),
        path(
            "competency-import/<str:job_id>/",
            ImportStatusView.as_view(),
            name="competencies_import_status",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return request.user.has_perm("competencies.add_employee")


@hooks.register("register_admin_menu_item")
def register_import_menu_item() -> MenuItem:
    return ImportMenuItem(
        _("Import people and positions"),
        reverse("competencies_import"),
        icon_name="upload",
        order=210,
    )

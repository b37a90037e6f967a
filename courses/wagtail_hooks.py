"""Learning records in the Wagtail admin: enrollments (read only) and the learning-hours
ledger, where HR records external training."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from competencies.wagtail_hooks import ServiceCreateMixin
from courses import services
from courses.models import Enrollment, LearningRecord


class EnrollmentViewSet(ModelViewSet):
    model = Enrollment
    icon = "user"
    menu_label = _("Enrollments")
    list_display = ["employee", "course", "status", "enrolled_at", "completed_at", "score"]
    list_filter = ["status", "course"]
    search_fields = ["employee__name", "course__title"]
    search_backend_name = None
    ordering = ["-enrolled_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    # Enrollments change only by learning; the admin shows them.
    form_fields = ["status"]


class ExternalTrainingForm(WagtailAdminModelForm):
    # Wagtail's Meta brings its widgets: the date picker, which writes ISO dates in any language.
    class Meta(WagtailAdminModelForm.Meta):
        model = LearningRecord
        fields = ["employee", "title", "provider", "jp_hours", "completed_date", "reference"]


class ExternalTrainingCreateView(ServiceCreateMixin, generic.CreateView):
    def create_with_service(self) -> LearningRecord:
        data = self.form.cleaned_data
        return services.learning_record_create(
            employee=data["employee"],
            title=data["title"],
            provider=data["provider"],
            jp_hours=data["jp_hours"],
            completed_date=data["completed_date"],
            reference=data["reference"],
            recorded_by=self.request.user,
        )


class LearningRecordViewSet(ModelViewSet):
    model = LearningRecord
    icon = "time"
    menu_label = _("Learning hours (JP)")
    list_display = ["employee", "title", "jp_hours", "source", "completed_date", "year"]
    list_filter = ["source", "year"]
    search_fields = ["employee__name", "title", "provider", "reference"]
    search_backend_name = None
    ordering = ["-completed_date"]
    copy_view_enabled = False
    add_view_class = ExternalTrainingCreateView

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return ExternalTrainingForm


class LearningGroup(ModelViewSetGroup):
    menu_label = _("Learning")
    menu_icon = "doc-full-inverse"
    menu_order = 220
    items = (EnrollmentViewSet("enrollments"), LearningRecordViewSet("learning_records"))


@hooks.register("register_admin_viewset")
def register_learning() -> LearningGroup:
    return LearningGroup()

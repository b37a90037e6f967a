"""The retirement ages (BUP) in the Wagtail admin, where HR keeps them in line with the law."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from reports.models import RetirementAge


class RetirementAgeViewSet(ModelViewSet):
    model = RetirementAge
    icon = "date"
    menu_label = _("Retirement ages")
    add_to_settings_menu = True
    form_fields = ["position_kind", "functional_level", "age", "regulation"]
    list_display = ["position_kind", "functional_level", "age", "regulation"]
    list_filter = ["position_kind"]
    ordering = ["position_kind", "functional_level"]
    copy_view_enabled = False
    search_backend_name = None


@hooks.register("register_admin_viewset")
def register_retirement_ages() -> RetirementAgeViewSet:
    return RetirementAgeViewSet("retirement_ages")

"""Partner providers and their offerings in the Wagtail admin, for HR (BKPSDM). The forms
apply the models' rules (MoU period, schedule or link, technical competencies only, level
1–5). Requests are decided on the site's own page (``/partners/requests/``), linked from
the menu."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from competencies.access import user_is_hr
from providers.models import Offering, Provider


class ProviderViewSet(ModelViewSet):
    model = Provider
    icon = "group"
    menu_label = _("Partner providers")
    list_display = ["name", "kind", "mou_number", "mou_end_date", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "mou_number", "contact_name"]
    search_backend_name = None
    ordering = ["name"]
    inspect_view_enabled = True
    copy_view_enabled = False


class OfferingViewSet(ModelViewSet):
    model = Offering
    icon = "doc-full"
    menu_label = _("Partner offerings")
    list_display = ["title", "provider", "jp_hours", "path", "form", "cost", "is_active"]
    list_filter = ["provider", "path", "form", "is_active"]
    search_fields = ["title", "provider__name"]
    search_backend_name = None
    ordering = ["provider__name", "title"]
    inspect_view_enabled = True


class PartnersGroup(ModelViewSetGroup):
    menu_label = _("Partner training")
    menu_icon = "site"
    menu_order = 220
    items = (ProviderViewSet("partner_providers"), OfferingViewSet("partner_offerings"))


@hooks.register("register_admin_viewset")
def register_partners() -> PartnersGroup:
    return PartnersGroup()


class RequestQueueMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return user_is_hr(user=request.user)


@hooks.register("register_admin_menu_item")
def register_request_queue_menu_item() -> MenuItem:
    return RequestQueueMenuItem(
        _("Partner training requests"),
        reverse("providers:request_queue"),
        icon_name="tasks",
        order=225,
    )

"""Lists: cursor pagination in a stable order, and ``updated_since`` for incremental sync."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from rest_framework.pagination import CursorPagination


class UpdatedCursorPagination(CursorPagination):
    """Stable order by (updated_at, id): a client syncing with ``updated_since`` and following
    ``next`` sees every change once, even while rows change."""

    ordering = ("updated_at", "id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class IdCursorPagination(CursorPagination):
    ordering = ("id",)
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class SaneIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment PostgreSQL can compare: a real year and a real UTC offset."""

    def clean(self, value: Any) -> Any:
        moment = super().clean(value)
        if moment is None:
            return None
        offset = moment.utcoffset()
        if moment.year < 1900 or (offset is not None and abs(offset) > dt.timedelta(hours=14)):
            raise forms.ValidationError(
                _("Give a date and time such as 2026-01-31T08:00:00+07:00."), code="invalid"
            )
        return moment


class SaneIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = SaneIsoDateTimeField


class UpdatedSinceFilterSet(django_filters.FilterSet):
    updated_since = SaneIsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed at or after (ISO 8601)")
    )


def flag(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "yes")

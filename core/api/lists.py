"""Lists: cursor pagination in a stable order, ``updated_since`` for incremental sync, and the
query-parameter filters of the lists, each as strict as the OpenAPI document says.

django-filter's own filters read HTML forms: an empty ``?employee=`` means "no filter",
``NumberFilter`` takes ``1e3`` and ``DateFilter`` ``10/25/2006``. The filters here take what
the document states (an id is digits from 1, a date is ``YYYY-MM-DD``, a choice is one of the
enum) and refuse everything else with a 400 naming the parameter; ``page_size`` is refused past
its bounds instead of being quietly replaced.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination

from core.api.fields import BIGINT_MAX
from core.exceptions import FieldError, ValidationError

# RFC 3339 ``date-time`` (the schema's ``format: date-time``): Python's ``fromisoformat`` would
# also take a bare date, a space for the ``T``, a missing offset or a week date.
_DATE_TIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt](?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r":(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]+))?"
    r"(?:(?P<utc>[Zz])|(?P<sign>[+-])(?P<off_hour>[0-9]{2}):(?P<off_minute>[0-9]{2}))",
    re.ASCII,
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def parse_date_time(text: str) -> dt.datetime | None:
    """The UTC moment of an RFC 3339 ``date-time``, or ``None`` when ``text`` is not one.

    Any moment the format allows is answered: one before the year 1 or after 9999 in UTC (an
    offset can move a moment there) is taken as the first or last moment Python knows, and a
    leap second as the end of its minute."""
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        return None
    hour, minute, second = (int(match[name]) for name in ("hour", "minute", "second"))
    off_hour, off_minute = int(match["off_hour"] or 0), int(match["off_minute"] or 0)
    if hour > 23 or minute > 59 or second > 60 or off_hour > 23 or off_minute > 59:
        return None
    try:
        day = dt.date.fromisoformat(match["date"])
    except ValueError:
        return None
    microsecond = int((match["fraction"] or "0")[:6].ljust(6, "0"))
    if second == 60:
        second, microsecond = 59, 999_999
    offset = dt.timedelta(hours=off_hour, minutes=off_minute)
    if match["sign"] == "-":
        offset = -offset
    local = dt.datetime.combine(day, dt.time(hour, minute, second, microsecond))
    try:
        return (local - offset).replace(tzinfo=dt.UTC)
    except OverflowError:
        return (dt.datetime.min if offset > dt.timedelta(0) else dt.datetime.max).replace(
            tzinfo=dt.UTC
        )


class _StrictPageSize:
    """``page_size`` from 1 to ``max_page_size``; anything else is a 400, not the default."""

    page_size_query_param = "page_size"
    max_page_size = 1000
    page_size: int

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not _DIGITS.fullmatch(raw) or not 1 <= int(raw) <= self.max_page_size:
            message = _("Use a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
            raise ValidationError(errors=[FieldError(self.page_size_query_param, message)])
        return int(raw)

    def decode_cursor(self, request: Any) -> Cursor | None:
        """DRF's cursor, whose position must be a value of the ordering's first field: a
        cursor someone edited is refused like any other invalid cursor (404)."""
        cursor = super().decode_cursor(request)  # type: ignore[misc]
        position = None if cursor is None else cursor.position
        if position is not None and not self.position_is_valid(position):
            raise NotFound(self.invalid_cursor_message)  # type: ignore[attr-defined]
        return cursor

    def position_is_valid(self, position: str) -> bool:
        raise NotImplementedError

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)  # type: ignore[misc]
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters


class UpdatedCursorPagination(_StrictPageSize, CursorPagination):
    """Stable order by (updated_at, id): a client syncing with ``updated_since`` and following
    ``next`` sees every change once, even while rows change."""

    ordering = ("updated_at", "id")
    page_size = 100

    def position_is_valid(self, position: str) -> bool:
        try:
            return dt.datetime.fromisoformat(position).utcoffset() is not None
        except ValueError:
            return False


class IdCursorPagination(_StrictPageSize, CursorPagination):
    ordering = ("id",)
    page_size = 100

    def position_is_valid(self, position: str) -> bool:
        return bool(_DIGITS.fullmatch(position)) and int(position) <= BIGINT_MAX


# --- Filters --------------------------------------------------------------------------------


class _StrictFormField(forms.Field):
    """A form field that refuses a blank value instead of reading it as "no filter"."""

    def clean(self, value: Any) -> Any:
        if value is None:  # the parameter is absent
            return None
        if value == "":
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().clean(value)


class IdFormField(_StrictFormField):
    default_error_messages = {"invalid": _("Use an id: a whole number from 1.")}

    def to_python(self, value: Any) -> int:
        if not _DIGITS.fullmatch(value) or not 1 <= int(value) <= BIGINT_MAX:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": BIGINT_MAX})
class IdFilter(django_filters.Filter):
    """``?employee=12``: an id, digits from 1."""

    field_class = IdFormField


class CountFormField(_StrictFormField):
    default_error_messages = {"invalid": _("Use a whole number from 0.")}

    def to_python(self, value: Any) -> int:
        if not _DIGITS.fullmatch(value) or int(value) > BIGINT_MAX:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": BIGINT_MAX})
class CountFilter(django_filters.Filter):
    """``?depth=2``: a whole number from 0."""

    field_class = CountFormField


class ChoiceFormField(_StrictFormField, forms.ChoiceField):
    default_error_messages = {"invalid": _("Use one of the listed values.")}


class ChoiceFilter(django_filters.ChoiceFilter):
    """One of ``choices`` (the document's enum); blank is refused like any other value."""

    field_class = ChoiceFormField


class DateFormField(_StrictFormField):
    default_error_messages = {"invalid": _("Use a date as YYYY-MM-DD.")}

    def to_python(self, value: Any) -> dt.date:
        try:
            if _DATE.fullmatch(value):
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


@extend_schema_field({"type": "string", "format": "date"})
class DateFilter(django_filters.Filter):
    """``?active_on=2025-01-31`` (``YYYY-MM-DD``)."""

    field_class = DateFormField


class DateTimeFormField(_StrictFormField):
    default_error_messages = {
        "invalid": _("Give a date and time such as 2026-01-31T08:00:00+07:00.")
    }

    def to_python(self, value: Any) -> dt.datetime:
        moment = parse_date_time(value)
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return moment


@extend_schema_field({"type": "string", "format": "date-time"})
class DateTimeFilter(django_filters.Filter):
    """An RFC 3339 moment (``2026-01-31T08:00:00+07:00``); any the format allows."""

    field_class = DateTimeFormField


class UpdatedSinceFilterSet(django_filters.FilterSet):
    updated_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed at or after (ISO 8601)")
    )


def flag(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "yes")

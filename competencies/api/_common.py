"""Shared bits of the competency API: the scopes of reference data, the fields and filter
serializers of query parameters (``as_of`` above all), and the people a caller may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.request import Request

from competencies.access import actor_for
from competencies.models import Employee
from core import dates
from core.exceptions import FieldError, ValidationError

# The competency dictionary is reference data every integration needs (it is public on the
# site too): any of the read scopes grants it.
READ_REFERENCE = {"GET": ("gaps:read", "employees:read", "learning:read", "certificates:read")}


class IsoDateField(serializers.DateField):
    """A date written ``YYYY-MM-DD`` (ISO 8601), read by ``core.dates.parse_date``. Blank
    means no date; anything else is ``invalid_date``."""

    default_error_messages = {"invalid_date": _("Use a date as YYYY-MM-DD.")}

    def to_internal_value(self, value: Any) -> dt.date | None:
        try:
            return dates.parse_date(value)
        except ValueError:
            self.fail("invalid_date")


class IdField(serializers.IntegerField):
    """A database id as plain digits (no sign, no decimals, no spaces)."""

    def to_internal_value(self, data: Any) -> int:
        text = str(data)
        if not (text.isascii() and text.isdigit()):
            self.fail("invalid")
        return int(text)


class AsOfQuery(serializers.Serializer):
    """``?as_of=``: the day a question is asked for."""

    as_of = IsoDateField(
        required=False, default=dates.today, help_text="The date to answer for (default today)."
    )


def query_params(serializer_class: type[serializers.Serializer], request: Request) -> Any:
    """The query parameters of ``request`` as validated by ``serializer_class`` (a filter
    serializer). A bad one is a 400 problem naming each field, like every other refused input
    of a service (``core.exceptions.ValidationError``)."""
    query = serializer_class(data=request.query_params)
    if not query.is_valid():
        raise ValidationError(
            errors=[
                FieldError(name, str(error), error.code)
                for name, field_errors in query.errors.items()
                for error in field_errors
            ]
        )
    return query.validated_data


def visible_employee(request: Request, pk: int) -> Employee:
    return get_object_or_404(actor_for(request).employees(), pk=pk)

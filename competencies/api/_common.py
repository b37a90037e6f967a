"""Shared bits of the competency API: the scopes of reference data, the fields and filter
serializers of query parameters (``as_of`` above all), and the people a caller may see."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.request import Request

from competencies.access import actor_for
from competencies.models import SIASN_ID_PATTERN, Employee
from competencies.validators import normalise_nip, parse_nip
from core import dates
from core.api.fields import BIGINT_MAX, StrictCharField
from core.exceptions import FieldError, ValidationError

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)

#: A NIP (or NI PPPK) as the API takes it: 18 digits, spaces between them ignored.
NIP_PATTERN = r" *(?:[0-9] *){18}"
_NIP = re.compile(NIP_PATTERN)
#: Codes as the framework writes them (``models.CODE_VALIDATOR``); the API reads a competency
#: code in any case, a position's as written.
COMPETENCY_CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9.\-]*"
POSITION_CODE_PATTERN = r"[A-Z0-9][A-Z0-9.\-]*"


class NipField(StrictCharField):
    """A NIP as the API takes it (``NIP_PATTERN``), given back as its 18 digits. A value of
    another form is refused with the reason ``parse_nip`` gives (a spreadsheet's rounded
    number says how to fix the sheet); whether the digits make a real NIP (a birth date, an
    appointment) is the caller's business rule."""

    default_error_messages = {"pattern": _("A NIP has exactly 18 digits.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", "18 digits (spaces between them are ignored)")
        super().__init__(pattern=NIP_PATTERN, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data)
        if len(text) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        if not _NIP.fullmatch(text):
            try:
                parse_nip(text)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(
                    exc.messages[0], code=exc.error_list[0].code or "pattern"
                ) from None
            self.fail("pattern")
        return normalise_nip(text)


# The competency dictionary is reference data every integration needs (it is public on the
# site too): any of the read scopes grants it.
READ_REFERENCE = {"GET": ("gaps:read", "employees:read", "learning:read", "certificates:read")}


class SiasnIdField(StrictCharField):
    """A SIASN identifier (a GUID: 32 hexadecimal digits, with or without the hyphens), kept as
    sent; optional, and ``""`` clears it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(max_length=36, pattern=SIASN_ID_PATTERN, allow_blank=True, **kwargs)


class IsoDateField(serializers.DateField):
    """A date written ``YYYY-MM-DD`` (RFC 3339 ``full-date``, the schema's ``format: date``);
    anything else, blank included, is ``invalid_date``."""

    default_error_messages = {"invalid_date": _("Use a date as YYYY-MM-DD.")}

    def to_internal_value(self, value: Any) -> dt.date:
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            self.fail("invalid_date")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail("invalid_date")


class DigitsField(serializers.IntegerField):
    """A whole number written in plain digits (no sign, no decimals, no spaces) from
    ``min_value`` (default 0) to ``max_value`` (default the largest id), which the schema
    states; anything else is ``invalid``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        text = str(data)
        if not _DIGITS.fullmatch(text) or not self.min_value <= int(text) <= self.max_value:
            self.fail("invalid")
        return int(text)


class IdField(DigitsField):
    """A database id: digits, from 1."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


class AsOfQuery(serializers.Serializer):
    """``?as_of=``: the day a question is asked for."""

    as_of = IsoDateField(
        required=False, default=dates.today, help_text="The date to answer for (default today)."
    )


def query_params(serializer_class: type[serializers.Serializer], request: Request) -> Any:
    """The query parameters of ``request`` as validated by ``serializer_class`` (a filter
    serializer). A bad one is a 400 problem naming each field, like every other refused input
    of a service (``core.exceptions.ValidationError``)."""
    # A plain dictionary (each parameter's last value), not the QueryDict: DRF reads a form's
    # blank field as "not sent", and a blank parameter is a wrong value like any other.
    query = serializer_class(data=request.query_params.dict())
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

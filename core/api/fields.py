"""Strict fields for the API's JSON bodies: each takes exactly the JSON type and the values the
OpenAPI document states, and states in the document everything it refuses.

DRF's own fields are lenient because they also read HTML forms: ``IntegerField`` takes ``"12"``
and ``12.0``, ``BooleanField`` ``"true"``, ``"on"`` and ``1``, ``CharField`` ``12`` and trims
spaces, ``DateField`` ``"20250102"``. In a JSON body each of those is a client bug that the
schema forbids, and answering it as if it were right hides the bug until a stricter server
refuses it. So these refuse whatever the schema forbids, with DRF's own error codes
(``invalid``, ``min_value``, …), and carry their bounds and patterns as validators, which
drf-spectacular writes into the document.

A text's limits hold for the text as sent, so ``maxLength`` in the document counts exactly the
characters the server counts; the server then trims it. A NUL character is refused in every
text (PostgreSQL cannot store one), as DRF's ``CharField`` does; ``core.api.schema`` says so
in the document.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
    RegexValidator,
)
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty

#: The largest value of a PostgreSQL ``bigint`` (ids) and ``integer`` / ``smallint`` columns.
BIGINT_MAX = 2**63 - 1
INTEGER_MAX = 2**31 - 1
SMALLINT_MAX = 2**15 - 1

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


class StrictCharField(serializers.CharField):
    """A JSON string. Its limits (``maxLength``, ``pattern``) hold for the text as sent; the
    value is then trimmed (``trim_whitespace``, on by default), and a required text that was
    only whitespace is refused as ``only_whitespace``. ``pattern`` is a regular expression the
    whole value must match, written without anchors in the syntax Python, ECMA 262 and
    JSON Schema validators share (character classes, not ``\\d`` or ``\\s``)."""

    default_error_messages = {
        "pattern": _("This value does not have the expected form."),
        "only_whitespace": _("This field holds only whitespace."),
    }

    def __init__(self, *, pattern: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if pattern is not None:
            # \A and \Z, not ^ and $: Python's $ also matches before a final newline.
            self.validators.append(
                RegexValidator(
                    rf"\A(?:{pattern})\Z", message=self.error_messages["pattern"], code="pattern"
                )
            )

    def run_validation(self, data: Any = empty) -> Any:
        if data == "":
            if not self.allow_blank:
                self.fail("blank")
            return ""
        # DRF's CharField trims before it checks; the limits are on the text as sent.
        value = serializers.Field.run_validation(self, data)
        if isinstance(value, str) and self.trim_whitespace:
            value = value.strip()
            if not value and not self.allow_blank:
                self.fail("only_whitespace")
        return value

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return data


class StrictEmailField(serializers.EmailField):
    """An e-mail address as a JSON string, taken as sent, of at most 254 characters (the
    column's length and RFC 5321's limit)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return data


class StrictChoiceField(serializers.ChoiceField):
    """One of the choices, as a JSON string (DRF also takes ``1`` for ``"1"``)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer: no string, no boolean, no ``1.0``. Pass ``max_value`` for the column
    (``INTEGER_MAX`` …) so that no value past it reaches the database."""

    def to_internal_value(self, data: Any) -> int:
        if type(data) is not int:
            self.fail("invalid")
        return data


class IdField(StrictIntegerField):
    """A database id: a JSON integer from 1 to ``BIGINT_MAX``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)


class StrictBooleanField(serializers.BooleanField):
    """``true`` or ``false`` (DRF also takes ``"yes"``, ``"on"``, ``1`` …)."""

    def to_internal_value(self, data: Any) -> bool:
        if data is True or data is False:
            return data
        self.fail("invalid", input=data)


class RoundedDecimalField(serializers.DecimalField):
    """A JSON number (no string), kept to ``decimal_places`` (rounded half up): the bounds are
    checked on the number as sent, so ``minimum`` and ``maximum`` in the document hold
    exactly, and the rounded value stays inside them."""

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        value = Decimal(repr(data)) if isinstance(data, float) else Decimal(data)
        for validator in self.validators:  # the bounds, on the value as sent
            if isinstance(validator, MinValueValidator | MaxValueValidator):
                validator(value)
        step = Decimal(1).scaleb(-self.decimal_places)
        return value.quantize(step, rounding=ROUND_HALF_UP)

    def run_validators(self, value: Any) -> None:
        """The bounds were checked on the value as sent (``to_internal_value``)."""


class StrictDateField(serializers.DateField):
    """A date written ``YYYY-MM-DD`` (RFC 3339 ``full-date``, the schema's ``format: date``);
    Python would also read ``20250102`` or ``2025-W01-4``."""

    default_error_messages = {"invalid": _("Use a date as YYYY-MM-DD.")}

    def to_internal_value(self, value: Any) -> dt.date:
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            self.fail("invalid", format="YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail("invalid", format="YYYY-MM-DD")


class StrictListField(serializers.ListField):
    """A JSON array (DRF also takes a dictionary of a form's ``name[0]`` keys)."""

    def to_internal_value(self, data: Any) -> list[Any]:
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


def no_nul_characters() -> ProhibitNullCharactersValidator:
    """For the texts a field reads without ``CharField``'s validators."""
    return ProhibitNullCharactersValidator()

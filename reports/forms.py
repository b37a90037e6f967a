"""The reports' GET forms: a year, a number of quarters, a number of years ahead.

Each form is bound to the query string; bad input is explained on its field and the report
is drawn for the default instead, so a mistyped link still shows something.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.retirement import DEFAULT_YEARS
from reports.selectors import DEFAULT_QUARTERS

#: The first year the ledger can hold.
FIRST_YEAR = 2000


class _ReportForm(forms.Form):
    defaults: dict[str, Any] = {}

    def value(self, name: str) -> Any:
        """The cleaned value of ``name``, or its default when blank or invalid."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get(name) is not None:
            return self.cleaned_data[name]
        return self.defaults[name]


def _year_range(first: int, last: int) -> Callable[[int | None], None]:
    def validate(value: int | None) -> None:
        if value is not None and not first <= value <= last:
            raise forms.ValidationError(
                _("Choose a year from %(first)s to %(last)s."),
                code="year_range",
                params={"first": first, "last": last},
            )

    return validate


class YearForm(_ReportForm):
    year = forms.IntegerField(label=_("Year"), required=False)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.defaults = {"year": today.year}
        field = self.fields["year"]
        field.validators = [*field.validators, _year_range(FIRST_YEAR, today.year)]
        field.widget.attrs.update({"min": FIRST_YEAR, "max": today.year})
        field.help_text = _("From %(first)s to this year.") % {"first": FIRST_YEAR}


class TrendForm(_ReportForm):
    quarters = forms.IntegerField(
        label=_("Quarters"),
        required=False,
        min_value=2,
        max_value=12,
        help_text=_("How many quarters back, from 2 to 12."),
    )
    defaults = {"quarters": DEFAULT_QUARTERS}


class RetirementForm(_ReportForm):
    years = forms.IntegerField(
        label=_("Years ahead"),
        required=False,
        min_value=1,
        max_value=15,
        help_text=_("People who retire within this many years, from 1 to 15."),
    )
    defaults = {"years": DEFAULT_YEARS}


class CoverageForm(_ReportForm):
    """One perangkat daerah, or the whole city (blank)."""

    unit = forms.TypedChoiceField(
        label=_("Perangkat daerah"), required=False, coerce=int, empty_value=None
    )
    defaults = {"unit": None}

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("The whole city")), *units]

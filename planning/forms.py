"""The AKPK pages' forms: generate a draft, edit a row, take a step. They validate input and
explain it field by field; the services decide the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from competencies.models import OrgUnit
from courses.models import CoursePage
from planning.models import AkpkAction, DevelopmentForm, DevelopmentPath, Priority

QUARTERS = [(q, _("Quarter %(number)s") % {"number": q}) for q in (1, 2, 3, 4)]
#: The most a row may plan (a JP count, a cost in rupiah): a bound that catches a typo.
MAX_JP = 1000
MAX_COST = 1_000_000_000


def planning_years(today: dt.date) -> list[int]:
    """The years one may plan: this one and the next (AKPK is drawn up the year before)."""
    return [today.year, today.year + 1]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Planning year"), coerce=int)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = sorted({*planning_years(today), today.year - 1})
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.today = today

    @property
    def planning_year(self) -> int:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"]
        return self.today.year


class GenerateForm(forms.Form):
    org_unit = forms.ModelChoiceField(
        label=_("Perangkat daerah"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    year = forms.TypedChoiceField(label=_("Planning year"), coerce=int)

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units
        self.fields["year"].choices = [(y, str(y)) for y in planning_years(today)]


class RowForm(forms.Form):
    development_form = forms.ChoiceField(
        label=_("Development form"), choices=DevelopmentForm.choices
    )
    path = forms.ChoiceField(label=_("Path"), choices=DevelopmentPath.choices)
    course = forms.ModelChoiceField(
        label=_("Tangkas course (provider)"),
        queryset=CoursePage.objects.live().filter(is_open=True).order_by("title"),
        required=False,
        empty_label=_("— none —"),
    )
    planned_quarter = forms.TypedChoiceField(
        label=_("Planned quarter"), choices=QUARTERS, coerce=int
    )
    jp_hours = forms.IntegerField(label=_("Learning hours (JP)"), min_value=0, max_value=MAX_JP)
    estimated_cost = forms.IntegerField(
        label=_("Estimated cost (Rp)"), min_value=0, max_value=MAX_COST
    )
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)
    removed = forms.BooleanField(label=_("Removed from the AKPK"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("course") and data.get("offering"):
            self.add_error(
                "offering", _("Choose a Tangkas course or a partner offering, not both.")
            )
        return data


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Step"),
        choices=[
            (a, label)
            for a, label in AkpkAction.choices
            if a in (AkpkAction.SUBMIT, AkpkAction.VERIFY, AkpkAction.RETURN, AkpkAction.APPROVE)
        ],
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

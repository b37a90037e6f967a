"""The forms of the web pages. Every one is a plain GET or POST form that works without
JavaScript and explains each error in the page's language.

The choice lists are limited to what the user may see: a head of unit picks among the people
and positions of their own subtree, HR among everyone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from competencies.access import rotation_refusals
from competencies.models import Assignment, Employee, OrgUnit, Position
from competencies.selectors import assignments_on


class IsoDateInput(forms.DateInput):
    """The browser's date picker. ``<input type="date">`` takes only an ISO 8601 date
    (YYYY-MM-DD), whatever the page's language; Django would write the locale's format
    (``01-12-2026`` in Indonesian), which the browser throws away, losing the default date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class IsoDateField(forms.DateField):
    """A date field of the web pages: every one renders through ``IsoDateInput``."""

    widget = IsoDateInput


class UnitLabelMixin:
    """Choice labels "Title — Unit" for positions."""

    def label_from_instance(self, obj: Position) -> str:
        unit = obj.org_unit.short_name or obj.org_unit.name
        return f"{obj.title} — {unit}"


class PositionChoiceField(UnitLabelMixin, forms.ModelChoiceField):
    pass


def active_positions(units: QuerySet[OrgUnit] | None = None) -> QuerySet[Position]:
    positions = Position.objects.filter(is_active=True)
    if units is not None:
        positions = positions.filter(org_unit__in=units)
    return positions.select_related("org_unit").order_by("org_unit__path", "-is_head", "title")


class ReadinessForm(forms.Form):
    """``/me/competencies/?position=<id>``: how ready am I for another position?"""

    position = PositionChoiceField(
        label=_("Position"),
        queryset=Position.objects.none(),
        required=False,
        empty_label=_("My current position"),
        error_messages={"invalid_choice": _("Choose one of the positions in the list.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = active_positions()


SORT_CHOICES = [
    ("unit", _("Unit and position")),
    ("name", _("Name")),
    ("gap", _("Largest total gap first")),
]


class HeatmapFilterForm(forms.Form):
    """The dashboard's filters: sort order, one competency, only people with a gap."""

    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the sort orders in the list.")},
    )
    competency = forms.ChoiceField(
        label=_("Competency"),
        choices=[],
        required=False,
        error_messages={
            "invalid_choice": _("%(value)s is not required in this unit; choose from the list.")
        },
    )
    only_gaps = forms.BooleanField(label=_("Only people with a gap"), required=False)

    def __init__(self, *args: Any, competencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get("competency"):
            # Codes are upper case (TIK-05); a hand-typed tik-05 means the same.
            self.data = self.data.copy()
            self.data["competency"] = self.data["competency"].strip().upper()
        self.fields["competency"].choices = [("", _("All competencies"))] + [
            (c.code, f"{c.code} · {c.name_for(get_language() or 'id')}") for c in competencies
        ]


class AsOfForm(forms.Form):
    """``?as_of=``: the day the dashboard's unit view answers for (blank: today). Whether the
    user may ask about that day is the access policy's to say (``unit_day_refusals``); for a
    head the date picker stops at today."""

    as_of = IsoDateField(
        label=_("As of"),
        required=False,
        error_messages={"invalid": _("Write the date as YYYY-MM-DD, for example 2026-07-01.")},
    )

    def __init__(self, *args: Any, today: dt.date, organisation_wide: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        if not organisation_wide:
            self.fields["as_of"].widget.attrs["max"] = today.isoformat()

    @property
    def day(self) -> dt.date:
        """The day asked for, or today when none (or no valid date) was given."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return self.today


#: The form's fields for the fields ``competencies.access.rotation_refusals`` names.
ROTATION_FIELDS = {"position": "position", "date": "on_date"}


class RotationForm(forms.Form):
    """Try a rotation: a person of the unit, the position they would move to, and when.

    Which positions and days a user may ask about is the rule the API applies too
    (``competencies.access.rotation_refusals``): a head, positions of the units they lead
    today and a move today or later; HR, anything."""

    employee = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Employee.objects.none(),
        empty_label=_("Choose a person"),
        error_messages={
            "required": _("Choose the person who would move."),
            "invalid_choice": _("Choose one of the people in the list."),
        },
    )
    position = PositionChoiceField(
        label=_("New position"),
        queryset=Position.objects.none(),
        empty_label=_("Choose a position"),
        error_messages={
            "required": _("Choose the position the person would move to."),
            "invalid_choice": _("Choose one of the positions in the list."),
        },
    )
    on_date = IsoDateField(
        label=_("Date of the move (TMT)"),
        error_messages={
            "required": _("Give the date of the move."),
            "invalid": _("Write the date as YYYY-MM-DD, for example 2026-07-01."),
        },
    )

    def __init__(
        self,
        *args: Any,
        org_unit: OrgUnit,
        visible_units: QuerySet[OrgUnit],
        today: dt.date,
        unit_ids: list[int] | None,
        **kwargs: Any,
    ) -> None:
        """``unit_ids``: the units the user sees today, ``None`` for HR (every unit)."""
        super().__init__(*args, **kwargs)
        self.today = today
        self.unit_ids = unit_ids
        self.fields["employee"].queryset = (
            Employee.objects.filter(
                pk__in=Assignment.objects.definitive()
                .active_on(today)
                .filter(
                    position__org_unit__path__startswith=org_unit.path,
                )
                .values("employee_id")
            )
            .only("id", "name")
            .order_by("name", "id")
        )
        self.fields["position"].queryset = active_positions(visible_units)

    def clean_on_date(self) -> dt.date:
        on_date = self.cleaned_data["on_date"]
        if on_date.year > self.today.year + 5:
            raise forms.ValidationError(_("Choose a date within the next five years."))
        return on_date

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        employee, position, on_date = (
            data.get("employee"),
            data.get("position"),
            data.get("on_date"),
        )
        if on_date:
            for refusal in rotation_refusals(
                unit_ids=self.unit_ids,
                position_unit_id=position.org_unit_id if position else None,
                on_date=on_date,
                today=self.today,
            ):
                self.add_error(ROTATION_FIELDS[refusal.field], refusal.message)
        if employee and position and on_date and not self.errors:
            held = assignments_on(employee=employee, as_of=on_date).filter(position=position)
            if held.exists():
                self.add_error(
                    "position",
                    _("%(name)s already holds this position on that date.")
                    % {"name": employee.name},
                )
        return data


class AkpkForm(forms.Form):
    """The planning year of the AKPK draft."""

    year = forms.TypedChoiceField(
        label=_("Planning year"),
        coerce=int,
        choices=[],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the years in the list.")},
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_year = today.year
        self.fields["year"].choices = [
            (year, str(year)) for year in range(today.year + 1, today.year - 3, -1)
        ]

    @property
    def planning_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return self.default_year

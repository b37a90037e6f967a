"""The forms of the partner pages: plain GET and POST forms that work without JavaScript and
explain each error in the page's language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from competencies.models import Competency
from providers.models import DevelopmentPath, Provider
from providers.services import COMMENT_MAX


class _IsoDateInput(forms.DateInput):
    """``<input type="date">`` takes only an ISO date, whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class CatalogueFilterForm(forms.Form):
    """``/partners/?competency=&path=&provider=``"""

    competency = forms.ModelChoiceField(
        queryset=Competency.objects.none(), required=False, label=_("Competency")
    )
    path = forms.ChoiceField(
        choices=[("", _("Any path")), *DevelopmentPath.choices], required=False, label=_("Path")
    )
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.none(), required=False, label=_("Provider")
    )

    def __init__(
        self,
        data: Any,
        *,
        providers: list[Provider],
        competencies: list[Competency],
    ) -> None:
        super().__init__(data)
        # The choices come from lists the page has already read: no query per field.
        self.fields["competency"].queryset = Competency.objects.filter(
            pk__in=[c.pk for c in competencies]
        )
        self.fields["competency"].choices = [("", _("Any competency"))] + [
            (c.pk, f"{c.code} {c.name_for(get_language())}") for c in competencies
        ]
        self.fields["provider"].queryset = Provider.objects.filter(pk__in=[p.pk for p in providers])
        self.fields["provider"].choices = [("", _("Any provider"))] + [
            (p.pk, p.name) for p in providers
        ]


class RequestForm(forms.Form):
    comment = forms.CharField(
        label=_("Why this training (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (required when rejecting)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CompletionForm(forms.Form):
    start_date = forms.DateField(label=_("Started on"), required=False, widget=_IsoDateInput)
    completed_date = forms.DateField(label=_("Completed on"), widget=_IsoDateInput)
    jp_hours = forms.DecimalField(
        label=_("JP earned"),
        min_value=Decimal("0.25"),
        max_digits=6,
        decimal_places=2,
    )

"""The forms of the plan pages: plain HTML forms, each field labelled, errors by the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from competencies.models import Competency, Position
from courses.models import CoursePage
from development.models import ActivityKind, DevelopmentPlan, PlanGoal
from providers.models import Offering

LEVEL_CHOICES = [(level, str(level)) for level in range(1, 6)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class GoalForm(forms.Form):
    competency = forms.ModelChoiceField(
        label=_("Competency"), queryset=Competency.objects.none(), empty_label=_("— choose —")
    )
    target_level = forms.TypedChoiceField(
        label=_("Target level"), choices=LEVEL_CHOICES, coerce=int
    )
    target_date = forms.DateField(label=_("Target date"), widget=DateInput())
    target_position = forms.CharField(
        label=_("Target position code (optional)"),
        required=False,
        max_length=40,
        help_text=_("Fill in when the goal prepares you for another position."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "goal")
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = Competency.objects.filter(is_active=True).order_by(
            "code"
        )

    def clean_target_position(self) -> Position | None:
        code = self.cleaned_data["target_position"].strip()
        if not code:
            return None
        position = Position.objects.filter(code__iexact=code, is_active=True).first()
        if position is None:
            raise forms.ValidationError(_("No active position has this code."))
        return position


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    course = forms.ModelChoiceField(
        label=_("Tangkas course (for a Tangkas course)"),
        queryset=CoursePage.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    offering = forms.ModelChoiceField(
        label=_("Partner offering (for a partner training)"),
        queryset=Offering.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    title = forms.CharField(label=_("Title (for any other kind)"), max_length=300, required=False)
    goal = forms.ModelChoiceField(
        label=_("Goal it serves"),
        queryset=PlanGoal.objects.none(),
        required=False,
        empty_label=_("— no particular goal —"),
    )
    target_date = forms.DateField(label=_("Target date"), widget=DateInput())

    def __init__(self, *args: Any, plan: DevelopmentPlan, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "activity")
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["offering"].queryset = Offering.objects.filter(
            is_active=True, provider__is_active=True
        ).order_by("title")
        self.fields["goal"].queryset = PlanGoal.objects.filter(plan=plan).select_related(
            "competency"
        )
        self.fields["goal"].label_from_instance = lambda goal: (
            f"{goal.competency.code} {goal.competency.name_id} → {goal.target_level}"
        )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

"""The forms of the evaluation pages: plain HTML forms (radio buttons, a text area) that work
without JavaScript and explain bad input field by field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Application

SCORES = [(n, str(n)) for n in range(1, 6)]
SCORE_ERRORS = {
    "required": _("Choose a score from 1 to 5."),
    "invalid_choice": _("Choose a score from 1 to 5."),
}


def _score(label: str, help_text: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=SCORE_ERRORS,
    )


class ReactionForm(forms.Form):
    relevance = _score(
        _("Relevance"), _("How relevant was it to your work? 1 = not at all, 5 = very.")
    )
    quality = _score(
        _("Quality"), _("How good were the material and the teaching? 1 = poor, 5 = excellent.")
    )
    applicability = _score(
        _("Applicability"), _("How much can you apply in your work? 1 = nothing, 5 = a lot.")
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BehaviourForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Does the person apply what was learned in their work?"),
        choices=Application.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose yes, partly or no."),
            "invalid_choice": _("Choose yes, partly or no."),
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    validate_evidence = forms.BooleanField(
        label=_("If yes: validate the competency evidence recorded from this training"),
        required=False,
        initial=True,
    )

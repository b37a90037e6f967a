"""Errors the evaluation services raise (see ``core.exceptions``)."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import ConflictError, PermissionDeniedError


class AlreadyEvaluatedError(ConflictError):
    code = "already_evaluated"
    default_message = _("This training has already been evaluated.")


class NotYourEvaluationError(PermissionDeniedError):
    code = "not_your_evaluation"
    default_message = _("You do not lead this person today, so you cannot answer for them.")

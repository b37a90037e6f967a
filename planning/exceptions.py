"""Errors the AKPK workflow raises; each has a problem page (``core.api.problems``)."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import ConflictError, PermissionDeniedError


class InvalidTransitionError(ConflictError):
    """The action does not lead anywhere from the plan's state (approving a draft)."""

    code = "akpk_invalid_transition"
    default_message = _("This AKPK cannot take that step from its current state.")


class AkpkFrozenError(ConflictError):
    """Only a draft is edited: a submitted, verified or approved AKPK refuses changes."""

    code = "akpk_frozen"
    default_message = _(
        "This AKPK is no longer a draft: it cannot be edited. An approved AKPK can be changed "
        "only in a new revision."
    )


class AkpkExistsError(ConflictError):
    """A perangkat daerah has one open AKPK per year."""

    code = "akpk_exists"
    default_message = _("This perangkat daerah already has an open AKPK for that year.")


class AkpkActionNotAllowedError(PermissionDeniedError):
    """The user's role on the day does not allow the step (a head who rotated out)."""

    code = "akpk_action_not_allowed"
    default_message = _("Your role today does not allow this step of the AKPK.")

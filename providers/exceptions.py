"""Errors the provider services raise (see ``core.exceptions``). They keep the codes of their
bases, whose problem types already exist: the message says what went wrong."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import ConflictError, NotFoundError, PermissionDeniedError


class OfferingUnavailableError(ConflictError):
    default_message = _(
        "This offering cannot be requested: it is closed, over, or its partner's MoU is not "
        "valid today."
    )


class RequestAlreadyOpenError(ConflictError):
    default_message = _("You already have an open request for this offering.")


class RequestStateError(ConflictError):
    default_message = _("This request is no longer in a state that allows it.")


class RequestNotFoundError(NotFoundError):
    default_message = _("That request does not exist or is not yours.")


class OfferingNotFoundError(NotFoundError):
    default_message = _("That offering does not exist.")


class NotHRError(PermissionDeniedError):
    default_message = _("Only HR (BKPSDM) decides on partner training requests.")


class NoPersonError(PermissionDeniedError):
    default_message = _("Your login is not linked to a civil servant in service.")

"""Errors the certificate services raise (see ``core.exceptions``)."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import ConflictError, NotFoundError, ValidationError


class CertificateNotFoundError(NotFoundError):
    code = "certificate_not_found"
    default_message = _("There is no certificate with this code.")


class RevocationReasonRequiredError(ValidationError):
    code = "revocation_reason_required"
    default_message = _(
        "Say why the certificate is revoked; the reason is shown to anyone who verifies it."
    )


class AlreadyRevokedError(ConflictError):
    code = "already_revoked"
    default_message = _("This certificate is already revoked.")


class CertificateSignedError(ConflictError):
    """A signed certificate says what it says: its credential and PDF are fixed, and anyone
    may hold a copy. A change is a revocation and a new certificate."""

    code = "certificate_signed"
    default_message = _(
        "This certificate is signed and can no longer be changed. Revoke it and issue a new "
        "one instead."
    )

"""The application error hierarchy.

Every domain error raised by a service is an ``ApplicationError`` subclass defined in its app's
``exceptions.py`` (``competencies.exceptions.OverlappingAssignmentError``, …). One DRF
exception handler turns them into RFC 9457 ``application/problem+json``; the web UI shows the
same translated message. Messages are lazily translated so each user reads them in their own
language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field (or one row of a bulk write: ``field="rows[12].nip"``)."""

    field: str
    message: Any
    code: str = "invalid"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": str(self.message), "code": self.code}


class ApplicationError(Exception):
    """Base of every error a service raises on purpose.

    ``code`` is stable and machine-readable; ``message`` is for people; ``errors`` lists
    field-level problems; ``status`` is the HTTP status the API answers with.
    """

    default_message: ClassVar[Any] = _("The request could not be completed.")
    code: ClassVar[str] = "application_error"
    status: ClassVar[int] = 400

    def __init__(self, message: Any = None, *, errors: list[FieldError] | None = None) -> None:
        self.message = message if message is not None else self.default_message
        self.errors = list(errors or [])
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class NotFoundError(ApplicationError):
    default_message = _("Not found.")
    code = "not_found"
    status = 404


class PermissionDeniedError(ApplicationError):
    default_message = _("You may not do this.")
    code = "permission_denied"
    status = 403


class ValidationError(ApplicationError):
    """Input that breaks a rule; ``errors`` names each field or row."""

    default_message = _("The input is not valid.")
    code = "invalid"
    status = 400


class ConflictError(ApplicationError):
    """The request conflicts with the current state (already revoked, overlapping, …)."""

    default_message = _("The request conflicts with the current state.")
    code = "conflict"
    status = 409

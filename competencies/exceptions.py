"""Errors the competency services raise; each carries a translated message for people and a
stable ``code`` for machines (see ``core.exceptions``)."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import ConflictError, NotFoundError, ValidationError


class InvalidNipError(ValidationError):
    code = "invalid_nip"
    default_message = _("The NIP is not valid.")


class DuplicateNipError(ConflictError):
    code = "duplicate_nip"
    default_message = _("An employee with this NIP already exists.")


class OverlappingAssignmentError(ConflictError):
    code = "overlapping_assignment"
    default_message = _(
        "This definitive assignment overlaps another definitive assignment of the same person."
    )


class InvalidDateRangeError(ValidationError):
    code = "invalid_date_range"
    default_message = _("The end date must not be before the start date.")


class InvalidLevelError(ValidationError):
    code = "invalid_level"
    default_message = _("A competency level is a whole number from 1 to 5.")


class UnknownCompetencyError(ValidationError):
    code = "unknown_competency"
    default_message = _("There is no competency with this code.")


class UnitCycleError(ValidationError):
    code = "unit_cycle"
    default_message = _("A unit cannot be moved under itself or one of its own sub-units.")


class ImportRowsError(ValidationError):
    """An import was refused; ``errors`` names every bad row (``field="line 7: nip"``)."""

    code = "import_rejected"
    default_message = _("Nothing was imported: some rows are not valid.")


class EmployeeNotFoundError(NotFoundError):
    code = "employee_not_found"
    default_message = _("There is no such employee.")

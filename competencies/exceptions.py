"""Errors the competency services raise; each carries a translated message for people and a
stable ``code`` for machines (see ``core.exceptions``)."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import ConflictError, NotFoundError, PermissionDeniedError, ValidationError


class InvalidNipError(ValidationError):
    code = "invalid_nip"
    default_message = _("The NIP is not valid.")


class DuplicateNipError(ConflictError):
    code = "duplicate_nip"
    default_message = _("An employee with this NIP already exists.")


class DuplicateSiasnIdError(ConflictError):
    code = "duplicate_siasn_id"
    default_message = _("Another record already has this SIASN id.")


class DuplicateRankTmtError(ConflictError):
    code = "duplicate_rank_tmt"
    default_message = _("This person's golongan history already has a row with this TMT.")


class OverlappingAssignmentError(ConflictError):
    code = "overlapping_assignment"
    default_message = _(
        "This definitive assignment overlaps another definitive assignment of the same person."
    )


class UnitHeadTakenError(ConflictError):
    """A unit has one head position (*jabatan kepala*); another position already is it."""

    code = "unit_head_taken"
    default_message = _("This unit already has a head position.")


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


class AccessRefusedError(PermissionDeniedError):
    """A person asked about a unit, a position or a day that their place in the organisation
    does not open to them (``competencies.access``); ``errors`` names each refused field
    (``as_of``, ``position``, ``date``). The same ``forbidden`` code as a refused role."""

    code = "forbidden"
    default_message = _("Your role does not allow this operation.")


class ImportRowsError(ValidationError):
    """An import was refused; ``errors`` names every bad row (``field="line 7: nip"``)."""

    code = "import_rejected"
    default_message = _("Nothing was imported: some rows are not valid.")


class EmployeeNotFoundError(NotFoundError):
    code = "employee_not_found"
    default_message = _("There is no such employee.")


class EvidencePolicyError(ValidationError):
    code = "evidence_policy"
    default_message = _(
        "Managerial and socio-cultural levels come from a competency assessment or a "
        "supervisor's or HR's validation, not from a course or a certificate."
    )


class EvidenceAlreadyReviewedError(ConflictError):
    code = "evidence_already_reviewed"
    default_message = _("This evidence has already been validated or rejected.")


class OwnEvidenceReviewError(ValidationError):
    code = "own_evidence"
    default_message = _("Nobody validates or rejects their own evidence.")


class NipInUrlError(ValidationError):
    """A NIP was sent in a URL (``?nip=``), where proxies and servers log it."""

    code = "nip_in_url"
    default_message = _(
        "A NIP is never sent in a URL, where proxies and servers log it: look a person up "
        'with POST /api/v1/employees/lookup/ and {"nip": "…"} in the body.'
    )

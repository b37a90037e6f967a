"""The bulk upsert of people by NIP (``POST /api/v1/employees/bulk/``): ``BulkIn`` is the one
validation of the rows, and ``competencies.bulk`` writes them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import empty
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from competencies import bulk
from competencies.access import acting_user
from competencies.api._common import (
    POSITION_CODE_PATTERN,
    IsoDateField,
    NipField,
    SiasnIdField,
)
from competencies.exceptions import ImportRowsError
from competencies.models import (
    RANK_CHOICES,
    SIASN_ID_PATTERN,
    AssignmentKind,
    EmployeeStatus,
    EmploymentType,
    Position,
    validate_rank_for,
)
from competencies.validators import normalise_nip, parse_nip
from core import dates
from core.api.fields import BIGINT_MAX, StrictCharField, StrictChoiceField, StrictEmailField
from core.api.idempotency import idempotent
from core.api.parsers import BulkJSONParser
from core.exceptions import ApplicationError, FieldError, ValidationError

_POSITION_REF = re.compile(POSITION_CODE_PATTERN)


class Nip(NamedTuple):
    number: str  # without spaces
    kind: str  # "pns" or "pppk"


class BulkNipField(NipField):
    """A NIP (or NI PPPK) as the API takes it, checked by ``parse_nip``: gives a ``Nip``. Each
    kind of mistake has its own code (``nip_length``, ``nip_birth_date``, …)."""

    def to_internal_value(self, data: Any) -> Nip:
        number = super().to_internal_value(data)
        try:
            return Nip(number, parse_nip(number).kind)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                exc.messages[0], code=exc.error_list[0].code or "invalid_nip"
            ) from None

    def run_validation(self, data: Any = empty) -> Nip:
        # A missing NIP is refused for what a NIP must be, like any other wrong one.
        return self.to_internal_value("" if data is empty else data)


@extend_schema_field(
    {
        "oneOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}],
        "nullable": True,
    }
)
class BlankableDateField(IsoDateField):
    """A date (``YYYY-MM-DD``) of a row, which may be an empty cell: null or ``""``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_null=True, **kwargs)


class BulkRowList(serializers.ListSerializer):
    """The rows of a bulk upsert: a list of 1 to ``bulk.MAX_ROWS`` rows, each NIP once. The
    positions the rows name are read for all of them at once (two queries, by code and by id),
    and every bad row is reported, not just the first."""

    positions: dict[str, Position]

    def run_validation(self, data: Any = empty) -> Any:
        if not isinstance(data, list):  # missing, null or something else
            raise serializers.ValidationError(_("Send a list of rows."), code="required")
        return super().run_validation(data)

    def to_internal_value(self, data: list[Any]) -> list[bulk.EmployeeRow]:
        if not data:
            raise serializers.ValidationError(_("Send at least one row."), code="empty")
        if len(data) > bulk.MAX_ROWS:
            message = _("At most %(max)s rows per request.") % {"max": bulk.MAX_ROWS}
            raise serializers.ValidationError(message, code="too_many")
        self.positions = _positions_named_in(data)
        rows, errors = [], {}
        for index, item in enumerate(data):
            if not isinstance(item, dict):
                errors[index] = {"__all__": [ErrorDetail(_("Each row is an object."), "invalid")]}
                continue
            try:
                rows.append(self.child.run_validation(item))
            except serializers.ValidationError as exc:
                errors[index] = exc.detail
        _flag_repeated_nips(data, errors)
        if errors:
            raise serializers.ValidationError(errors)
        return rows


def _positions_named_in(data: list[Any]) -> dict[str, Position]:
    """The positions the rows name, by the reference they use: a code, else an id. Only
    references of the right form are looked up (the others are refused by the field)."""
    refs = {
        row["position"]
        for row in data
        if isinstance(row, dict)
        and isinstance(row.get("position"), str)
        and _POSITION_REF.fullmatch(row["position"])
    }
    ids = [int(ref) for ref in refs if ref.isdigit() and int(ref) <= BIGINT_MAX]
    by_id = Position.objects.filter(pk__in=ids)
    by_code = Position.objects.filter(code__in=refs)
    return {**{str(p.pk): p for p in by_id}, **{p.code: p for p in by_code}}


def _flag_repeated_nips(data: list[Any], errors: dict[int, Any]) -> None:
    """Add a ``duplicate_nip`` error to each row whose NIP an earlier row already has."""
    first_row: dict[str, int] = {}
    for index, row in enumerate(data):
        if not isinstance(row, dict) or not isinstance(row.get("nip"), str):
            continue
        nip = normalise_nip(row["nip"])
        if nip in first_row:
            repeated = ErrorDetail(
                _("The same NIP is already in row %(row)s.") % {"row": first_row[nip]},
                code="duplicate_nip",
            )
            found = dict(errors.get(index, {}))
            errors[index] = {"nip": [*found.pop("nip", []), repeated], **found}
        first_row.setdefault(nip, index)


# One person, with the position they hold from the TMT; validated into a ``bulk.EmployeeRow``
# (the NIP tells PNS from PPPK, and the rank must be one of that type's).
# (A comment, not a docstring: the docstring would become the schema's description.)
class BulkRow(serializers.Serializer):
    nip = BulkNipField()
    name = StrictCharField(max_length=200)
    rank = StrictChoiceField(
        choices=RANK_CHOICES, required=False, allow_blank=True, allow_null=True
    )
    rank_start_date = BlankableDateField(
        required=False, help_text="TMT golongan (needs rank); left empty, the stored one stays"
    )
    siasn_id = SiasnIdField(
        allow_null=True, help_text="SIASN's PNS id; left empty, the stored one stays"
    )
    email = StrictEmailField(required=False, allow_blank=True, allow_null=True)
    status = StrictChoiceField(
        choices=EmployeeStatus.choices, required=False, allow_blank=True, allow_null=True
    )
    position = StrictCharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=40,
        pattern=POSITION_CODE_PATTERN,
        help_text="Position code (or id) held from the TMT; requires tmt",
    )
    tmt = BlankableDateField(
        required=False, help_text="Start date (terhitung mulai tanggal) of that position"
    )
    assignment_kind = StrictChoiceField(
        choices=AssignmentKind.choices, required=False, allow_blank=True, allow_null=True
    )
    decree_number = StrictCharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Kept to its first 100 characters",
    )
    decree_date = BlankableDateField(required=False)

    class Meta:
        list_serializer_class = BulkRowList

    def to_internal_value(self, data: dict[str, Any]) -> Any:
        # HR systems send an empty cell as null or "": a value left empty is absent (and a
        # required one is reported missing).
        present = {key: value for key, value in data.items() if not _empty(value)}
        return super().to_internal_value(present)

    def validate_position(self, value: str) -> Position:
        position = self.parent.positions.get(value)
        if position is None:
            raise serializers.ValidationError(
                _("There is no position %(ref)s.") % {"ref": value}, code="unknown_position"
            )
        return position

    def validate_decree_number(self, value: str) -> str:
        return value[:100]  # the column's length; longer numbers were always cut, not refused

    def validate(self, attrs: dict[str, Any]) -> bulk.EmployeeRow:
        return _employee_row(attrs)


def _employee_row(attrs: dict[str, Any]) -> bulk.EmployeeRow:
    """A row's checked values as a ``bulk.EmployeeRow``, after the rules between its fields
    (a position needs its TMT, a TMT golongan its rank, the rank the NIP's type): shared by
    ``BulkRow`` and the fast path, so both refuse and accept alike."""
    errors: dict[str, list[ErrorDetail]] = {}
    if "position" in attrs and attrs.get("tmt") is None:
        errors["tmt"] = [ErrorDetail(_("A position needs its TMT (start date)."), "required")]
    if attrs.get("rank_start_date") is not None and not attrs.get("rank"):
        message = _("A TMT golongan needs the golongan (rank) it starts.")
        errors["rank_start_date"] = [ErrorDetail(message, "rank_required")]
    nip = attrs.pop("nip")
    employment_type = EmploymentType.PPPK if nip.kind == "pppk" else EmploymentType.PNS
    try:
        validate_rank_for(employment_type, attrs.get("rank", ""))
    except DjangoValidationError as exc:
        errors["rank"] = [ErrorDetail(exc.messages[0], exc.error_list[0].code)]
    if errors:
        raise serializers.ValidationError(errors)
    return bulk.EmployeeRow(nip=nip.number, employment_type=employment_type, **attrs)


def _empty(value: Any) -> bool:
    return value is None or value == ""


# --- The fast path -------------------------------------------------------------------------
#
# DRF's serializer machinery costs about a millisecond a row, most of a 5,000-row request.
# Rows of the plain form (every value a string of the exact shape its field takes: a NIP of
# 18 digits, a known rank, an ISO date, a position code the request's positions name …) are
# checked here directly, with the same rules (``parse_nip``, the fields' patterns and lengths,
# ``_employee_row``). The moment a row is anything else — a value to trim, refuse or explain —
# the fast path gives up and ``BulkRow`` checks the whole request: whatever is refused is
# refused by one code path, with the same errors as ever. (tests/api/test_bulk_fast_path.py
# holds the two paths to the same answers.)

_GIVE_UP = object()
#: What DRF's ``CharField`` refuses in any text: NUL (PostgreSQL cannot store it) and lone
#: surrogates (not text).
_UNTEXT = re.compile("[\x00\ud800-\udfff]")
_NIP_DIGITS = re.compile(r"[0-9]{18}", re.ASCII)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_SIASN_ID = re.compile(SIASN_ID_PATTERN)
_RANKS = frozenset(code for code, _label in RANK_CHOICES)
_STATUSES = frozenset(EmployeeStatus.values)
_KINDS = frozenset(AssignmentKind.values)
_email = EmailValidator()


def _fast_text(limit: int | None) -> Any:
    def check(value: Any) -> Any:
        if type(value) is not str or (limit is not None and len(value) > limit):
            return _GIVE_UP
        if _UNTEXT.search(value):
            return _GIVE_UP
        text = value.strip()
        return text or _GIVE_UP

    return check


def _fast_choice(choices: frozenset[str]) -> Any:
    return lambda value: value if type(value) is str and value in choices else _GIVE_UP


def _fast_date(value: Any) -> Any:
    if type(value) is not str or not _ISO_DAY.fullmatch(value):
        return _GIVE_UP
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return _GIVE_UP


def _fast_siasn_id(value: Any) -> Any:
    ok = type(value) is str and len(value) <= 36 and _SIASN_ID.fullmatch(value)
    return value if ok else _GIVE_UP


def _fast_email(value: Any) -> Any:
    if type(value) is not str or len(value) > 254 or _UNTEXT.search(value):
        return _GIVE_UP
    try:
        _email(value)
    except DjangoValidationError:
        return _GIVE_UP
    return value


def _fast_position_ref(value: Any) -> Any:
    ok = type(value) is str and len(value) <= 40 and _POSITION_REF.fullmatch(value)
    return value if ok else _GIVE_UP


_name_text = _fast_text(200)
_decree_text = _fast_text(None)
_FAST_FIELDS = {
    "name": _name_text,
    "rank": _fast_choice(_RANKS),
    "rank_start_date": _fast_date,
    "siasn_id": _fast_siasn_id,
    "email": _fast_email,
    "status": _fast_choice(_STATUSES),
    "position": _fast_position_ref,
    "tmt": _fast_date,
    "assignment_kind": _fast_choice(_KINDS),
    "decree_number": lambda value: (
        text if (text := _decree_text(value)) is _GIVE_UP else text[:100]
    ),
    "decree_date": _fast_date,
}


def _fast_rows(data: Any) -> list[bulk.EmployeeRow] | None:
    """The rows, when every one of them is of the plain form; else ``None`` (``BulkRow``
    then checks them all)."""
    if type(data) is not list or not 0 < len(data) <= bulk.MAX_ROWS:
        return None
    today = dates.today()
    refs = set()
    for item in data:
        if type(item) is not dict:
            return None
        ref = item.get("position")
        if type(ref) is str:
            refs.add(ref)
    positions = _positions_named_in([{"position": ref} for ref in refs]) if refs else {}
    seen: set[str] = set()
    rows = []
    for item in data:
        nip = item.get("nip")
        if type(nip) is not str or not _NIP_DIGITS.fullmatch(nip) or nip in seen:
            return None
        seen.add(nip)
        try:
            kind = parse_nip(nip, today=today).kind
        except DjangoValidationError:
            return None
        attrs: dict[str, Any] = {"nip": Nip(nip, kind)}
        for name, value in item.items():
            if name == "nip" or value is None or value == "":
                continue
            check = _FAST_FIELDS.get(name)
            if check is None:
                return None
            checked = check(value)
            if checked is _GIVE_UP:
                return None
            attrs[name] = checked
        if "name" not in attrs:
            return None
        if "position" in attrs:
            position = positions.get(attrs["position"])
            if position is None:
                return None
            attrs["position"] = position
        try:
            rows.append(_employee_row(attrs))
        except serializers.ValidationError:
            return None
    return rows


class BulkRowSchema(OpenApiSerializerExtension):
    """The rule between a row's fields that the schema says: a position needs its TMT.
    (OpenAPI 3.0 has no ``dependentRequired``: a row has no position, or an empty one, or a
    TMT that is a date.)"""

    target_class = "competencies.api.employees_bulk.BulkRow"

    def map_serializer(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema = auto_schema._map_basic_serializer(self.target, direction)
        if direction == "request":
            # One rule only: a second (a TMT golongan needs its rank) as allOf of two anyOf
            # made schemathesis's coverage phase fail inside Hypothesis (make fuzz). The
            # server names that rule's refusal rank_required, and the field's help says it.
            schema["anyOf"] = needs("position", "tmt", {"type": "string", "format": "date"})
        return schema


def needs(field: str, other: str, other_schema: dict[str, Any]) -> list[dict[str, Any]]:
    """``anyOf`` branches saying that a row with ``field`` (not empty) has ``other`` too."""
    return [
        {"not": {"required": [field]}},
        {"properties": {field: {"type": "string", "maxLength": 0, "nullable": True}}},
        {"required": [other], "properties": {other: other_schema}},
    ]


class BulkIn(serializers.Serializer):
    rows = BulkRow(many=True)

    def validated_rows(self) -> list[bulk.EmployeeRow]:
        """The rows, typed; or the refusal that names every bad row (nothing is written)."""
        if not isinstance(self.initial_data, dict):
            raise ValidationError(
                errors=[FieldError("rows", _("Send a list of rows."), "required")]
            )
        rows = _fast_rows(self.initial_data.get("rows"))
        if rows is not None:
            return rows
        if not self.is_valid():
            raise _refusal(self.errors["rows"])
        return self.validated_data["rows"]


class BulkInSchema(OpenApiSerializerExtension):
    """The number of rows ``BulkRowList`` takes, in the schema."""

    target_class = "competencies.api.employees_bulk.BulkIn"

    def map_serializer(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["properties"]["rows"].update(minItems=1, maxItems=bulk.MAX_ROWS)
        return schema


def _refusal(errors: Any) -> ApplicationError:
    """``BulkIn``'s errors as the bulk upsert has always answered them: a problem with the
    list itself alone, or ``import_rejected`` with one entry per problem (``rows[3].nip``)."""
    if isinstance(errors, list):  # the list itself: missing, not a list, empty, too long
        [error] = errors
        found = FieldError("rows", str(error), error.code)
        if error.code == "required":
            return ValidationError(errors=[found])
        return ImportRowsError(str(error), errors=[found])
    problems = [
        FieldError(f"rows[{index}].{name}", str(error), error.code)
        for index, row in sorted(errors.items())
        for name, messages in row.items()
        for error in messages
    ]
    return ImportRowsError(
        _("Nothing was saved: %(count)s problems in the rows.") % {"count": len(problems)},
        errors=problems,
    )


class BulkOut(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    assignments_created = serializers.IntegerField()


class EmployeeBulkUpsert(APIView):
    """Upsert up to 5,000 employees by NIP, each with their current position and TMT. All or
    nothing: one bad row fails the request and every bad row is listed."""

    required_scopes = {"POST": "employees:write"}
    parser_classes = [BulkJSONParser]  # 5,000 rows: API_BULK_MAX_BODY_BYTES

    @extend_schema(
        request=BulkIn,
        responses={200: BulkOut},
        operation_id="employees_bulk_upsert",
        examples=[
            OpenApiExample(
                "Two people",
                request_only=True,
                value={
                    "rows": [
                        {
                            "nip": "198504122010031001",
                            "name": "Agus Santoso",
                            "rank": "III/c",
                            "position": "DISKOMINFO-APTIKA-EGOV-PK-AP",
                            "tmt": "2025-01-02",
                            "decree_number": "800/12/2024",
                        },
                        {"nip": "199001012015032002", "name": "Sri Wulandari", "rank": "III/a"},
                    ]
                },
            )
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        rows = BulkIn(data=request.data).validated_rows()
        result = bulk.employees_bulk_upsert(
            rows=rows,
            user=acting_user(request),
            reason=request.headers.get("X-Reason", "API bulk upsert"),
        )
        return Response(BulkOut(result).data)

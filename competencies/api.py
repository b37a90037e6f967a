"""The HR API for the competency matrix: the framework, organisation, positions, people and
their position history, evidence, gaps (per person, per unit, organisation-wide export),
rotation impact and AKPK. One view per operation: validate, one call, serialize.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import django_filters
from django.db import connection, transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Length, Substr
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from competencies import bulk, selectors, services
from competencies.access import RoleNotAllowed, acting_user, actor_for
from competencies.models import (
    Assignment,
    AssignmentKind,
    Competency,
    CompetencyLevel,
    Employee,
    EmployeeStatus,
    EvidenceSource,
    OrgUnit,
    Position,
    PositionKind,
    PositionRequirement,
)
from competencies.validators import normalise_nip
from core.api.idempotency import idempotent
from core.api.lists import IdCursorPagination, UpdatedCursorPagination, UpdatedSinceFilterSet
from core.exceptions import FieldError, ValidationError

READ_REFERENCE = {"GET": None}


def _as_of(request: Request) -> dt.date:
    raw = request.query_params.get("as_of")
    if not raw:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            errors=[FieldError("as_of", _("Use a date as YYYY-MM-DD."), "invalid_date")]
        ) from None


AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="The date to answer for (default today)."
)


# --- Framework ------------------------------------------------------------------------------


class LevelOut(serializers.ModelSerializer):
    indicators = serializers.ListField(source="indicator_list", child=serializers.CharField())

    class Meta:
        model = CompetencyLevel
        fields = ["level", "description_id", "description_en", "indicators"]


class CompetencyOut(serializers.ModelSerializer):
    levels = LevelOut(many=True)

    class Meta:
        model = Competency
        fields = [
            "id",
            "code",
            "name_id",
            "name_en",
            "kind",
            "group",
            "description_id",
            "description_en",
            "levels",
        ]


class CompetencyList(generics.ListAPIView):
    """The competency framework with the five levels of each competency."""

    serializer_class = CompetencyOut
    required_scopes = READ_REFERENCE
    pagination_class = IdCursorPagination
    filterset_fields = ["kind", "code"]

    def get_queryset(self) -> Any:
        return Competency.objects.filter(is_active=True).prefetch_related("levels")


# --- Organisation ---------------------------------------------------------------------------


class OrgUnitOut(serializers.ModelSerializer):
    parent_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent_id",
            "depth",
            "path",
            "is_active",
            "updated_at",
        ]


class OrgUnitFilter(UpdatedSinceFilterSet):
    kind = django_filters.CharFilter()
    depth = django_filters.NumberFilter()

    class Meta:
        model = OrgUnit
        fields = ["kind", "depth"]


class OrgUnitList(generics.ListAPIView):
    """The organisation tree: ``parent_id`` and ``path`` (a materialised path) give its shape."""

    serializer_class = OrgUnitOut
    required_scopes = READ_REFERENCE
    pagination_class = UpdatedCursorPagination
    filterset_class = OrgUnitFilter

    def get_queryset(self) -> Any:
        parent = OrgUnit.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - OrgUnit.steplen)
        ).values("pk")[:1]
        return OrgUnit.objects.annotate(parent_id=Subquery(parent))


# --- Positions ------------------------------------------------------------------------------


class RequirementIO(serializers.Serializer):
    competency = serializers.CharField(help_text="Competency code, e.g. TIK-05")
    required_level = serializers.IntegerField(min_value=1, max_value=5)
    is_critical = serializers.BooleanField(default=False)


class PositionOut(serializers.ModelSerializer):
    org_unit = serializers.IntegerField(source="org_unit_id")
    requirements = serializers.SerializerMethodField()

    class Meta:
        model = Position
        fields = [
            "id",
            "code",
            "title",
            "org_unit",
            "kind",
            "functional_level",
            "is_head",
            "headcount",
            "is_active",
            "requirements",
            "updated_at",
        ]

    def get_requirements(self, position: Position) -> list[dict[str, Any]]:
        return [
            {
                "competency": r.competency.code,
                "required_level": r.required_level,
                "is_critical": r.is_critical,
            }
            for r in position.requirements.all()
        ]


class PositionIn(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=200)
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    kind = serializers.ChoiceField(choices=PositionKind.choices)
    functional_level = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    is_head = serializers.BooleanField(default=False)
    headcount = serializers.IntegerField(min_value=1, default=1)
    is_active = serializers.BooleanField(default=True)
    requirements = RequirementIO(many=True, required=False)

    def validate_requirements(
        self, value: list[dict[str, Any]]
    ) -> list[tuple[Competency, int, bool]]:
        codes = [item["competency"].upper() for item in value]
        known = {c.code: c for c in Competency.objects.filter(code__in=codes)}
        errors = {}
        for index, code in enumerate(codes):
            if code not in known:
                errors[index] = {
                    "competency": [_("Unknown competency code: %(code)s") % {"code": code}]
                }
            elif codes.index(code) != index:
                errors[index] = {"competency": [_("%(code)s is listed twice.") % {"code": code}]}
        if errors:
            raise serializers.ValidationError([errors.get(i, {}) for i in range(len(codes))])
        return [
            (known[code], item["required_level"], item["is_critical"])
            for code, item in zip(codes, value, strict=True)
        ]


class PositionFilter(UpdatedSinceFilterSet):
    org_unit = django_filters.NumberFilter(field_name="org_unit_id")
    kind = django_filters.CharFilter()
    code = django_filters.CharFilter()

    class Meta:
        model = Position
        fields = ["org_unit", "kind", "code"]


def _positions() -> Any:
    return Position.objects.prefetch_related(
        Prefetch(
            "requirements",
            queryset=PositionRequirement.objects.select_related("competency").order_by(
                "competency__code"
            ),
        )
    )


class PositionListCreate(generics.ListCreateAPIView):
    """Positions (jabatan) with what each requires."""

    serializer_class = PositionOut
    required_scopes = {"GET": None, "POST": "employees:write"}
    pagination_class = UpdatedCursorPagination
    filterset_class = PositionFilter

    def get_queryset(self) -> Any:
        return _positions()

    @extend_schema(
        request=PositionIn, responses={201: PositionOut}, operation_id="positions_create"
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = PositionIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        position = services.position_create(
            code=values["code"],
            title=values["title"],
            org_unit=values["org_unit"],
            kind=values["kind"],
            functional_level=values["functional_level"],
            is_head=values["is_head"],
            headcount=values["headcount"],
            requirements=values.get("requirements", []),
            user=acting_user(request),
            reason=request.headers.get("X-Reason", "API"),
        )
        return Response(
            PositionOut(_positions().get(pk=position.pk)).data, status=status.HTTP_201_CREATED
        )


class PositionDetail(generics.RetrieveUpdateAPIView):
    serializer_class = PositionOut
    required_scopes = {"GET": None, "PUT": "employees:write", "PATCH": "employees:write"}

    def get_queryset(self) -> Any:
        return _positions()

    def _update(self, request: Request, partial: bool) -> Response:
        position = self.get_object()
        data = PositionIn(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        requirements = values.pop("requirements", None)
        values.pop("code", None)
        services.position_update(
            position=position,
            data=values,
            requirements=requirements,
            user=acting_user(request),
            reason=request.headers.get("X-Reason", "API"),
        )
        return Response(PositionOut(_positions().get(pk=position.pk)).data)

    @extend_schema(
        request=PositionIn, responses={200: PositionOut}, operation_id="positions_replace"
    )
    def put(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._update(request, partial=False)

    @extend_schema(
        request=PositionIn, responses={200: PositionOut}, operation_id="positions_partial_update"
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._update(request, partial=True)


# --- People ---------------------------------------------------------------------------------


class CurrentPostOut(serializers.Serializer):
    assignment = serializers.IntegerField(source="pk")
    position = serializers.IntegerField(source="position_id")
    position_code = serializers.CharField(source="position.code")
    position_title = serializers.CharField(source="position.title")
    org_unit = serializers.IntegerField(source="position.org_unit_id")
    kind = serializers.CharField()
    start_date = serializers.DateField()


class EmployeeOut(serializers.ModelSerializer):
    current_positions = serializers.SerializerMethodField()

    class Meta:
        model = Employee
        fields = [
            "id",
            "nip",
            "name",
            "employment_type",
            "rank",
            "email",
            "status",
            "current_positions",
            "updated_at",
        ]

    @extend_schema_field(CurrentPostOut(many=True))
    def get_current_positions(self, employee: Employee) -> list[dict[str, Any]]:
        return CurrentPostOut(getattr(employee, "current_assignments", []), many=True).data


class EmployeeIn(serializers.Serializer):
    nip = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200)
    rank = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=EmployeeStatus.choices, default="active")


class EmployeePatch(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    rank = serializers.CharField(max_length=6, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=EmployeeStatus.choices, required=False)


class EmployeeFilter(UpdatedSinceFilterSet):
    nip = django_filters.CharFilter(method="filter_nip")
    status = django_filters.CharFilter()
    org_unit = django_filters.NumberFilter(
        method="filter_unit", label="Holds a position in this unit's subtree today"
    )

    class Meta:
        model = Employee
        fields = ["nip", "status", "org_unit"]

    def filter_nip(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(nip=normalise_nip(value))

    def filter_unit(self, queryset: Any, name: str, value: int) -> Any:
        unit = OrgUnit.objects.filter(pk=value).first()
        if unit is None:
            return queryset.none()
        people = (
            Assignment.objects.active_on(timezone.localdate())
            .filter(position__org_unit__path__startswith=unit.path)
            .values("employee_id")
        )
        return queryset.filter(pk__in=people)


def _employees(actor: Any) -> Any:
    current = (
        Assignment.objects.active_on(timezone.localdate())
        .select_related("position")
        .order_by("kind", "start_date")
    )
    return actor.employees().prefetch_related(
        Prefetch("assignments", queryset=current, to_attr="current_assignments")
    )


class EmployeeListCreate(generics.ListCreateAPIView):
    """People (ASN). Resource URLs use internal ids; the NIP is a field and a filter."""

    serializer_class = EmployeeOut
    required_scopes = {"GET": "employees:read", "POST": "employees:write"}
    pagination_class = UpdatedCursorPagination
    filterset_class = EmployeeFilter

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no caller
            return Employee.objects.none()
        return _employees(actor_for(self.request))

    @extend_schema(
        request=EmployeeIn, responses={201: EmployeeOut}, operation_id="employees_create"
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = EmployeeIn(data=request.data)
        data.is_valid(raise_exception=True)
        employee = services.employee_create(**data.validated_data)
        return Response(
            EmployeeOut(_employees(actor_for(request)).get(pk=employee.pk)).data, status=201
        )


class EmployeeDetail(generics.RetrieveUpdateAPIView):
    serializer_class = EmployeeOut
    required_scopes = {"GET": "employees:read", "PATCH": "employees:write"}
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no caller
            return Employee.objects.none()
        return _employees(actor_for(self.request))

    @extend_schema(
        request=EmployeePatch, responses={200: EmployeeOut}, operation_id="employees_partial_update"
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        employee = self.get_object()
        data = EmployeePatch(data=request.data)
        data.is_valid(raise_exception=True)
        services.employee_update(employee=employee, data=data.validated_data)
        return Response(EmployeeOut(self.get_queryset().get(pk=employee.pk)).data)


class BulkRow(serializers.Serializer):
    nip = serializers.CharField()
    name = serializers.CharField()
    rank = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    status = serializers.CharField(required=False)
    position = serializers.CharField(
        required=False, help_text="Position code (or id) held from the TMT"
    )
    tmt = serializers.DateField(
        required=False, help_text="Start date (terhitung mulai tanggal) of that position"
    )
    assignment_kind = serializers.ChoiceField(choices=AssignmentKind.choices, required=False)
    decree_number = serializers.CharField(required=False, allow_blank=True)
    decree_date = serializers.DateField(required=False)


class BulkIn(serializers.Serializer):
    rows = BulkRow(many=True)


class BulkOut(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    assignments_created = serializers.IntegerField()


class EmployeeBulkUpsert(APIView):
    """Upsert up to 5,000 employees by NIP, each with their current position and TMT. All or
    nothing: one bad row fails the request and every bad row is listed."""

    required_scopes = {"POST": "employees:write"}

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
        rows = request.data.get("rows") if isinstance(request.data, dict) else None
        if not isinstance(rows, list):
            raise ValidationError(
                errors=[FieldError("rows", _("Send a list of rows."), "required")]
            )
        result = bulk.employees_bulk_upsert(
            rows=rows,
            user=acting_user(request),
            reason=request.headers.get("X-Reason", "API bulk upsert"),
        )
        return Response(
            {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "assignments_created": result.assignments_created,
            }
        )


# --- Position history -----------------------------------------------------------------------


class AssignmentOut(serializers.ModelSerializer):
    employee = serializers.IntegerField(source="employee_id")
    position = serializers.IntegerField(source="position_id")
    position_code = serializers.CharField(source="position.code")
    org_unit = serializers.IntegerField(source="position.org_unit_id")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "employee",
            "position",
            "position_code",
            "org_unit",
            "kind",
            "start_date",
            "end_date",
            "decree_number",
            "decree_date",
            "updated_at",
        ]


class AssignmentIn(serializers.Serializer):
    employee = serializers.IntegerField()
    position = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all())
    kind = serializers.ChoiceField(choices=AssignmentKind.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    decree_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    decree_date = serializers.DateField(required=False, allow_null=True)


class AssignmentFilter(UpdatedSinceFilterSet):
    employee = django_filters.NumberFilter(field_name="employee_id")
    position = django_filters.NumberFilter(field_name="position_id")
    kind = django_filters.CharFilter()
    active_on = django_filters.DateFilter(method="filter_active_on")

    class Meta:
        model = Assignment
        fields = ["employee", "position", "kind", "active_on"]

    def filter_active_on(self, queryset: Any, name: str, value: dt.date) -> Any:
        return queryset.active_on(value)


class AssignmentListCreate(generics.ListCreateAPIView):
    """Position history. POST records a rotation: the previous definitive assignment ends the
    day before the new TMT."""

    serializer_class = AssignmentOut
    required_scopes = {"GET": "employees:read", "POST": "employees:write"}
    pagination_class = UpdatedCursorPagination
    filterset_class = AssignmentFilter

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no caller
            return Assignment.objects.none()
        actor = actor_for(self.request)
        return Assignment.objects.filter(employee__in=actor.employees()).select_related("position")

    @extend_schema(
        request=AssignmentIn, responses={201: AssignmentOut}, operation_id="assignments_create"
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = AssignmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        employee = get_object_or_404(Employee, pk=values.pop("employee"))
        assignment = services.assignment_create(
            employee=employee,
            user=acting_user(request),
            reason=request.headers.get("X-Reason", "API"),
            **values,
        )
        return Response(
            AssignmentOut(Assignment.objects.select_related("position").get(pk=assignment.pk)).data,
            status=201,
        )


def _visible_employee(request: Request, pk: int) -> Employee:
    return get_object_or_404(actor_for(request).employees(), pk=pk)


class EmployeeAssignments(generics.ListAPIView):
    serializer_class = AssignmentOut
    required_scopes = {"GET": "employees:read"}
    pagination_class = UpdatedCursorPagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        employee = _visible_employee(self.request, self.kwargs["pk"])
        return Assignment.objects.filter(employee=employee).select_related("position")


# --- Evidence and proficiency ---------------------------------------------------------------


class EvidenceOut(serializers.Serializer):
    id = serializers.IntegerField()
    competency = serializers.CharField(source="competency.code")
    level = serializers.IntegerField()
    source = serializers.CharField()
    counts = serializers.BooleanField()
    achieved_date = serializers.DateField()
    expires_date = serializers.DateField(allow_null=True)
    reference = serializers.CharField()
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class ProficiencyOut(serializers.Serializer):
    competency = serializers.CharField(source="competency.code")
    name_id = serializers.CharField(source="competency.name_id")
    name_en = serializers.CharField(source="competency.name_en")
    level = serializers.IntegerField()
    evidence = EvidenceOut(many=True)


class EmployeeCompetencies(APIView):
    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[AS_OF],
        responses={200: ProficiencyOut(many=True)},
        operation_id="employee_competencies",
    )
    def get(self, request: Request, pk: int) -> Response:
        employee = _visible_employee(request, pk)
        rows = selectors.proficiency_for_employee(employee=employee, as_of=_as_of(request))
        return Response(ProficiencyOut(rows, many=True).data)


class EvidenceIn(serializers.Serializer):
    employee = serializers.IntegerField()
    competency = serializers.CharField(help_text="Competency code, e.g. M.01")
    level = serializers.IntegerField(min_value=1, max_value=5)
    source = serializers.ChoiceField(choices=EvidenceSource.choices)
    achieved_date = serializers.DateField()
    expires_date = serializers.DateField(required=False, allow_null=True)
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EvidenceCreate(APIView):
    """Append evidence (e.g. assessment-centre results). Evidence is never changed afterwards."""

    required_scopes = {"POST": "employees:write"}

    @extend_schema(request=EvidenceIn, responses={201: EvidenceOut}, operation_id="evidence_create")
    @idempotent
    def post(self, request: Request) -> Response:
        data = EvidenceIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        employee = get_object_or_404(Employee, pk=values.pop("employee"))
        competency = services.competency_by_code(values.pop("competency").upper())
        item = services.evidence_record(
            employee=employee,
            competency=competency,
            recorded_by=acting_user(request),
            **values,
        )
        return Response(EvidenceOut(item).data, status=201)


# --- Gaps -----------------------------------------------------------------------------------


class GapRowOut(serializers.Serializer):
    competency = serializers.CharField(source="code")
    name_id = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.CharField()
    required_level = serializers.IntegerField()
    proficiency = serializers.IntegerField()
    gap = serializers.IntegerField()
    is_critical = serializers.BooleanField()


class PositionGapsOut(serializers.Serializer):
    position = serializers.IntegerField(source="position.pk")
    position_code = serializers.CharField(source="position.code")
    position_title = serializers.CharField(source="position.title")
    total_gap = serializers.IntegerField()
    readiness_pct = serializers.FloatField()
    jpm_pct = serializers.FloatField()
    requirements = GapRowOut(source="rows", many=True)


class EmployeeGaps(APIView):
    """Gaps per requirement of each position held on ``as_of``, or readiness for ``position``."""

    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[
            AS_OF,
            OpenApiParameter(
                "position", OpenApiTypes.INT, description="Readiness for this position"
            ),
        ],
        responses={200: PositionGapsOut(many=True)},
        operation_id="employee_gaps",
    )
    def get(self, request: Request, pk: int) -> Response:
        employee = _visible_employee(request, pk)
        as_of = _as_of(request)
        position_id = request.query_params.get("position")
        if position_id:
            position = (
                get_object_or_404(Position, pk=position_id) if position_id.isdigit() else None
            )
            if position is None:
                raise ValidationError(
                    errors=[FieldError("position", _("Use a position id."), "invalid")]
                )
            return Response(
                PositionGapsOut(
                    [
                        selectors.employee_readiness(
                            employee=employee, position=position, as_of=as_of
                        )
                    ],
                    many=True,
                ).data
            )
        return Response(
            PositionGapsOut(selectors.employee_gaps(employee=employee, as_of=as_of), many=True).data
        )


class UnitGaps(APIView):
    """The subtree matrix (people × required competencies) with coverage and vacancies."""

    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[AS_OF],
        responses={
            200: inline_serializer(
                "UnitGaps",
                {
                    "org_unit": serializers.IntegerField(),
                    "as_of": serializers.DateField(),
                    "total_gap": serializers.IntegerField(),
                    "people": serializers.ListField(child=serializers.DictField()),
                    "coverage": serializers.ListField(child=serializers.DictField()),
                    "critical_single_holder": serializers.ListField(child=serializers.CharField()),
                    "vacancies": serializers.ListField(child=serializers.DictField()),
                },
            )
        },
        operation_id="org_unit_gaps",
    )
    def get(self, request: Request, pk: int) -> Response:
        unit = get_object_or_404(OrgUnit, pk=pk)
        actor = actor_for(request)
        if not actor.may_see_unit(unit):
            raise RoleNotAllowed()
        matrix = selectors.gap_matrix_for_unit(org_unit=unit, as_of=_as_of(request))
        codes = {c.pk: c.code for c in matrix.competencies}
        return Response(
            {
                "org_unit": unit.pk,
                "as_of": matrix.as_of,
                "total_gap": matrix.total_gap,
                "people": [
                    {
                        "employee": row.employee_id,
                        "name": row.name,
                        "position": row.position_id,
                        "position_title": row.position_title,
                        "org_unit": row.org_unit_id,
                        "cells": [
                            {
                                "competency": codes.get(cid, cid),
                                "required_level": c.required_level,
                                "proficiency": c.proficiency,
                                "gap": c.gap,
                                "is_critical": c.is_critical,
                            }
                            for cid, c in row.cells.items()
                        ],
                    }
                    for row in matrix.rows
                ],
                "coverage": [
                    {
                        "competency": c.code,
                        "holders_required": c.holders_required,
                        "holders_meeting": c.holders_meeting,
                        "coverage_pct": c.coverage_pct,
                        "total_gap": c.total_gap,
                        "is_critical": c.is_critical,
                    }
                    for c in matrix.coverage
                ],
                "critical_single_holder": [c.code for c in matrix.critical_single_holder],
                "vacancies": [
                    {
                        "position": v.position_id,
                        "title": v.title,
                        "headcount": v.headcount,
                        "holders": v.holders,
                        "requirements": [
                            {"competency": code, "required_level": level, "is_critical": critical}
                            for code, level, critical in v.requirements
                        ],
                    }
                    for v in matrix.vacancies
                ],
            }
        )


EXPORT_COLUMNS = [
    "employee",
    "nip",
    "name",
    "org_unit",
    "position",
    "competency",
    "required_level",
    "proficiency",
    "gap",
    "is_critical",
]

EXPORT_SQL = """
    WITH holders AS (
        SELECT a.employee_id, a.position_id, u.code AS unit_code
        FROM competencies_assignment a
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE a.kind <> 'plt' AND a.start_date <= %(day)s AND (a.end_date IS NULL OR a.end_date >= %(day)s)
          AND (%(unit)s::bigint IS NULL OR starts_with(u.path, (SELECT path FROM competencies_orgunit WHERE id = %(unit)s)))
    ),
    prof AS (
        SELECT ev.employee_id, ev.competency_id, max(ev.level) AS level
        FROM competencies_evidence ev
        WHERE ev.source = ANY(%(counting)s) AND ev.achieved_date <= %(day)s
          AND (ev.expires_date IS NULL OR ev.expires_date > %(day)s)
          AND ev.employee_id IN (SELECT employee_id FROM holders)
        GROUP BY ev.employee_id, ev.competency_id
    )
    SELECT h.employee_id AS employee, e.nip, e.name, h.unit_code AS org_unit, p.code AS position,
           c.code AS competency, r.required_level, coalesce(prof.level, 0) AS proficiency,
           greatest(0, r.required_level - coalesce(prof.level, 0)) AS gap, r.is_critical
    FROM holders h
    JOIN competencies_employee e ON e.id = h.employee_id
    JOIN competencies_position p ON p.id = h.position_id
    JOIN competencies_positionrequirement r ON r.position_id = h.position_id
    JOIN competencies_competency c ON c.id = r.competency_id
    LEFT JOIN prof ON prof.employee_id = h.employee_id AND prof.competency_id = r.competency_id
    WHERE (%(competency)s::text IS NULL OR c.code = %(competency)s)
      AND greatest(0, r.required_level - coalesce(prof.level, 0)) >= %(min_gap)s
"""

# NDJSON straight from PostgreSQL: one JSON object per line. CSV format with control
# characters as quote and delimiter writes each line as it is (JSON escapes its own).
NDJSON_COPY = "COPY (SELECT row_to_json(t)::text FROM ({query}) t) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
CSV_COPY = "COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)"
EXPORT_CHUNK_BYTES = 256 * 1024


def export_stream(
    *, fmt: str, day: dt.date, unit: int | None, competency: str | None, min_gap: int
) -> Iterator[bytes]:
    """Stream the organisation's gap rows with PostgreSQL ``COPY … TO STDOUT``: rows leave the
    database as text and pass through in blocks, so memory stays flat whatever the size."""
    from competencies.models import COUNTING_SOURCES

    params = {
        "day": day,
        "unit": unit,
        "competency": competency,
        "min_gap": min_gap,
        "counting": list(COUNTING_SOURCES),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        query = cursor.cursor.mogrify(
            EXPORT_SQL, params
        )  # values quoted by psycopg: COPY takes no parameters
        statement = (NDJSON_COPY if fmt == "ndjson" else CSV_COPY).format(query=query)
        buffer = bytearray()
        with cursor.cursor.copy(statement) as copy:
            for block in copy:  # PostgreSQL sends about a row per block: regroup them
                buffer += block
                if len(buffer) >= EXPORT_CHUNK_BYTES:
                    yield bytes(buffer)
                    buffer.clear()
        if buffer:
            yield bytes(buffer)


class GapExport(APIView):
    """The whole organisation's gaps, streamed row by row (``format=csv`` or ``ndjson``)."""

    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[
            AS_OF,
            OpenApiParameter("format", str, enum=["csv", "ndjson"]),
            OpenApiParameter("unit", OpenApiTypes.INT),
            OpenApiParameter("competency", str),
            OpenApiParameter("min_gap", OpenApiTypes.INT),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/x-ndjson"): OpenApiTypes.STR,
        },
        operation_id="gaps_export",
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        actor = actor_for(request)
        fmt = request.query_params.get("format", "csv")
        errors = []
        if fmt not in ("csv", "ndjson"):
            errors.append(FieldError("format", _("Use csv or ndjson."), "invalid_choice"))
        unit = request.query_params.get("unit")
        min_gap = request.query_params.get("min_gap", "0")
        if unit and not unit.isdigit():
            errors.append(FieldError("unit", _("Use a unit id."), "invalid"))
        if not min_gap.isdigit() or int(min_gap) > 5:
            errors.append(FieldError("min_gap", _("Use a whole number from 0 to 5."), "invalid"))
        if errors:
            raise ValidationError(errors=errors)
        unit_id = int(unit) if unit else None
        if not actor.organisation_wide:
            visible = actor.unit_ids or []
            if unit_id is None or unit_id not in visible:
                raise RoleNotAllowed(_("Export a unit you may see: pass ?unit=<id>."))
        stream = export_stream(
            fmt=fmt,
            day=_as_of(request),
            unit=unit_id,
            competency=(request.query_params.get("competency") or "").upper()[:20] or None,
            min_gap=int(min_gap),
        )
        content_type = "application/x-ndjson" if fmt == "ndjson" else "text/csv; charset=utf-8"
        response = StreamingHttpResponse(stream, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="gaps.{fmt}"'
        return response


class RotationIn(serializers.Serializer):
    employee = serializers.IntegerField()
    position = serializers.IntegerField()
    date = serializers.DateField()


class RotationImpactView(APIView):
    """What a planned move would do: the person's gaps in the new position and both units'
    coverage before and after. Writes nothing."""

    required_scopes = {"POST": "gaps:read"}
    write_roles = ("hr", "head")

    @extend_schema(
        request=RotationIn, responses={200: OpenApiTypes.OBJECT}, operation_id="rotation_impact"
    )
    def post(self, request: Request) -> Response:
        data = RotationIn(data=request.data)
        data.is_valid(raise_exception=True)
        employee = _visible_employee(request, data.validated_data["employee"])
        position = get_object_or_404(
            Position.objects.select_related("org_unit"), pk=data.validated_data["position"]
        )
        impact = selectors.rotation_impact(
            employee=employee, position=position, on_date=data.validated_data["date"]
        )

        def unit_impact(item: Any) -> dict[str, Any] | None:
            if item is None:
                return None
            return {
                "org_unit": item.org_unit.pk,
                "name": str(item.org_unit),
                "changes": [
                    {
                        "competency": c.code,
                        "is_critical": c.is_critical,
                        "before_pct": c.before_pct,
                        "after_pct": c.after_pct,
                        "before_meeting": c.before_meeting,
                        "after_meeting": c.after_meeting,
                        "lost_entirely": c.lost_entirely,
                    }
                    for c in item.changes
                ],
                "critical_lost": [c.code for c in item.critical_lost],
            }

        return Response(
            {
                "employee": employee.pk,
                "position": position.pk,
                "date": impact.on_date,
                "gaps_in_new_position": PositionGapsOut(impact.readiness).data,
                "losing_unit": unit_impact(impact.losing),
                "receiving_unit": unit_impact(impact.receiving),
            }
        )


class AkpkView(APIView):
    """AKPK rows for a unit and year (``format=json``, ``csv`` or ``xlsx``)."""

    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[
            OpenApiParameter("org_unit", OpenApiTypes.INT, required=True),
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("format", str, enum=["json", "csv", "xlsx"]),
        ],
        responses={200: OpenApiTypes.OBJECT},
        operation_id="akpk",
    )
    def get(self, request: Request) -> Response | HttpResponse:
        unit_id, year, fmt = (
            request.query_params.get(k, "") for k in ("org_unit", "year", "format")
        )
        errors = []
        if not unit_id.isdigit():
            errors.append(FieldError("org_unit", _("Use a unit id."), "required"))
        if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
            errors.append(FieldError("year", _("Use a year such as 2026."), "invalid"))
        if fmt and fmt not in ("json", "csv", "xlsx"):
            errors.append(FieldError("format", _("Use json, csv or xlsx."), "invalid_choice"))
        if errors:
            raise ValidationError(errors=errors)
        unit = get_object_or_404(OrgUnit, pk=int(unit_id))
        if not actor_for(request).may_see_unit(unit):
            raise RoleNotAllowed()
        the_year = int(year) if year else timezone.localdate().year
        rows = selectors.akpk_rows(org_unit=unit, year=the_year)
        if fmt in ("csv", "xlsx"):
            from competencies import exports

            if fmt == "csv":
                response = HttpResponse(
                    exports.akpk_csv(rows, year=the_year), content_type="text/csv; charset=utf-8"
                )
            else:
                response = HttpResponse(
                    exports.akpk_xlsx(rows, year=the_year),
                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            response["Content-Disposition"] = (
                f'attachment; filename="akpk-{unit.code.lower()}-{the_year}.{fmt}"'
            )
            return response
        return Response(
            {
                "org_unit": unit.pk,
                "year": the_year,
                "rows": [
                    {
                        "employee": r.employee_id,
                        "name": r.name,
                        "position": r.position_title,
                        "org_unit": r.org_unit_name,
                        "competency": r.code,
                        "competency_name": r.competency_name,
                        "kind": r.kind,
                        "required_level": r.required_level,
                        "proficiency": r.proficiency,
                        "gap": r.gap,
                        "is_critical": r.is_critical,
                        "development": r.development,
                    }
                    for r in rows
                ],
            }
        )

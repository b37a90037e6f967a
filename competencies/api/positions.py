"""Positions (jabatan) and what each requires."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.request import Request
from rest_framework.response import Response

from competencies import selectors, services
from competencies.access import acting_user
from competencies.api._common import COMPETENCY_CODE_PATTERN, POSITION_CODE_PATTERN, SiasnIdField
from competencies.models import (
    SIASN_JENIS_JABATAN,
    Competency,
    OrgUnit,
    Position,
    PositionKind,
)
from core.api.created import CreatedLocationMixin
from core.api.fields import (
    SMALLINT_MAX,
    IdField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
)
from core.api.idempotency import idempotent
from core.api.lists import ChoiceFilter, IdFilter, UpdatedCursorPagination, UpdatedSinceFilterSet


class RequirementIO(serializers.Serializer):
    competency = StrictCharField(
        max_length=20, pattern=COMPETENCY_CODE_PATTERN, help_text="Competency code, e.g. TIK-05"
    )
    required_level = StrictIntegerField(min_value=1, max_value=5)
    is_critical = StrictBooleanField(default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A requirement is whole even in a PATCH (which leaves out the position's fields, not
        # a requirement's): DRF skips required fields and defaults in a partial update.
        missing = {
            name: [ErrorDetail(self.fields[name].error_messages["required"], "required")]
            for name in ("competency", "required_level")
            if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return {"is_critical": False, **attrs}


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
            "class_grade",
            "siasn_jabatan_id",
            "siasn_jenis_jabatan",
            "is_active",
            "requirements",
            "updated_at",
        ]

    siasn_jenis_jabatan = serializers.ChoiceField(
        choices=["1", "2", "4"],
        read_only=True,
        help_text="SIASN's jenis jabatan, from the kind: 1 struktural (JPT, administrator, "
        "pengawas), 2 fungsional, 4 pelaksana",
    )

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
    code = StrictCharField(max_length=40, pattern=POSITION_CODE_PATTERN)
    title = StrictCharField(max_length=200)
    org_unit = IdField(help_text="The unit's id")
    kind = StrictChoiceField(choices=PositionKind.choices)
    functional_level = StrictCharField(max_length=40, required=False, allow_blank=True, default="")
    is_head = StrictBooleanField(default=False)
    headcount = StrictIntegerField(min_value=1, max_value=SMALLINT_MAX, default=1)
    class_grade = StrictIntegerField(
        min_value=1, max_value=17, required=False, allow_null=True, help_text="Kelas jabatan"
    )
    siasn_jabatan_id = SiasnIdField(help_text="SIASN's jabatan reference id")
    siasn_jenis_jabatan = StrictChoiceField(
        choices=["1", "2", "4"],
        required=False,
        help_text="SIASN's jenis jabatan; checked against kind (1 struktural: jpt, "
        "administrator, pengawas; 2 fungsional; 4 pelaksana), not stored",
    )
    is_active = StrictBooleanField(default=True)
    requirements = RequirementIO(many=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        jenis = attrs.pop("siasn_jenis_jabatan", None)
        position = self.context.get("position")
        kind = attrs.get("kind", getattr(position, "kind", None))
        if jenis is not None and kind is not None and SIASN_JENIS_JABATAN.get(kind) != jenis:
            message = _("SIASN's jenis jabatan %(jenis)s does not fit a position of kind %(kind)s.")
            raise serializers.ValidationError(
                {
                    "siasn_jenis_jabatan": [
                        ErrorDetail(message % {"jenis": jenis, "kind": kind}, "jenis_jabatan_kind")
                    ]
                }
            )
        return attrs

    def validate_org_unit(self, value: int) -> OrgUnit:
        unit = OrgUnit.objects.filter(pk=value).first()
        if unit is None:
            raise serializers.ValidationError(
                _("There is no unit %(id)s.") % {"id": value}, code="unknown_org_unit"
            )
        return unit

    def validate_requirements(
        self, value: list[dict[str, Any]]
    ) -> list[tuple[Competency, int, bool]]:
        codes = [item["competency"].upper() for item in value]
        known = {c.code: c for c in Competency.objects.filter(code__in=codes)}
        errors = {}
        for index, code in enumerate(codes):
            if code not in known:
                message = _("Unknown competency code: %(code)s") % {"code": code}
                errors[index] = {"competency": [ErrorDetail(message, "unknown_competency")]}
            elif codes.index(code) != index:
                message = _("%(code)s is listed twice.") % {"code": code}
                errors[index] = {"competency": [ErrorDetail(message, "duplicate_competency")]}
        if errors:
            raise serializers.ValidationError([errors.get(i, {}) for i in range(len(codes))])
        return [
            (known[code], item["required_level"], item["is_critical"])
            for code, item in zip(codes, value, strict=True)
        ]


HEAD_TAKEN = OpenApiResponse(
    description="is_head, and the unit already has a head position (code unit_head_taken)"
)


class PositionFilter(UpdatedSinceFilterSet):
    org_unit = IdFilter(field_name="org_unit_id")
    kind = ChoiceFilter(choices=PositionKind.choices)
    code = django_filters.CharFilter()

    class Meta:
        model = Position
        fields = ["org_unit", "kind", "code"]


class PositionListCreate(CreatedLocationMixin, generics.ListCreateAPIView):
    """Positions (jabatan) with what each requires."""

    created_location = "/api/v1/positions/{id}/"
    serializer_class = PositionOut
    required_scopes = {"GET": "employees:read", "POST": "employees:write"}
    pagination_class = UpdatedCursorPagination
    filterset_class = PositionFilter

    def get_queryset(self) -> Any:
        return selectors.position_list()

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
            class_grade=values.get("class_grade"),
            siasn_jabatan_id=values.get("siasn_jabatan_id", ""),
            requirements=values.get("requirements", []),
            user=acting_user(request),
            reason=request.headers.get("X-Reason", "API"),
        )
        return Response(
            PositionOut(selectors.position_list().get(pk=position.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class PositionDetail(generics.RetrieveUpdateAPIView):
    serializer_class = PositionOut
    required_scopes = {
        "GET": "employees:read",
        "PUT": "employees:write",
        "PATCH": "employees:write",
    }

    def get_queryset(self) -> Any:
        return selectors.position_list()

    def _update(self, request: Request, partial: bool) -> Response:
        position = self.get_object()
        data = PositionIn(data=request.data, partial=partial, context={"position": position})
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
        return Response(PositionOut(selectors.position_list().get(pk=position.pk)).data)

    @extend_schema(
        request=PositionIn,
        responses={200: PositionOut, 409: HEAD_TAKEN},
        operation_id="positions_replace",
    )
    def put(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._update(request, partial=False)

    @extend_schema(
        request=PositionIn,
        responses={200: PositionOut, 409: HEAD_TAKEN},
        operation_id="positions_partial_update",
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._update(request, partial=True)

"""Positions (jabatan) and what each requires."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from competencies import selectors, services
from competencies.access import acting_user
from competencies.models import Competency, OrgUnit, Position, PositionKind
from core.api.idempotency import idempotent
from core.api.lists import UpdatedCursorPagination, UpdatedSinceFilterSet


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


class PositionListCreate(generics.ListCreateAPIView):
    """Positions (jabatan) with what each requires."""

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
        return Response(PositionOut(selectors.position_list().get(pk=position.pk)).data)

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

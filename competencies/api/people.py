"""People (ASN): the list, one person, and the bulk upsert by NIP."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from competencies import selectors, services
from competencies.access import actor_for
from competencies.models import (
    Employee,
    EmployeeStatus,
)
from competencies.validators import normalise_nip
from core import dates
from core.api.idempotency import idempotent
from core.api.lists import UpdatedCursorPagination, UpdatedSinceFilterSet


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
        return selectors.employees_in_unit(people=queryset, org_unit_id=value, as_of=dates.today())


def _employees(actor: Any) -> Any:
    return selectors.employee_list(people=actor.employees(), as_of=dates.today())


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

"""Position history: assignments, and recording a rotation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from competencies import selectors, services
from competencies.access import acting_user, actor_for
from competencies.api._common import SiasnIdField, visible_employee
from competencies.models import Assignment, AssignmentKind, Employee, Position
from core.api.fields import IdField, StrictCharField, StrictChoiceField, StrictDateField
from core.api.idempotency import idempotent
from core.api.lists import (
    ChoiceFilter,
    DateFilter,
    IdFilter,
    UpdatedCursorPagination,
    UpdatedSinceFilterSet,
)


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
            "siasn_id",
            "updated_at",
        ]


class AssignmentIn(serializers.Serializer):
    employee = IdField()
    position = IdField()
    kind = StrictChoiceField(choices=AssignmentKind.choices)
    start_date = StrictDateField()
    end_date = StrictDateField(required=False, allow_null=True)
    decree_number = StrictCharField(max_length=100, required=False, allow_blank=True, default="")
    decree_date = StrictDateField(required=False, allow_null=True)
    siasn_id = SiasnIdField(default="", help_text="SIASN's id of this riwayat jabatan row")

    def validate_position(self, value: int) -> Position:
        position = Position.objects.filter(pk=value).first()
        if position is None:
            raise serializers.ValidationError(
                _("There is no position %(id)s.") % {"id": value}, code="unknown_position"
            )
        return position


class AssignmentFilter(UpdatedSinceFilterSet):
    employee = IdFilter(field_name="employee_id")
    position = IdFilter(field_name="position_id")
    kind = ChoiceFilter(choices=AssignmentKind.choices)
    active_on = DateFilter(method="filter_active_on")

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
        return selectors.assignment_list(people=actor_for(self.request).employees())

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
            AssignmentOut(assignment).data,
            status=201,
        )


class EmployeeAssignments(generics.ListAPIView):
    serializer_class = AssignmentOut
    required_scopes = {"GET": "employees:read"}
    pagination_class = UpdatedCursorPagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        employee = visible_employee(self.request, self.kwargs["pk"])
        return selectors.assignment_history(employee=employee)

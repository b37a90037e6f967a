"""People (ASN): the list, one person, and the lookup by NIP.

A NIP never travels in a URL, where proxies and servers log it: resource URLs use internal ids,
and a person is found by NIP with ``POST /api/v1/employees/lookup/`` and the NIP in the body.
The list refuses ``?nip=`` with a 400 that says so, so that an old client learns why."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from competencies import selectors, services
from competencies.access import actor_for
from competencies.api._common import NipField, SiasnIdField, visible_employee
from competencies.exceptions import NipInUrlError
from competencies.models import (
    RANK_CHOICES,
    Employee,
    EmployeeStatus,
    RankHistory,
)
from core import dates
from core.api.created import CreatedLocationMixin
from core.api.fields import (
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictEmailField,
)
from core.api.idempotency import idempotent
from core.api.lists import ChoiceFilter, IdFilter, UpdatedCursorPagination, UpdatedSinceFilterSet
from core.exceptions import FieldError


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
            "rank_start_date",
            "siasn_id",
            "email",
            "status",
            "current_positions",
            "updated_at",
        ]

    @extend_schema_field(CurrentPostOut(many=True))
    def get_current_positions(self, employee: Employee) -> list[dict[str, Any]]:
        return CurrentPostOut(getattr(employee, "current_assignments", []), many=True).data


class EmployeeIn(serializers.Serializer):
    nip = NipField()
    name = StrictCharField(max_length=200)
    rank = StrictChoiceField(choices=RANK_CHOICES, required=False, allow_blank=True, default="")
    rank_start_date = StrictDateField(
        required=False, allow_null=True, help_text="TMT golongan: the rank is held from this day"
    )
    siasn_id = SiasnIdField(default="", help_text="SIASN's PNS id (pnsOrangId)")
    email = StrictEmailField(required=False, allow_blank=True, default="")
    status = StrictChoiceField(choices=EmployeeStatus.choices, default="active")


class EmployeeInSchema(OpenApiSerializerExtension):
    """A TMT golongan needs its rank, in the schema (OpenAPI 3.0 has no dependentRequired)."""

    target_class = "competencies.api.people.EmployeeIn"

    def map_serializer(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["anyOf"] = [
            {"not": {"required": ["rank_start_date"]}},
            {"properties": {"rank_start_date": {"not": {"type": "string"}}}},  # null
            {"required": ["rank"], "properties": {"rank": {"type": "string", "minLength": 1}}},
        ]
        return schema


class EmployeePatch(serializers.Serializer):
    name = StrictCharField(max_length=200, required=False)
    rank = StrictChoiceField(choices=RANK_CHOICES, required=False, allow_blank=True)
    rank_start_date = StrictDateField(
        required=False, allow_null=True, help_text="TMT golongan: the rank is held from this day"
    )
    siasn_id = SiasnIdField(help_text="SIASN's PNS id (pnsOrangId)")
    email = StrictEmailField(required=False, allow_blank=True)
    status = StrictChoiceField(choices=EmployeeStatus.choices, required=False)


class EmployeeFilter(UpdatedSinceFilterSet):
    status = ChoiceFilter(choices=EmployeeStatus.choices)
    org_unit = IdFilter(method="filter_unit", label="Holds a position in this unit's subtree today")

    class Meta:
        model = Employee
        fields = ["status", "org_unit"]

    def filter_queryset(self, queryset: Any) -> Any:
        if "nip" in self.data:
            raise NipInUrlError(
                errors=[FieldError("nip", NipInUrlError.default_message, NipInUrlError.code)]
            )
        return super().filter_queryset(queryset)

    def filter_unit(self, queryset: Any, name: str, value: int) -> Any:
        return selectors.employees_in_unit(people=queryset, org_unit_id=value, as_of=dates.today())


def _employees(actor: Any) -> Any:
    return selectors.employee_list(people=actor.employees(), as_of=dates.today())


class EmployeeListCreate(CreatedLocationMixin, generics.ListCreateAPIView):
    """People (ASN). Resource URLs use internal ids; the NIP is a field, and a person is found
    by NIP with ``POST /api/v1/employees/lookup/`` (never ``?nip=``)."""

    created_location = "/api/v1/employees/{id}/"
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
        request=EmployeePatch,
        responses={
            200: EmployeeOut,
            409: OpenApiResponse(
                description="siasn_id: another person has this SIASN id (duplicate_siasn_id)"
            ),
        },
        operation_id="employees_partial_update",
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        employee = self.get_object()
        data = EmployeePatch(data=request.data)
        data.is_valid(raise_exception=True)
        services.employee_update(employee=employee, data=data.validated_data)
        return Response(EmployeeOut(self.get_queryset().get(pk=employee.pk)).data)


class EmployeeLookupIn(serializers.Serializer):
    nip = NipField()


class EmployeeLookup(APIView):
    """One person by NIP, the NIP in the body: a NIP in a URL would end up in the logs of
    every proxy on the way. 404 when no person the caller may see has it."""

    required_scopes = {"POST": "employees:read"}
    write_roles = ("hr", "head", "employee")  # a read, sent as POST: whoever may list people

    @extend_schema(
        request=EmployeeLookupIn,
        responses={200: EmployeeOut},
        operation_id="employees_lookup",
        examples=[OpenApiExample("A NIP", request_only=True, value={"nip": "198504122010031001"})],
    )
    def post(self, request: Request) -> Response:
        data = EmployeeLookupIn(data=request.data)
        data.is_valid(raise_exception=True)
        employee = selectors.employee_by_nip(
            people=actor_for(request).employees(),
            nip=data.validated_data["nip"],
            as_of=dates.today(),
        )
        return Response(EmployeeOut(employee).data)


class RankOut(serializers.ModelSerializer):
    class Meta:
        model = RankHistory
        fields = ["id", "rank", "start_date", "decree_number", "decree_date", "siasn_id"]


class RankIn(serializers.Serializer):
    rank = StrictChoiceField(choices=RANK_CHOICES)
    start_date = StrictDateField(help_text="TMT golongan")
    decree_number = StrictCharField(max_length=100, required=False, allow_blank=True, default="")
    decree_date = StrictDateField(required=False, allow_null=True)
    siasn_id = SiasnIdField(default="", help_text="SIASN's id of this riwayat golongan row")


class EmployeeRanks(generics.ListCreateAPIView):
    """A person's golongan history (*riwayat golongan*), newest first. POST adds a row; a row
    with a TMT on or after the current one becomes the person's ``rank`` and
    ``rank_start_date``. 409 ``duplicate_rank_tmt`` when the person has a row with that TMT."""

    serializer_class = RankOut
    required_scopes = {"GET": "employees:read", "POST": "employees:write"}
    pagination_class = None  # a career holds a handful of ranks

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no caller
            return RankHistory.objects.none()
        employee = visible_employee(self.request, self.kwargs["pk"])
        return selectors.rank_history(employee=employee)

    @extend_schema(request=RankIn, responses={201: RankOut}, operation_id="employees_ranks_create")
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        employee = visible_employee(request, pk)
        data = RankIn(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.employee_rank_record(employee=employee, **data.validated_data)
        return Response(RankOut(row).data, status=201)

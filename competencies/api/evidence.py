"""Evidence of competency and the proficiency it gives."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from competencies import selectors, services
from competencies.access import acting_user
from competencies.api._common import AsOfQuery, query_params, visible_employee
from competencies.models import Employee, EvidenceSource
from core.api.idempotency import idempotent


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
        parameters=[AsOfQuery],
        responses={200: ProficiencyOut(many=True)},
        operation_id="employee_competencies",
    )
    def get(self, request: Request, pk: int) -> Response:
        employee = visible_employee(request, pk)
        query = query_params(AsOfQuery, request)
        rows = selectors.proficiency_for_employee(employee=employee, as_of=query["as_of"])
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

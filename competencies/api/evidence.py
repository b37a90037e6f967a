"""Evidence of competency, its review (validate / reject), and the proficiency it gives.

Which evidence counts at once and which waits for a supervisor or HR is the evidence policy
(``competencies.policy``, docs/EVIDENCE.md); only ``validated`` evidence counts in gaps."""

from __future__ import annotations

from typing import Any

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from competencies import selectors, services
from competencies.access import acting_user, actor_for
from competencies.api._common import (
    COMPETENCY_CODE_PATTERN,
    AsOfQuery,
    query_params,
    visible_employee,
)
from competencies.models import Employee, Evidence, EvidenceSource, EvidenceStatus
from core.api.fields import (
    IdField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictIntegerField,
)
from core.api.idempotency import idempotent
from core.api.lists import ChoiceFilter, IdCursorPagination, IdFilter


class EvidenceOut(serializers.Serializer):
    id = serializers.IntegerField()
    employee = serializers.IntegerField(source="employee_id")
    competency = serializers.CharField(source="competency.code")
    level = serializers.IntegerField()
    source = serializers.ChoiceField(choices=EvidenceSource.choices)
    status = serializers.ChoiceField(
        choices=EvidenceStatus.choices,
        help_text="Only validated evidence counts toward proficiency and gaps.",
    )
    counts = serializers.BooleanField()
    achieved_date = serializers.DateField()
    expires_date = serializers.DateField(allow_null=True)
    reference = serializers.CharField()
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    reviewed_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When a person validated or rejected it; null while provisional, and for "
        "evidence the policy counts without a reviewer.",
    )
    review_note = serializers.CharField()


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
    employee = IdField()
    competency = StrictCharField(
        max_length=20, pattern=COMPETENCY_CODE_PATTERN, help_text="Competency code, e.g. M.01"
    )
    level = StrictIntegerField(min_value=1, max_value=5)
    source = StrictChoiceField(choices=EvidenceSource.choices)
    achieved_date = StrictDateField()
    expires_date = StrictDateField(required=False, allow_null=True)
    reference = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    note = StrictCharField(required=False, allow_blank=True, default="")


class EvidenceFilter(django_filters.FilterSet):
    employee = IdFilter(field_name="employee_id")
    competency = django_filters.CharFilter(field_name="competency__code", lookup_expr="iexact")
    status = ChoiceFilter(choices=EvidenceStatus.choices)
    source = ChoiceFilter(choices=EvidenceSource.choices)

    class Meta:
        model = Evidence
        fields = ["employee", "competency", "status", "source"]


class EvidenceListCreate(generics.ListAPIView):
    """Evidence of the people the caller may see (``?status=provisional`` is the validation
    queue); POST appends evidence (e.g. assessment-centre results), with the status the
    evidence policy gives it. The facts are never changed afterwards; only the review is."""

    serializer_class = EvidenceOut
    required_scopes = {"GET": "gaps:read", "POST": "employees:write"}
    pagination_class = IdCursorPagination
    filterset_class = EvidenceFilter

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no caller
            return Evidence.objects.none()
        return Evidence.objects.filter(
            employee__in=actor_for(self.request).employees()
        ).select_related("competency")

    @extend_schema(request=EvidenceIn, responses={201: EvidenceOut}, operation_id="evidence_create")
    @idempotent
    def post(self, request: Request) -> Response:
        """Append evidence with the status the evidence policy gives it."""
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


class ReviewIn(serializers.Serializer):
    note = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Why. The person sees it in their history.",
    )


class RejectIn(serializers.Serializer):
    note = StrictCharField(
        max_length=2000,
        help_text="Why (required): the person sees it in their history.",
    )


class _EvidenceReview(APIView):
    """Validate or reject provisional evidence of a person the caller may see, once."""

    required_scopes = {"POST": "employees:write"}
    validate = True
    input_serializer: type[serializers.Serializer] = ReviewIn

    def post(self, request: Request, pk: int) -> Response:
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = get_object_or_404(
            Evidence.objects.filter(employee__in=actor_for(request).employees()), pk=pk
        )
        item = services.evidence_review(
            evidence=evidence,
            reviewer=acting_user(request),
            validate=self.validate,
            note=data.validated_data["note"],
        )
        return Response(EvidenceOut(item).data)


class EvidenceValidate(_EvidenceReview):
    @extend_schema(
        request=ReviewIn,
        responses={200: EvidenceOut},
        operation_id="evidence_validate",
        description="Validate provisional evidence: from now on it counts in gaps. 409 when "
        "it was already validated or rejected.",
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class EvidenceReject(_EvidenceReview):
    validate = False
    input_serializer = RejectIn

    @extend_schema(
        request=RejectIn,
        responses={200: EvidenceOut},
        operation_id="evidence_reject",
        description="Reject provisional evidence with a note (required): it never counts. "
        "409 when it was already validated or rejected.",
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

"""The HR API for learning: courses, enrollments, learning hours (JP) against the yearly
target, and external training records."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from competencies import services as competency_services
from competencies.access import acting_user, actor_for
from competencies.api._common import COMPETENCY_CODE_PATTERN
from competencies.models import Employee
from core.api.fields import (
    IdField,
    RoundedDecimalField,
    StrictCharField,
    StrictDateField,
    StrictIntegerField,
)
from core.api.idempotency import idempotent
from core.api.lists import (
    ChoiceFilter,
    IdCursorPagination,
    IdFilter,
    UpdatedCursorPagination,
    UpdatedSinceFilterSet,
)
from core.exceptions import FieldError, ValidationError
from courses import selectors, services
from courses.models import CoursePage, Enrollment, EnrollmentStatus, LearningRecord

#: The years the learning-hours ledger answers for.
LEARNING_YEARS = (2000, 2100)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)


class CourseOut(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    competencies = serializers.SerializerMethodField()

    class Meta:
        model = CoursePage
        fields = [
            "id",
            "title",
            "slug",
            "summary",
            "jp_hours",
            "delivery_mode",
            "level",
            "passing_score",
            "certificate_validity_years",
            "is_open",
            "url",
            "competencies",
        ]

    def get_url(self, course: CoursePage) -> str:
        return course.url or ""

    def get_competencies(self, course: CoursePage) -> list[dict[str, Any]]:
        return [
            {"competency": link.competency.code, "level": link.level}
            for link in course.competencies.all()
        ]


class CourseList(generics.ListAPIView):
    """Published courses with the competency levels they build."""

    serializer_class = CourseOut
    required_scopes = {"GET": "learning:read"}
    pagination_class = IdCursorPagination

    def get_queryset(self) -> Any:
        return selectors.course_list().order_by("id")


class EnrollmentOut(serializers.ModelSerializer):
    employee = serializers.IntegerField(source="employee_id")
    course = serializers.IntegerField(source="course_id")

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "employee",
            "course",
            "status",
            "enrolled_at",
            "completed_at",
            "score",
            "updated_at",
        ]


class EnrollmentFilter(UpdatedSinceFilterSet):
    employee = IdFilter(field_name="employee_id")
    course = IdFilter(field_name="course_id")
    status = ChoiceFilter(choices=EnrollmentStatus.choices)

    class Meta:
        model = Enrollment
        fields = ["employee", "course", "status"]


class EnrollmentList(generics.ListAPIView):
    serializer_class = EnrollmentOut
    required_scopes = {"GET": "learning:read"}
    pagination_class = UpdatedCursorPagination
    filterset_class = EnrollmentFilter

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no caller
            return Enrollment.objects.none()
        return Enrollment.objects.filter(employee__in=actor_for(self.request).employees())


class LearningHoursOut(serializers.Serializer):
    employee = serializers.IntegerField(source="id")
    nip = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    target = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=8, decimal_places=2, source="jp_total")
    courses = serializers.DecimalField(max_digits=8, decimal_places=2, source="jp_courses")
    external = serializers.DecimalField(max_digits=8, decimal_places=2, source="jp_external")
    met = serializers.BooleanField()


class LearningHoursList(generics.ListAPIView):
    """JP per employee for a year against their own yearly target (PNS or PPPK), by source
    (one query per page)."""

    serializer_class = LearningHoursOut
    required_scopes = {"GET": "learning:read"}
    pagination_class = IdCursorPagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no caller
            return Employee.objects.none()
        return selectors.learning_hours_list(
            year=self._year(), employees=actor_for(self.request).employees()
        )

    def _year(self) -> int:
        raw = self.request.query_params.get("year")
        if raw is None:
            return timezone.localdate().year
        if not (_DIGITS.fullmatch(raw) and LEARNING_YEARS[0] <= int(raw) <= LEARNING_YEARS[1]):
            raise ValidationError(
                errors=[FieldError("year", _("Use a year such as 2026."), "invalid")]
            )
        return int(raw)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": LEARNING_YEARS[0], "maximum": LEARNING_YEARS[1]},
                description="The year (default this year)",
            )
        ],
        operation_id="learning_hours_list",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        year = self._year()
        for employee in page:
            target = selectors.jp_annual_target(employment_type=employee.employment_type)
            employee.year, employee.target, employee.met = year, target, employee.jp_total >= target
        return self.get_paginated_response(LearningHoursOut(page, many=True).data)


class LearningAlignmentIn(serializers.Serializer):
    competency = StrictCharField(max_length=20, pattern=COMPETENCY_CODE_PATTERN)
    level = StrictIntegerField(min_value=1, max_value=5)


#: Learning hours (JP) of one training: a number of hours, kept to the hundredth.
JP_HOURS = {"max_digits": 6, "decimal_places": 2, "min_value": Decimal("0.25")}
JP_HOURS_MAX = Decimal("9999.99")


class LearningRecordIn(serializers.Serializer):
    employee = IdField()
    title = StrictCharField(max_length=300)
    provider = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    jp_hours = RoundedDecimalField(
        **JP_HOURS, max_value=JP_HOURS_MAX, help_text="Hours (JP), kept to the hundredth"
    )
    start_date = StrictDateField(
        required=False, allow_null=True, help_text="The first day, on or before completed_date"
    )
    completed_date = StrictDateField()
    reference = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    competencies = LearningAlignmentIn(many=True, required=False)
    valid_until = StrictDateField(required=False, allow_null=True)


class LearningRecordOut(serializers.ModelSerializer):
    employee = serializers.IntegerField(source="employee_id")

    class Meta:
        model = LearningRecord
        fields = [
            "id",
            "employee",
            "year",
            "title",
            "provider",
            "jp_hours",
            "source",
            "start_date",
            "completed_date",
            "reference",
        ]


def external_training(request: Request, values: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``learning_record_create`` for validated external training:
    the employee and the competencies it attests, looked up. Shared by
    ``POST /learning-records/`` and ``POST /certificates/`` (which records and certifies it
    in one service call)."""
    return {
        "employee": get_object_or_404(Employee, pk=values["employee"]),
        "title": values["title"],
        "provider": values["provider"],
        "jp_hours": values["jp_hours"],
        "start_date": values.get("start_date"),
        "completed_date": values["completed_date"],
        "reference": values["reference"],
        "competencies": [
            (competency_services.competency_by_code(item["competency"].upper()), item["level"])
            for item in values.get("competencies", [])
        ],
        "recorded_by": acting_user(request),
    }


class LearningRecordCreate(APIView):
    """External training (e.g. a Digital Talent Scholarship course) into the JP ledger, with
    evidence for the competencies it attests."""

    required_scopes = {"POST": "employees:write"}

    @extend_schema(
        request=LearningRecordIn,
        responses={201: LearningRecordOut},
        operation_id="learning_records_create",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = LearningRecordIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        record = services.learning_record_create(
            **external_training(request, values), valid_until=values.get("valid_until")
        )
        return Response(LearningRecordOut(record).data, status=201)

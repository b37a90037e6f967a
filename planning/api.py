"""The AKPK workflow through the API: the plans with their state and totals, a plan's rows
(cursor-paged, with the planned development), and the steps of the workflow for HR systems
(scope ``akpk:write``: an HR system acts for BKPSDM, so it may verify or return a submitted
AKPK; people signed in may take the steps their role on the day allows)."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from competencies.access import acting_user, actor_for
from core import dates
from core.api.fields import StrictCharField, StrictChoiceField
from core.api.idempotency import idempotent
from core.api.lists import ChoiceFilter, IdCursorPagination, IdFilter
from core.exceptions import NotFoundError
from planning import rules, selectors, services
from planning.models import AkpkAction, AkpkPlan, AkpkRow, AkpkState


def _plans(request: Request) -> Any:
    actor = actor_for(request)
    if actor.organisation_wide:
        return selectors.plans_visible_to_organisation()
    return selectors.plans_visible_to(user=actor.user, day=actor.today)


class PlanOut(serializers.ModelSerializer):
    org_unit = serializers.IntegerField(source="org_unit_id")
    org_unit_code = serializers.CharField(source="org_unit.code")
    org_unit_name = serializers.CharField(source="org_unit.name")
    people = serializers.IntegerField(help_text="People with at least one kept row.")
    gaps = serializers.IntegerField(help_text="Kept rows (person × competency).")
    jp_total = serializers.IntegerField(help_text="Learning hours (JP) of the kept rows.")
    cost_total = serializers.IntegerField(help_text="Estimated cost of the kept rows, in rupiah.")
    previous = serializers.IntegerField(source="previous_id", allow_null=True)

    class Meta:
        model = AkpkPlan
        fields = [
            "id",
            "org_unit",
            "org_unit_code",
            "org_unit_name",
            "year",
            "revision",
            "state",
            "previous",
            "gaps_as_of",
            "people",
            "gaps",
            "jp_total",
            "cost_total",
            "updated_at",
        ]


class PlanFilter(django_filters.FilterSet):
    year = IdFilter(field_name="year")
    org_unit = IdFilter(field_name="org_unit_id")
    state = ChoiceFilter(choices=AkpkState.choices)

    class Meta:
        model = AkpkPlan
        fields = ["year", "org_unit", "state"]


class PlanListView(generics.ListAPIView):
    """The AKPK plans (per perangkat daerah, year and revision) with their state and totals:
    all of them for HR and API clients, those of the units a head heads today for a head."""

    serializer_class = PlanOut
    required_scopes = {"GET": "gaps:read"}
    pagination_class = IdCursorPagination
    filterset_class = PlanFilter

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return AkpkPlan.objects.none()
        return _plans(self.request)


class RowOut(serializers.ModelSerializer):
    employee = serializers.IntegerField(source="employee_id")
    competency = serializers.IntegerField(source="competency_id")
    course = serializers.IntegerField(
        source="course_id", allow_null=True, help_text="The Tangkas course (page id), if any."
    )
    offering = serializers.IntegerField(
        source="offering_id",
        allow_null=True,
        help_text="The partner offering (GET /api/v1/offerings/), if any.",
    )

    class Meta:
        model = AkpkRow
        fields = [
            "id",
            "employee",
            "nip",
            "name",
            "rank",
            "position_title",
            "unit_name",
            "competency",
            "competency_code",
            "competency_name",
            "kind",
            "required_level",
            "current_level",
            "gap",
            "is_critical",
            "development_form",
            "path",
            "course",
            "offering",
            "planned_quarter",
            "jp_hours",
            "estimated_cost",
            "priority",
            "removed",
        ]


class PlanRowListView(generics.ListAPIView):
    """The rows of a plan: the snapshot of each counted gap and the development planned for
    it (removed rows included, flagged)."""

    serializer_class = RowOut
    required_scopes = {"GET": "gaps:read"}
    pagination_class = IdCursorPagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return AkpkRow.objects.none()
        plan = _plans(self.request).filter(pk=self.kwargs["plan_id"]).first()
        if plan is None:
            raise NotFoundError()
        return AkpkRow.objects.filter(plan=plan)


class TransitionIn(serializers.Serializer):
    action = StrictChoiceField(
        choices=[a for a in AkpkAction.values if a in rules.TRANSITIONS],
        help_text="submit (the head of the perangkat daerah), verify or return (BKPSDM; an API "
        "client), approve or return a verified one (the PPK's delegate).",
    )
    comment = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        default="",
        help_text="Why; required to return.",
    )


class TransitionOut(serializers.Serializer):
    plan = PlanOut()
    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    by = serializers.CharField()
    at = serializers.DateTimeField()
    comment = serializers.CharField()


class PlanTransitionView(APIView):
    """Take a step of the AKPK workflow. From the wrong state: 409 ``akpk_invalid_transition``;
    a step the caller's role on the day does not allow: 403 ``akpk_action_not_allowed``."""

    required_scopes = {"POST": "akpk:write"}
    write_roles = ("hr", "head", "employee")

    @extend_schema(
        request=TransitionIn,
        responses={
            200: TransitionOut,
            403: OpenApiResponse(description="The caller's role does not allow this step"),
            404: OpenApiResponse(description="No such plan, or not visible to the caller"),
            409: OpenApiResponse(description="The plan's state does not allow this step"),
        },
        operation_id="akpk_plans_transition",
    )
    @idempotent
    def post(self, request: Request, plan_id: int) -> Response:
        plan = _plans(request).filter(pk=plan_id).first()
        if plan is None:
            raise NotFoundError()
        data = TransitionIn(data=request.data)
        data.is_valid(raise_exception=True)
        actor = actor_for(request)
        transition = services.akpk_plan_transition(
            plan_id=plan.pk,
            action=data.validated_data["action"],
            user=acting_user(request),
            client_id=actor.client_id if actor.kind == "client" else "",
            comment=data.validated_data["comment"],
            day=dates.today(),
        )
        plan = _plans(request).get(pk=plan.pk)
        return Response(
            TransitionOut(
                {
                    "plan": plan,
                    "action": transition.action,
                    "from_state": transition.from_state,
                    "to_state": transition.to_state,
                    "by": transition.actor_label,
                    "at": transition.at,
                    "comment": transition.comment,
                }
            ).data
        )

"""Reads of the AKPK workflow: the plans a person may see (with their totals), one plan's rows
and trail, and the city-wide summary for BKPSDM. Totals and summaries are SQL aggregates, so
their number of queries does not grow with the rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from competencies.access import AnyUser, org_units_visible_to, user_is_active, user_is_hr
from competencies.models import OrgUnit, OrgUnitKind
from core.exceptions import NotFoundError
from planning import rules
from planning.models import (
    AkpkPlan,
    AkpkRow,
    AkpkState,
    AkpkTransition,
    DevelopmentForm,
    DevelopmentPath,
)

_KEPT = Q(rows__removed=False)


def _with_totals(plans: QuerySet[AkpkPlan]) -> QuerySet[AkpkPlan]:
    """Each plan with ``people``, ``gaps``, ``jp_total`` and ``cost_total`` of its kept rows."""
    return plans.annotate(
        people=Count("rows__employee", filter=_KEPT, distinct=True),
        gaps=Count("rows", filter=_KEPT),
        jp_total=Coalesce(
            Sum("rows__jp_hours", filter=_KEPT), Value(0), output_field=IntegerField()
        ),
        cost_total=Coalesce(Sum("rows__estimated_cost", filter=_KEPT), Value(0)),
    )


def sees_all_plans(*, user: AnyUser) -> bool:
    """HR (BKPSDM) and the PPK's delegates see every perangkat daerah's AKPK."""
    return user_is_hr(user=user) or rules.is_ppk_delegate(user=user)


def plans_visible_to(*, user: AnyUser, day: dt.date) -> QuerySet[AkpkPlan]:
    """The plans ``user`` may see on ``day``: all for HR and the PPK's delegates; for a head,
    those of the perangkat daerah in the units they head that day; else none."""
    plans = AkpkPlan.objects.select_related("org_unit")
    if not user_is_active(user=user):
        return plans.none()
    if not sees_all_plans(user=user):
        plans = plans.filter(org_unit__in=org_units_visible_to(user=user, as_of=day))
    return _with_totals(plans).order_by("-year", "org_unit__path", "-revision")


def plans_visible_to_organisation() -> QuerySet[AkpkPlan]:
    """Every plan with its totals (an API client acts for the organisation)."""
    return _with_totals(AkpkPlan.objects.select_related("org_unit")).order_by(
        "-year", "org_unit__path", "-revision"
    )


def plan_get(*, user: AnyUser, plan_id: int, day: dt.date) -> AkpkPlan:
    """One plan ``user`` may see, with its totals; ``NotFoundError`` otherwise (a plan out of
    reach is not revealed)."""
    plan = plans_visible_to(user=user, day=day).filter(pk=plan_id).first()
    if plan is None:
        raise NotFoundError()
    return plan


def is_latest_revision(*, plan: AkpkPlan) -> bool:
    return not AkpkPlan.objects.filter(
        org_unit_id=plan.org_unit_id, year=plan.year, revision__gt=plan.revision
    ).exists()


def plan_rows(*, plan: AkpkPlan) -> QuerySet[AkpkRow]:
    return (
        AkpkRow.objects.filter(plan=plan)
        .select_related("course", "offering__provider")
        .order_by("position", "pk")
    )


def plan_trail(*, plan: AkpkPlan) -> QuerySet[AkpkTransition]:
    return AkpkTransition.objects.filter(plan=plan).order_by("at", "pk")


def units_to_plan(*, user: AnyUser, day: dt.date) -> QuerySet[OrgUnit]:
    """The perangkat daerah for which ``user`` may generate an AKPK: all for HR, the ones a
    head heads that day."""
    units = OrgUnit.objects.filter(kind=OrgUnitKind.REGIONAL_BODY, is_active=True)
    if user_is_hr(user=user):
        return units.order_by("path")
    return units.filter(pk__in=org_units_visible_to(user=user, as_of=day).values("pk")).order_by(
        "path"
    )


# --- The city-wide summary ------------------------------------------------------------------


def latest_plans(*, year: int) -> QuerySet[AkpkPlan]:
    """Each perangkat daerah's latest revision for ``year``, whatever its state."""
    newer = AkpkPlan.objects.filter(
        org_unit=OuterRef("org_unit"), year=OuterRef("year"), revision__gt=OuterRef("revision")
    )
    return AkpkPlan.objects.filter(year=year).filter(~Exists(newer))


def summary_rows(*, year: int) -> QuerySet[AkpkRow]:
    """The kept rows of the latest revision of every perangkat daerah's AKPK for ``year``."""
    return AkpkRow.objects.filter(plan__in=latest_plans(year=year), removed=False)


@dataclass(frozen=True)
class Summary:
    year: int
    totals: dict[str, Any]
    by_unit: list[dict[str, Any]]
    by_competency: list[dict[str, Any]]
    by_form_path: list[dict[str, Any]]


def _measures() -> dict[str, Any]:
    return {
        "people": Count("employee", distinct=True),
        "gaps": Count("id"),
        "jp_total": Coalesce(Sum("jp_hours"), Value(0), output_field=IntegerField()),
        "cost_total": Coalesce(Sum("estimated_cost"), Value(0)),
    }


def akpk_summary(*, year: int) -> Summary:
    """The city's AKPK for ``year`` (each perangkat daerah's latest revision, kept rows): the
    totals, and the same measures by perangkat daerah (with its state), by competency and by
    form and path. Four queries, whatever the size of the city."""
    rows = summary_rows(year=year)
    totals = rows.aggregate(**_measures())
    by_unit = list(
        rows.values(
            "plan_id",
            "plan__org_unit__name",
            "plan__org_unit__code",
            "plan__state",
            "plan__revision",
            "plan__org_unit__path",
        )
        .annotate(**_measures())
        .order_by("plan__org_unit__path")
    )
    # A perangkat daerah whose AKPK has no kept row still shows, with zeros.
    shown = {row["plan_id"] for row in by_unit}
    for plan in latest_plans(year=year).select_related("org_unit").order_by("org_unit__path"):
        if plan.pk not in shown:
            by_unit.append(
                {
                    "plan_id": plan.pk,
                    "plan__org_unit__name": plan.org_unit.name,
                    "plan__org_unit__code": plan.org_unit.code,
                    "plan__state": plan.state,
                    "plan__revision": plan.revision,
                    "plan__org_unit__path": plan.org_unit.path,
                    "people": 0,
                    "gaps": 0,
                    "jp_total": 0,
                    "cost_total": 0,
                }
            )
    by_unit.sort(key=lambda row: row["plan__org_unit__path"])
    by_competency = list(
        rows.values("competency_code", "competency_name", "kind")
        .annotate(**_measures())
        .order_by("competency_code", "competency_name", "kind")
    )
    by_form_path = list(
        rows.values("development_form", "path")
        .annotate(**_measures())
        .order_by("development_form", "path")
    )
    for row in by_form_path:
        row["form_label"] = DevelopmentForm(row["development_form"]).label
        row["path_label"] = DevelopmentPath(row["path"]).label
    return Summary(year, totals, by_unit, by_competency, by_form_path)


def state_counts(*, year: int) -> dict[str, int]:
    """How many perangkat daerah's latest AKPK are in each state."""
    counts = dict(
        latest_plans(year=year)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return {state: counts.get(state, 0) for state in AkpkState.values}

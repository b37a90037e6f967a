"""Reads of the AKPK workflow: the plans a person may see (with their totals), one plan's rows
and trail, and the city-wide summary for BKPSDM. Totals and summaries are SQL aggregates, so
their number of queries does not grow with the rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
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


@dataclass(frozen=True)
class Summary:
    year: int
    totals: dict[str, Any]
    by_unit: list[dict[str, Any]]
    by_competency: list[dict[str, Any]]
    by_form_path: list[dict[str, Any]]
    states: dict[str, int]


#: The measures of the kept rows of each perangkat daerah's latest AKPK for ``%(year)s``, in
#: one scan: the totals, and the same by plan, by competency and by form and path.
#: ``GROUPING`` tells the sets apart (a bit set for each of plan, competency and form that is
#: *not* a grouping column of the row's set).
SUMMARY_SQL = """
    SELECT GROUPING(r.plan_id, r.competency_code, r.development_form) AS grouping_set,
           r.plan_id, r.competency_code, r.competency_name, r.kind, r.development_form,
           r.path, count(DISTINCT r.employee_id) AS people, count(*) AS gaps,
           coalesce(sum(r.jp_hours), 0) AS jp_total,
           coalesce(sum(r.estimated_cost), 0) AS cost_total
    FROM planning_akpkrow r
    JOIN planning_akpkplan p ON p.id = r.plan_id
    WHERE p.year = %(year)s
      AND NOT r.removed
      AND NOT EXISTS (
          SELECT 1 FROM planning_akpkplan n
          WHERE n.org_unit_id = p.org_unit_id AND n.year = p.year AND n.revision > p.revision
      )
    GROUP BY GROUPING SETS (
        (), (r.plan_id), (r.competency_code, r.competency_name, r.kind),
        (r.development_form, r.path)
    )
"""
_TOTALS, _BY_PLAN, _BY_COMPETENCY, _BY_FORM = 0b111, 0b011, 0b101, 0b110
_MEASURES = ("people", "gaps", "jp_total", "cost_total")


def akpk_summary(*, year: int) -> Summary:
    """The city's AKPK for ``year`` (each perangkat daerah's latest revision, kept rows): the
    totals, and the same measures by perangkat daerah (with its state; one without kept rows
    shows with zeros), by competency and by form and path, and how many perangkat daerah are
    in each state. Two queries, whatever the size of the city: the measures in one scan
    (``SUMMARY_SQL``) and the latest plans."""
    with connection.cursor() as cursor:
        cursor.execute(SUMMARY_SQL, {"year": year})
        columns = [column.name for column in cursor.description]
        records = [dict(zip(columns, record, strict=True)) for record in cursor.fetchall()]
    zeros = dict.fromkeys(_MEASURES, 0)
    totals, by_plan = dict(zeros), {}
    by_competency, by_form_path = [], []
    for record in records:
        measures = {name: record[name] for name in _MEASURES}
        grouping = record["grouping_set"]
        if grouping == _TOTALS:
            totals = measures
        elif grouping == _BY_PLAN:
            by_plan[record["plan_id"]] = measures
        elif grouping == _BY_COMPETENCY:
            by_competency.append(
                {key: record[key] for key in ("competency_code", "competency_name", "kind")}
                | measures
            )
        elif grouping == _BY_FORM:
            by_form_path.append(
                {
                    "development_form": record["development_form"],
                    "path": record["path"],
                    "form_label": DevelopmentForm(record["development_form"]).label,
                    "path_label": DevelopmentPath(record["path"]).label,
                }
                | measures
            )
    plans = latest_plans(year=year).select_related("org_unit").order_by("org_unit__path")
    by_unit = [
        {
            "plan_id": plan.pk,
            "plan__org_unit__name": plan.org_unit.name,
            "plan__org_unit__code": plan.org_unit.code,
            "plan__state": plan.state,
            "plan__revision": plan.revision,
            "plan__org_unit__path": plan.org_unit.path,
        }
        | by_plan.get(plan.pk, zeros)
        for plan in plans
    ]
    states = dict.fromkeys(AkpkState.values, 0)
    for row in by_unit:
        states[row["plan__state"]] += 1
    by_competency.sort(
        key=lambda row: (row["competency_code"], row["competency_name"], row["kind"])
    )
    by_form_path.sort(key=lambda row: (row["development_form"], row["path"]))
    return Summary(year, totals, by_unit, by_competency, by_form_path, states)

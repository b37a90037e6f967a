"""The pages of development plans, all plain forms that post and redirect (no JavaScript):

- ``/me/plan/``: the person's plan for the current year: start it (goals filled in from their
  counted gaps), add and remove goals and activities while it is a draft or returned, sign it;
  its progress, filled in from completed enrollments, and its history.
- ``/dashboard/plans/``: for a head, the plans of the people of their unit (who has none, which
  wait for a signature, which are overdue), and per sub-unit counts; for HR the same for any
  unit, the city's status per perangkat daerah at the top.
- ``/dashboard/plans/<id>/``: one plan for the head, with the sign-off or the return with a
  comment (only for a head of the person's unit on the day, ``selectors.may_sign``).

Access follows the post on the day (``competencies.access``). Each view makes one call into the
domain; a refused step shows the service's message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from competencies.access import (
    can_view_employee,
    employee_for_user,
    org_units_visible_to,
    user_is_hr,
)
from competencies.models import Employee, OrgUnit
from core import dates
from core.exceptions import ApplicationError
from development import selectors, services
from development.forms import ActivityForm, CommentForm, GoalForm
from development.models import DevelopmentPlan, PlanStatus

#: Which rows of a unit's plans the ``show`` filter keeps.
SHOW_CHOICES = ("", "none", "waiting", "overdue")


def _apply(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's field errors by the form's fields (the rest above the form)."""
    placed = False
    for item in error.errors:
        if item.field in form.fields:
            form.add_error(item.field, str(item.message))
            placed = True
        else:
            form.add_error(None, str(item.message))
            placed = True
    if not placed:
        form.add_error(None, str(error))


# --- The person's own plan ------------------------------------------------------------------


def _me(request: HttpRequest) -> Employee:
    employee = employee_for_user(user=request.user)
    if employee is None:
        raise PermissionDenied(
            _("Your login is not linked to a person, so you have no development plan. Ask HR.")
        )
    return employee


def _current_plan(employee: Employee, today: dt.date) -> DevelopmentPlan:
    plan = selectors.plan_for(employee=employee, year=today.year)
    if plan is None:
        raise Http404(_("You have no development plan for this year yet."))
    return plan


def _my_plan_page(
    request: HttpRequest,
    *,
    employee: Employee,
    today: dt.date,
    goal_form: GoalForm | None = None,
    activity_form: ActivityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    plan = selectors.plan_for(employee=employee, year=today.year)
    context: dict[str, Any] = {"year": today.year, "plan": plan, "today": today}
    if plan is not None:
        context["view"] = selectors.plan_view(plan=plan, today=today)
        if plan.is_editable:
            year_end = dt.date(today.year, 12, 31)
            context["goal_form"] = goal_form or GoalForm(initial={"target_date": year_end})
            context["activity_form"] = activity_form or ActivityForm(
                plan=plan, initial={"target_date": year_end}
            )
        context["submit_form"] = CommentForm(prefix="submit")
    return render(request, "development/my_plan.html", context, status=status)


@never_cache
@login_required
@require_GET
def my_plan(request: HttpRequest) -> HttpResponse:
    return _my_plan_page(request, employee=_me(request), today=dates.today())


def _back_to_my_plan() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("development:my_plan"))


@require_POST
@login_required
def my_plan_create(request: HttpRequest) -> HttpResponse:
    employee = _me(request)
    today = dates.today()
    try:
        services.plan_create(employee=employee, year=today.year, actor=request.user, today=today)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your plan for %(year)s is started, with a goal for each gap of your position.")
            % {"year": today.year},
        )
    return _back_to_my_plan()


@require_POST
@login_required
def my_goal_add(request: HttpRequest) -> HttpResponse:
    employee, today = _me(request), dates.today()
    plan = _current_plan(employee, today)
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            services.goal_add(
                plan=plan,
                actor=request.user,
                competency=form.cleaned_data["competency"],
                target_level=form.cleaned_data["target_level"],
                target_date=form.cleaned_data["target_date"],
                target_position=form.cleaned_data["target_position"],
            )
        except ApplicationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The goal is added."))
            return _back_to_my_plan()
    return _my_plan_page(request, employee=employee, today=today, goal_form=form, status=400)


@require_POST
@login_required
def my_goal_remove(request: HttpRequest, goal_id: int) -> HttpResponse:
    employee, today = _me(request), dates.today()
    try:
        services.goal_remove(
            plan=_current_plan(employee, today), actor=request.user, goal_id=goal_id
        )
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The goal is removed."))
    return _back_to_my_plan()


@require_POST
@login_required
def my_activity_add(request: HttpRequest) -> HttpResponse:
    employee, today = _me(request), dates.today()
    plan = _current_plan(employee, today)
    form = ActivityForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.activity_add(
                plan=plan,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                course=form.cleaned_data["course"],
                offering=form.cleaned_data["offering"],
                title=form.cleaned_data["title"],
                goal=form.cleaned_data["goal"],
                target_date=form.cleaned_data["target_date"],
            )
        except ApplicationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The activity is added."))
            return _back_to_my_plan()
    return _my_plan_page(request, employee=employee, today=today, activity_form=form, status=400)


@require_POST
@login_required
def my_activity_remove(request: HttpRequest, activity_id: int) -> HttpResponse:
    employee, today = _me(request), dates.today()
    try:
        services.activity_remove(
            plan=_current_plan(employee, today), actor=request.user, activity_id=activity_id
        )
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The activity is removed."))
    return _back_to_my_plan()


@require_POST
@login_required
def my_plan_submit(request: HttpRequest) -> HttpResponse:
    employee, today = _me(request), dates.today()
    form = CommentForm(request.POST, prefix="submit")
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.plan_submit(
            plan=_current_plan(employee, today), actor=request.user, comment=comment
        )
    except ApplicationError as error:
        messages.error(request, str(error))
        for item in error.errors[1:]:
            messages.error(request, str(item.message))
    else:
        messages.success(
            request, _("You signed your plan. Your supervisor is told that it waits for them.")
        )
    return _back_to_my_plan()


# --- The head's and HR's view ---------------------------------------------------------------


@dataclass
class Scope:
    """The units the user may see today and the one the page is about (the same attributes
    as the dashboard's, so the pages share its unit picker)."""

    today: dt.date
    units: list[OrgUnit]
    unit: OrgUnit
    organisation_wide: bool = False

    @property
    def ancestors(self) -> list[OrgUnit]:
        return [u for u in self.units if self.unit.path.startswith(u.path) and u.pk != self.unit.pk]

    @property
    def children(self) -> list[OrgUnit]:
        return [
            u
            for u in self.units
            if u.depth == self.unit.depth + 1 and u.path.startswith(self.unit.path)
        ]

    @property
    def choices(self) -> list[tuple[OrgUnit, str]]:
        top = min(u.depth for u in self.units)
        return [(u, "\u2003" * (u.depth - top)) for u in self.units]


def _scope(request: HttpRequest) -> Scope:
    today = dates.today()
    units = list(org_units_visible_to(user=request.user, as_of=today).order_by("path"))
    if not units:
        raise PermissionDenied(
            _("The plans of a unit are for its head and HR staff. Your own plan is on My plan.")
        )
    raw = request.GET.get("unit", "").strip()
    unit = units[0]
    if raw:
        unit = next((u for u in units if str(u.pk) == raw), None)
        if unit is None:
            raise PermissionDenied(_("This unit is outside the units you lead."))
    return Scope(
        today=today, units=units, unit=unit, organisation_wide=user_is_hr(user=request.user)
    )


class PlanFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("everyone")),
            ("none", _("people without a plan")),
            ("waiting", _("plans waiting for a signature")),
            ("overdue", _("plans with overdue activities")),
        ],
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = range(today.year + 1, today.year - 5, -1)
        self.fields["year"].choices = [(y, str(y)) for y in years]


@never_cache
@login_required
@require_GET
def unit_plans(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form = PlanFilterForm(request.GET or None, today=scope.today)
    filters = form.cleaned_data if form.is_valid() else {}
    year = filters.get("year") or scope.today.year
    show = filters.get("show") or ""
    status_rows = (
        selectors.plan_status_by_child_unit(org_unit=scope.unit, year=year, today=scope.today)
        if scope.unit.get_children_count() or scope.unit.is_root()
        else []
    )
    # The whole city's people would be a list nobody reads: at the top, the counts only.
    rows = (
        []
        if scope.unit.is_root()
        else selectors.unit_plan_rows(org_unit=scope.unit, year=year, today=scope.today)
    )
    counts = {
        "people": len(rows),
        "none": sum(1 for r in rows if r.plan_id is None),
        "waiting": sum(1 for r in rows if r.status == PlanStatus.SUBMITTED),
        "agreed": sum(1 for r in rows if r.status == PlanStatus.AGREED),
        "overdue": sum(1 for r in rows if r.overdue),
    }
    if show == "none":
        rows = [r for r in rows if r.plan_id is None]
    elif show == "waiting":
        rows = [r for r in rows if r.status == PlanStatus.SUBMITTED]
    elif show == "overdue":
        rows = [r for r in rows if r.overdue]
    return render(
        request,
        "development/unit_plans.html",
        {
            "scope": scope,
            "form": form,
            "year": year,
            "show": show,
            "rows": rows,
            "counts": counts,
            "status_rows": status_rows,
            "at_top": scope.unit.is_root(),
        },
    )


def _plan_for_head(request: HttpRequest, plan_id: int, today: dt.date) -> DevelopmentPlan:
    plan = selectors.plan_get(plan_id=plan_id)
    if plan is None:
        raise Http404(_("There is no such development plan."))
    if not can_view_employee(user=request.user, employee=plan.employee, as_of=today):
        raise PermissionDenied(_("This person is outside the units you lead."))
    return plan


def _review_page(
    request: HttpRequest,
    plan: DevelopmentPlan,
    today: dt.date,
    *,
    return_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    supervisor = selectors.may_sign(user=request.user, plan=plan, day=today)
    signer = plan.status == PlanStatus.SUBMITTED and supervisor
    return render(
        request,
        "development/plan_review.html",
        {
            "plan": plan,
            "view": selectors.plan_view(plan=plan, today=today),
            "may_sign": signer,
            "may_confirm": plan.status == PlanStatus.AGREED and supervisor,
            "agree_form": CommentForm(prefix="agree"),
            "return_form": return_form or CommentForm(prefix="return"),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def plan_review(request: HttpRequest, plan_id: int) -> HttpResponse:
    today = dates.today()
    return _review_page(request, _plan_for_head(request, plan_id, today), today)


def _back_to_review(plan: DevelopmentPlan) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("development:plan_review", args=[plan.pk]))


@require_POST
@login_required
def plan_agree(request: HttpRequest, plan_id: int) -> HttpResponse:
    today = dates.today()
    plan = _plan_for_head(request, plan_id, today)
    form = CommentForm(request.POST, prefix="agree")
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.plan_agree(plan=plan, actor=request.user, comment=comment, today=today)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You signed the plan: it is agreed."))
    return _back_to_review(plan)


@require_POST
@login_required
def plan_return(request: HttpRequest, plan_id: int) -> HttpResponse:
    today = dates.today()
    plan = _plan_for_head(request, plan_id, today)
    form = CommentForm(request.POST, prefix="return")
    if not form.is_valid():
        return _review_page(request, plan, today, return_form=form, status=400)
    try:
        services.plan_return(
            plan=plan, actor=request.user, comment=form.cleaned_data["comment"], today=today
        )
    except ApplicationError as error:
        if any(item.field == "comment" for item in error.errors):
            _apply(form, error)
            return _review_page(request, plan, today, return_form=form, status=400)
        messages.error(request, str(error))
    else:
        messages.success(request, _("The plan is returned to the person with your comment."))
    return _back_to_review(plan)


@require_POST
@login_required
def activity_confirm(request: HttpRequest, plan_id: int, activity_id: int) -> HttpResponse:
    """The supervisor confirms that coaching, an assignment or another activity is done."""
    today = dates.today()
    plan = _plan_for_head(request, plan_id, today)
    try:
        activity = services.activity_confirm(
            plan=plan, actor=request.user, activity_id=activity_id, today=today
        )
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("You confirmed that “%(title)s” is done.") % {"title": activity.title},
        )
    return _back_to_review(plan)

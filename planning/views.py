"""The AKPK workflow's pages: the plans a person may see (``/planning/akpk/``), one plan with
its rows, totals, steps and trail (``/planning/akpk/<id>/``), a row's edit form, the
city-wide summary for BKPSDM (``/planning/akpk/summary/``) and the files.

Plain forms that post and redirect back, so everything works without JavaScript. Each view
makes one call into the domain; a refusal of the services is shown as a message in the
reader's language.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import dates
from core.exceptions import ApplicationError, NotFoundError
from planning import exports, rules, selectors, services
from planning.forms import GenerateForm, RowForm, TransitionForm, YearForm
from planning.models import AkpkPlan, AkpkState

#: Rows per page of a plan.
ROWS_PER_PAGE = 50


def _plan(request: HttpRequest, plan_id: int) -> AkpkPlan:
    try:
        return selectors.plan_get(user=request.user, plan_id=plan_id, day=dates.today())
    except NotFoundError as exc:
        raise Http404 from exc


def _detail_url(plan_id: int, anchor: str = "") -> str:
    return reverse("planning:detail", kwargs={"plan_id": plan_id}) + (
        f"#{anchor}" if anchor else ""
    )


def _errors(request: HttpRequest, error: ApplicationError) -> None:
    messages.error(request, str(error))
    for field_error in error.errors:
        if str(field_error.message) != str(error):
            messages.error(request, str(field_error.message))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans the user may see, and the form to generate a draft where they may."""
    today = dates.today()
    units = selectors.units_to_plan(user=request.user, day=today)
    form = GenerateForm(request.POST or None, units=units, today=today)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = services.akpk_plan_generate(
                    org_unit=form.cleaned_data["org_unit"],
                    year=form.cleaned_data["year"],
                    user=request.user,
                    day=today,
                )
            except ApplicationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("The AKPK draft was generated from the counted gaps."))
                return HttpResponseRedirect(_detail_url(plan.pk))
        status = 400
    plans = list(selectors.plans_visible_to(user=request.user, day=today))
    return render(
        request,
        "planning/plan_list.html",
        {
            "plans": plans,
            "form": form,
            "can_generate": units.exists(),
            "sees_summary": selectors.sees_all_plans(user=request.user),
        },
        status=status,
    )


def _detail(
    request: HttpRequest,
    plan: AkpkPlan,
    transition_form: TransitionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = dates.today()
    steps = rules.allowed_steps(user=request.user, plan=plan, day=today)
    editable = plan.state == AkpkState.DRAFT and rules.may_edit(
        user=request.user, plan=plan, day=today
    )
    page = Paginator(selectors.plan_rows(plan=plan), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "page": page,
            "steps": steps,
            "editable": editable,
            "may_revise": plan.state == AkpkState.APPROVED
            and rules.may_edit(user=request.user, plan=plan, day=today)
            and selectors.is_latest_revision(plan=plan),
            "trail": selectors.plan_trail(plan=plan),
            "transition_form": transition_form or TransitionForm(),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _detail(request, _plan(request, plan_id))


@login_required
@require_POST
def plan_transition(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Take a step (submit, verify, return with a comment, approve)."""
    plan = _plan(request, plan_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _detail(request, plan, form, status=400)
    try:
        services.akpk_plan_transition(
            plan_id=plan.pk,
            action=form.cleaned_data["action"],
            user=request.user,
            comment=form.cleaned_data["comment"],
        )
    except ApplicationError as error:
        for field_error in error.errors:
            if field_error.field in form.fields:
                form.add_error(field_error.field, str(field_error.message))
        if not error.errors:
            form.add_error(None, str(error))
        return _detail(request, _plan(request, plan_id), form, status=error.status)
    messages.success(request, _("The AKPK moved on; whoever acts next has been told."))
    return HttpResponseRedirect(_detail_url(plan.pk, "trail"))


@login_required
@require_POST
def plan_revision(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Open a new revision (a draft copy) of an approved AKPK."""
    plan = _plan(request, plan_id)
    try:
        revision = services.akpk_revision_open(plan_id=plan.pk, user=request.user)
    except ApplicationError as error:
        _errors(request, error)
        return HttpResponseRedirect(_detail_url(plan.pk))
    messages.success(request, _("A new revision was opened as a draft."))
    return HttpResponseRedirect(_detail_url(revision.pk))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def row_edit(request: HttpRequest, plan_id: int, row_id: int) -> HttpResponse:
    """Edit one row of a draft: form, path, course, quarter, JP, cost, priority, removed."""
    plan = _plan(request, plan_id)
    row = selectors.plan_rows(plan=plan).filter(pk=row_id).first()
    if row is None:
        raise Http404
    initial = {name: getattr(row, name) for name in services.EDITABLE}
    form = RowForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.akpk_row_update(
                    row_id=row.pk, plan_id=plan.pk, user=request.user, changes=form.cleaned_data
                )
            except ApplicationError as error:
                form.add_error(None, str(error))
                status = error.status
            else:
                messages.success(request, _("The row was saved; the totals are updated."))
                return HttpResponseRedirect(_detail_url(plan.pk, f"row-{row.pk}"))
        else:
            status = 400
    editable = plan.state == AkpkState.DRAFT and rules.may_edit(
        user=request.user, plan=plan, day=dates.today()
    )
    return render(
        request,
        "planning/row_edit.html",
        {"plan": plan, "row": row, "form": form, "editable": editable},
        status=status,
    )


@login_required
@require_POST
def row_remove(request: HttpRequest, plan_id: int, row_id: int) -> HttpResponse:
    """Remove a row from the draft, or put it back (``removed`` = 1 or 0)."""
    plan = _plan(request, plan_id)
    removed = request.POST.get("removed") == "1"
    try:
        services.akpk_row_update(
            row_id=row_id, plan_id=plan.pk, user=request.user, changes={"removed": removed}
        )
    except NotFoundError as exc:
        raise Http404 from exc
    except ApplicationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("Removed from the AKPK.") if removed else _("Put back in the AKPK.")
        )
    page = request.POST.get("page", "")
    url = _detail_url(plan.pk)
    return HttpResponseRedirect(
        f"{url}?page={page}#row-{row_id}" if page.isdigit() else f"{url}#row-{row_id}"
    )


def _download(file: exports.ExportFile) -> StreamingHttpResponse:
    response = StreamingHttpResponse(file.chunks, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@never_cache
@login_required
@require_GET
def plan_download(request: HttpRequest, plan_id: str, fmt: str) -> HttpResponse:
    return _download(exports.plan_file(plan=_plan(request, int(plan_id)), fmt=fmt))


@never_cache
@login_required
@require_GET
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The AKPK as a PDF with its trail (of any state; the approved one is the one that counts)."""
    plan = _plan(request, plan_id)
    response = HttpResponse(exports.plan_pdf(plan=plan), content_type="application/pdf")
    name = f"akpk-{plan.org_unit.code.lower()}-{plan.year}-rev{plan.revision}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _summary_year(request: HttpRequest) -> tuple[YearForm, int]:
    if not selectors.sees_all_plans(user=request.user):
        raise PermissionDenied
    form = YearForm(request.GET or None, today=dates.today())
    return form, form.planning_year


@never_cache
@login_required
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    """The city's AKPK for a year, for BKPSDM and the PPK's delegates."""
    form, year = _summary_year(request)
    return render(
        request,
        "planning/summary.html",
        {
            "form": form,
            "year": year,
            "summary": selectors.akpk_summary(year=year),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@never_cache
@login_required
@require_GET
def summary_download(request: HttpRequest, fmt: str) -> HttpResponse:
    _form, year = _summary_year(request)
    return _download(exports.summary_file(year=year, fmt=fmt))

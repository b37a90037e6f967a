"""The pages of training evaluation, all plain forms that post and redirect (no JavaScript):

- ``/me/evaluations/``: the person's completions still to evaluate, a reaction form for each
  (``/me/evaluations/<record>/`` takes one), and their latest answers;
- ``/dashboard/evaluations/``: the level-3 evaluations waiting for a head (or HR) today, an
  answer form for each (``/dashboard/evaluations/<evaluation>/``);
- ``/evaluations/report/`` and ``/evaluations/report.csv``: scores and response rates per course
  and per provider, for HR and course editors.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import dates
from core.exceptions import ApplicationError, ValidationError
from core.spreadsheets import formula_safe
from evaluations import selectors, services
from evaluations.forms import BehaviourForm, ReactionForm

#: Evaluations per page of the supervisor's list.
PENDING_PER_PAGE = 50


def _field_errors(form: Any, error: ApplicationError) -> None:
    for item in error.errors:
        form.add_error(item.field if item.field in form.fields else None, str(item.message))
    if not error.errors:
        form.add_error(None, str(error.message))


# --- A participant: level 1 ------------------------------------------------------------------


def _my_page(request: HttpRequest, failed: tuple[int, ReactionForm] | None = None) -> HttpResponse:
    today = dates.today()
    records = list(selectors.reaction_open_list(user=request.user, today=today))
    items = []
    for record in records:
        if failed is not None and failed[0] == record.pk:
            form = failed[1]
        else:
            form = ReactionForm(auto_id=f"id_r{record.pk}_%s")
        items.append((record, form))
    return render(
        request,
        "evaluations/my_evaluations.html",
        {"items": items, "answered": list(selectors.reaction_answered_list(user=request.user))},
        status=400 if failed is not None else 200,
    )


@never_cache
@login_required
@require_GET
def my_evaluations(request: HttpRequest) -> HttpResponse:
    return _my_page(request)


@require_POST
@login_required
def reaction_submit(request: HttpRequest, record_id: int) -> HttpResponse:
    form = ReactionForm(request.POST, auto_id=f"id_r{record_id}_%s")
    if form.is_valid():
        try:
            services.reaction_survey_submit(
                user=request.user,
                learning_record_id=record_id,
                relevance=form.cleaned_data["relevance"],
                quality=form.cleaned_data["quality"],
                applicability=form.cleaned_data["applicability"],
                comment=form.cleaned_data["comment"],
                today=dates.today(),
            )
        except ValidationError as error:
            _field_errors(form, error)
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return HttpResponseRedirect(reverse("evaluations:mine"))
        else:
            messages.success(request, _("Thank you: your evaluation is saved."))
            return HttpResponseRedirect(reverse("evaluations:mine"))
    return _my_page(request, failed=(record_id, form))


# --- A supervisor: level 3 -------------------------------------------------------------------


def _pending_page(
    request: HttpRequest, failed: tuple[int, BehaviourForm] | None = None
) -> HttpResponse:
    today = dates.today()
    if not selectors.may_answer_behaviour(user=request.user, today=today):
        raise PermissionDenied(
            _("Level-3 evaluations are answered by the head of the person's unit and by HR.")
        )
    pending = selectors.behaviour_pending_list(user=request.user, today=today)
    page = Paginator(pending, PENDING_PER_PAGE).get_page(request.GET.get("page"))
    items = []
    for evaluation in page.object_list:
        if failed is not None and failed[0] == evaluation.pk:
            form = failed[1]
        else:
            form = BehaviourForm(auto_id=f"id_e{evaluation.pk}_%s")
        items.append((evaluation, form))
    return render(
        request,
        "evaluations/pending.html",
        {"page": page, "items": items, "today": today},
        status=400 if failed is not None else 200,
    )


@never_cache
@login_required
@require_GET
def pending_evaluations(request: HttpRequest) -> HttpResponse:
    return _pending_page(request)


@require_POST
@login_required
def behaviour_answer(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    form = BehaviourForm(request.POST, auto_id=f"id_e{evaluation_id}_%s")
    if form.is_valid():
        try:
            evaluation = services.behaviour_evaluation_answer(
                user=request.user,
                evaluation_id=evaluation_id,
                answer=form.cleaned_data["answer"],
                comment=form.cleaned_data["comment"],
                validate_evidence=form.cleaned_data["validate_evidence"],
                today=dates.today(),
            )
        except ValidationError as error:
            _field_errors(form, error)
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return HttpResponseRedirect(reverse("evaluations:pending"))
        else:
            text = _("Your answer is saved.")
            if evaluation.evidence_validated:
                text += " " + _("%(count)s piece(s) of evidence validated.") % {
                    "count": evaluation.evidence_validated
                }
            messages.success(request, text)
            return HttpResponseRedirect(reverse("evaluations:pending"))
    return _pending_page(request, failed=(evaluation_id, form))


# --- Reports ---------------------------------------------------------------------------------


def _check_reader(request: HttpRequest) -> None:
    if not selectors.may_read_reports(user=request.user):
        raise PermissionDenied(_("The evaluation report is for HR staff and course editors."))


@never_cache
@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    _check_reader(request)
    return render(
        request,
        "evaluations/report.html",
        {
            "courses": selectors.course_report(),
            "providers": selectors.provider_report(),
            "partners": selectors.partner_provider_report(),
        },
    )


CSV_HEADER = [
    "kind",
    "name",
    "offerings",
    "participants",
    "completions",
    "responses",
    "response_rate_percent",
    "relevance",
    "quality",
    "applicability",
    "overall",
    "level3_due",
    "level3_answered",
    "level3_yes",
    "level3_partly",
    "level3_no",
]


def _blank(value: Any) -> Any:
    return "" if value is None else value


@never_cache
@login_required
@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    _check_reader(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="evaluasi-pelatihan.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for kind, rows in (
        ("course", selectors.course_report()),
        ("provider", selectors.provider_report()),
    ):
        for row in rows:
            writer.writerow(
                [
                    kind,
                    formula_safe(row.name),
                    "",
                    "",
                    row.completions,
                    row.responses,
                    _blank(row.response_rate),
                    *map(_blank, (row.relevance, row.quality, row.applicability, row.overall)),
                    row.level3_due,
                    row.level3_answered,
                    row.level3_yes,
                    row.level3_partly,
                    row.level3_no,
                ]
            )
    for partner in selectors.partner_provider_report():
        writer.writerow(
            [
                "partner",
                formula_safe(partner.provider.name),
                partner.offerings,
                partner.participants,
                partner.completions,
                partner.responses,
                _blank(partner.response_rate),
                *map(
                    _blank,
                    (partner.relevance, partner.quality, partner.applicability, partner.overall),
                ),
                "",
                partner.level3_answered,
                partner.level3_yes,
                "",
                "",
            ]
        )
    return response

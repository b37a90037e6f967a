"""The partner pages: the catalogue (``/partners/``) and an offering with its request form
(``/partners/<id>/``) for everyone logged in, a person's own requests
(``/me/partner-requests/``), and HR's queue (``/partners/requests/``) where requests are
approved or rejected and completions recorded.

Plain forms that post and redirect back, so everything works without JavaScript. Each write
makes one call into ``providers.services``; its errors come back as form errors or a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from competencies.access import employee_for_user, user_is_hr
from core import dates
from core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from providers import selectors, services
from providers.forms import CatalogueFilterForm, CompletionForm, DecisionForm, RequestForm
from providers.models import RequestStatus


def _form_errors(form: object, error: ApplicationError) -> None:
    """Put a service's field errors on the form's fields, the rest on the form."""
    placed = False
    for item in error.errors:
        field = item.field if item.field in form.fields else None  # type: ignore[attr-defined]
        form.add_error(field, str(item.message))  # type: ignore[attr-defined]
        placed = True
    if not placed:
        form.add_error(None, str(error))  # type: ignore[attr-defined]


def _check_hr(request: HttpRequest) -> None:
    if not user_is_hr(user=request.user):
        raise PermissionDenied(_("Only HR (BKPSDM) decides on partner training requests."))


@never_cache
@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    today = dates.today()
    providers, competencies = selectors.offering_filter_choices(day=today)
    form = CatalogueFilterForm(request.GET, providers=providers, competencies=competencies)
    filters = form.cleaned_data if form.is_valid() else {}
    competency = filters.get("competency")
    provider = filters.get("provider")
    offerings = selectors.offering_list(
        day=today,
        competency_id=competency.pk if competency else None,
        path=filters.get("path", ""),
        provider_id=provider.pk if provider else None,
    )
    return render(
        request,
        "providers/catalogue.html",
        {"form": form, "offerings": offerings, "is_hr": user_is_hr(user=request.user)},
    )


def _offering_page(
    request: HttpRequest, offering_id: int, form: RequestForm, status: int = 200
) -> HttpResponse:
    offering = selectors.offering_get(offering_id=offering_id, day=dates.today())
    if offering is None:
        raise Http404(_("That offering is not in the partner catalogue."))
    employee = employee_for_user(user=request.user)
    return render(
        request,
        "providers/offering_detail.html",
        {
            "offering": offering,
            "form": form,
            "employee": employee,
            "open_request": selectors.open_request_for(employee=employee, offering=offering),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def offering_detail(request: HttpRequest, offering_id: int) -> HttpResponse:
    return _offering_page(request, offering_id, RequestForm())


@never_cache
@login_required
@require_POST
def offering_request(request: HttpRequest, offering_id: int) -> HttpResponse:
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            services.offering_request_create(
                user=request.user, offering_id=offering_id, comment=form.cleaned_data["comment"]
            )
        except NotFoundError as error:
            raise Http404(str(error)) from error
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your request is sent to HR."))
            return HttpResponseRedirect(reverse("providers:my_requests"))
    return _offering_page(request, offering_id, form, status=400)


@never_cache
@login_required
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    employee = employee_for_user(user=request.user)
    if employee is None:
        raise PermissionDenied(
            _("Your login is not linked to an employee record; ask HR to link it.")
        )
    return render(
        request,
        "providers/my_requests.html",
        {"requests": selectors.requests_of(employee=employee)},
    )


@never_cache
@login_required
@require_POST
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    try:
        services.offering_request_cancel(user=request.user, request_id=request_id)
    except NotFoundError as error:
        raise Http404(str(error)) from error
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your request is withdrawn."))
    return HttpResponseRedirect(reverse("providers:my_requests"))


def _queue_page(
    request: HttpRequest,
    *,
    decision_forms: dict[int, DecisionForm] | None = None,
    completion_forms: dict[int, CompletionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    shown = request.GET.get("status", "")
    if shown not in RequestStatus.values:
        shown = ""
    requests = selectors.request_queue(status=shown)
    decision_forms = decision_forms or {}
    completion_forms = completion_forms or {}
    rows = [
        (
            item,
            decision_forms.get(item.pk) or DecisionForm(prefix=f"d{item.pk}"),
            completion_forms.get(item.pk)
            or CompletionForm(
                prefix=f"c{item.pk}",
                initial={"jp_hours": item.offering.jp_hours, "completed_date": dates.today()},
            ),
        )
        for item in requests
    ]
    return render(
        request,
        "providers/request_queue.html",
        {"rows": rows, "shown": shown, "statuses": RequestStatus.choices},
        status=status,
    )


@never_cache
@login_required
@require_GET
def request_queue(request: HttpRequest) -> HttpResponse:
    _check_hr(request)
    return _queue_page(request)


def _hr_write(request: HttpRequest, call: object, form: object) -> bool:
    """Run an HR service call; its errors land on ``form``. True when it succeeded."""
    try:
        call()  # type: ignore[operator]
    except NotFoundError as error:
        raise Http404(str(error)) from error
    except PermissionDeniedError as error:
        raise PermissionDenied(str(error)) from error
    except ApplicationError as error:
        _form_errors(form, error)
        return False
    return True


@never_cache
@login_required
@require_POST
def request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    _check_hr(request)
    form = DecisionForm(request.POST, prefix=f"d{request_id}")
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        done = _hr_write(
            request,
            lambda: services.offering_request_decide(
                user=request.user,
                request_id=request_id,
                approve=approve,
                comment=form.cleaned_data["comment"],
            ),
            form,
        )
        if done:
            messages.success(
                request, _("The request is approved.") if approve else _("The request is rejected.")
            )
            return HttpResponseRedirect(reverse("providers:request_queue"))
    return _queue_page(request, decision_forms={request_id: form}, status=400)


@never_cache
@login_required
@require_POST
def request_complete(request: HttpRequest, request_id: int) -> HttpResponse:
    _check_hr(request)
    form = CompletionForm(request.POST, prefix=f"c{request_id}")
    if form.is_valid():
        data = form.cleaned_data
        done = _hr_write(
            request,
            lambda: services.offering_request_complete(
                user=request.user,
                request_id=request_id,
                completed_date=data["completed_date"],
                start_date=data["start_date"],
                jp_hours=data["jp_hours"],
            ),
            form,
        )
        if done:
            messages.success(request, _("The completion is recorded in the learning-hours ledger."))
            return HttpResponseRedirect(reverse("providers:request_queue"))
    return _queue_page(request, completion_forms={request_id: form}, status=400)

"""Writes on partner training requests: a person asks, HR approves or rejects, HR records the
completion (which writes the JP into the learning-hours ledger in the same transaction; who
recorded it is the record's ``recorded_by``, the request keeps who approved it), and a
person may withdraw an open request.

Providers and offerings themselves are edited by HR in the Wagtail admin
(``providers.wagtail_hooks``), whose forms apply the models' rules.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competencies import access
from competencies.models import EmployeeStatus
from core import dates
from core.exceptions import FieldError, ValidationError
from courses import services as course_services
from providers.exceptions import (
    NoPersonError,
    NotHRError,
    OfferingNotFoundError,
    OfferingUnavailableError,
    RequestAlreadyOpenError,
    RequestNotFoundError,
    RequestStateError,
)
from providers.models import (
    OPEN_REQUEST_STATUSES,
    Offering,
    OfferingRequest,
    RequestStatus,
    mou_valid_on,
)

COMMENT_MAX = 2000


def _check_hr(user: Any) -> None:
    if not access.user_is_hr(user=user):
        raise NotHRError()


def _request_for_update(request_id: int) -> OfferingRequest:
    request = (
        OfferingRequest.objects.select_for_update(of=("self",))
        .select_related("offering__provider", "employee")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise RequestNotFoundError()
    return request


def _comment(comment: str) -> str:
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(
            errors=[
                FieldError(
                    "comment",
                    _("Keep the comment under %(max)s characters.") % {"max": COMMENT_MAX},
                    "max_length",
                )
            ]
        )
    return comment


@transaction.atomic
def offering_request_create(*, user: Any, offering_id: int, comment: str = "") -> OfferingRequest:
    """``user``'s person asks to take an offering that can be requested today: active, not
    over, of an active partner whose MoU is valid today. One open request per offering."""
    employee = access.employee_for_user(user=user) if access.user_is_active(user=user) else None
    if employee is None or employee.status != EmployeeStatus.ACTIVE:
        raise NoPersonError()
    today = dates.today()
    offering = Offering.objects.select_related("provider").filter(pk=offering_id).first()
    if offering is None:
        raise OfferingNotFoundError()
    requestable = (
        Offering.objects.filter(
            mou_valid_on(today, "provider__"),
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            pk=offering.pk,
            is_active=True,
            provider__is_active=True,
        )
    ).exists()
    if not requestable:
        raise OfferingUnavailableError()
    comment = _comment(comment)
    try:
        with transaction.atomic():
            return OfferingRequest.objects.create(
                employee=employee, offering=offering, comment=comment
            )
    except IntegrityError as error:
        if "offering_request_one_open" in str(error):
            raise RequestAlreadyOpenError() from error
        raise


@transaction.atomic
def offering_request_cancel(*, user: Any, request_id: int) -> OfferingRequest:
    """A person withdraws their own open request."""
    employee = access.employee_for_user(user=user) if access.user_is_active(user=user) else None
    request = _request_for_update(request_id)
    if employee is None or request.employee_id != employee.pk:
        raise RequestNotFoundError()
    if request.status not in OPEN_REQUEST_STATUSES:
        raise RequestStateError()
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    return request


@transaction.atomic
def offering_request_decide(
    *, user: Any, request_id: int, approve: bool, comment: str = ""
) -> OfferingRequest:
    """HR approves or rejects a request still waiting for a decision. A rejection says why."""
    _check_hr(user)
    request = _request_for_update(request_id)
    if request.status != RequestStatus.REQUESTED:
        raise RequestStateError()
    comment = _comment(comment)
    if not approve and not comment:
        raise ValidationError(
            errors=[FieldError("comment", _("Say why the request is rejected."), "required")]
        )
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request.decided_by = user
    request.decided_at = timezone.now()
    if comment:
        request.comment = comment
    request.save(update_fields=["status", "decided_by", "decided_at", "comment", "updated_at"])
    return request


@transaction.atomic
def offering_request_complete(
    *,
    user: Any,
    request_id: int,
    completed_date: dt.date,
    jp_hours: Decimal,
    start_date: dt.date | None = None,
) -> OfferingRequest:
    """HR records that the person completed an approved offering: a line in the learning-hours
    ledger (external training, with the offering's title, provider and competencies as
    evidence) and the request closed, in one transaction."""
    _check_hr(user)
    request = _request_for_update(request_id)
    if request.status != RequestStatus.APPROVED:
        raise RequestStateError()
    offering = request.offering
    links = list(offering.competencies.select_related("competency").order_by("sort_order", "id"))
    record = course_services.learning_record_create(
        employee=request.employee,
        title=offering.title,
        jp_hours=jp_hours,
        completed_date=completed_date,
        start_date=start_date,
        provider=offering.provider.name[:200],
        reference=f"offering-request:{request.pk}",
        competencies=[(link.competency, link.level) for link in links],
        recorded_by=user,
    )
    request.status = RequestStatus.COMPLETED
    request.learning_record = record
    request.save(update_fields=["status", "learning_record", "updated_at"])
    return request

"""Who may see what: the one access policy, used by the API, the dashboard and the admin.

- An API client (OAuth2 client credentials) acts for the organisation within its scopes.
- HR staff (the HR group, session login) may do everything in the organisation.
- A head of unit may read what concerns the subtree of the unit they head today.
- A civil servant may read only their own person.
- Anonymous callers may only verify certificates.

Access follows the organisation, not hand-kept grants: a head sees the units under the head
position they hold on the day asked, so access moves with the post when people rotate. An
acting (*Plt.*) assignment opens the unit only on days when no definitive holder holds the
post, whatever end date it carries. Only people in service see anything beyond their own
record: a login that is switched off (``User.is_active``) sees nothing at all, and a person
who retired or moved to another agency (``Employee.status``) sees only their own record, even
while an assignment of theirs is still open or they are in the HR group.

The rule is written once: ``head_assignments_on`` (the posts through which a user heads units
on a day), ``org_units_visible_to`` and ``visible_employees``; the web pages ask it directly and
the API through ``Actor``. Which days a person may ask about is written here too:
``unit_day_refusals`` (a unit "as of" a day) and ``rotation_refusals`` (a planned move).

Views declare ``required_scopes`` per HTTP method (``{"GET": "employees:read"}``, or a tuple
of scopes any of which grants it) and, when they write, ``write_roles``. An API client may call
an operation only if it names a scope the client holds: no scope named, no access. Querysets
are narrowed with ``Actor.employees``/``units``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import DateField, Exists, OuterRef, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AccessToken
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from competencies.exceptions import AccessRefusedError
from competencies.models import Assignment, AssignmentKind, Employee, EmployeeStatus, OrgUnit
from core import dates
from core.exceptions import FieldError

SCOPES = settings.API_SCOPES
#: The Django group whose members are HR staff (BKPSDM): they see the whole organisation.
HR_GROUP_NAME = "HR"

AnyUser = AbstractBaseUser | AnonymousUser


# --- The policy -----------------------------------------------------------------------------


def user_is_active(*, user: AnyUser) -> bool:
    """Whether ``user`` is logged in with a login that is switched on. An inactive login sees
    nothing, not even its own person (Django refuses it at login; this covers a session or a
    user object that outlived the switch)."""
    return bool(user.is_authenticated and user.is_active)


def user_is_hr(*, user: AnyUser) -> bool:
    """Whether ``user`` is HR staff (or a superuser), with an active login and not linked to a
    person who has left the service. Remembered on the user object, so a request asks the
    database once."""
    if not user_is_active(user=user):
        return False
    cached = getattr(user, "_tangkas_is_hr", None)
    if cached is None:
        in_service = Q(employee__isnull=True) | Q(employee__status=EmployeeStatus.ACTIVE)
        users = get_user_model()._default_manager.filter(in_service, pk=user.pk)
        if not user.is_superuser:
            users = users.filter(groups__name=HR_GROUP_NAME)
        cached = users.exists()
        user._tangkas_is_hr = cached
    return cached


def employee_for_user(*, user: AnyUser) -> Employee | None:
    """The person behind a login, if any."""
    if not user.is_authenticated:
        return None
    return Employee.objects.filter(user=user).first()


def head_assignments_on(*, user: AnyUser, day: dt.date) -> QuerySet[Assignment]:
    """The assignments through which ``user`` heads units on ``day``: a head position held that
    day by a person in service (``Employee.status`` active) with an active login; an acting
    (*Plt.*) one only while no definitive holder holds the same post, so the acting head's
    access ends the day the definitive head starts, whatever end date the acting assignment
    carries."""
    if not user_is_active(user=user):
        return Assignment.objects.none()
    definitive_holder = (
        Assignment.objects.definitive().active_on(day).filter(position=OuterRef("position"))
    )
    return (
        Assignment.objects.active_on(day)
        .filter(employee__user=user, employee__status=EmployeeStatus.ACTIVE)
        .filter(position__is_head=True)
        .filter(~Q(kind=AssignmentKind.ACTING) | ~Exists(definitive_holder))
    )


def org_units_visible_to(*, user: AnyUser, as_of: dt.date) -> QuerySet[OrgUnit]:
    """The units ``user`` may see on ``as_of``: everything for HR; for a head, the subtree of
    each unit whose head position they hold that day (``head_assignments_on``); else nothing.

    Access follows the post: when the head rotates out, it moves to the new head the day the
    new assignment starts, with nothing to revoke by hand.
    """
    if user_is_hr(user=user):
        return OrgUnit.objects.all()
    head_paths = list(
        head_assignments_on(user=user, day=as_of).values_list("position__org_unit__path", flat=True)
    )
    if not head_paths:
        return OrgUnit.objects.none()
    condition = Q()
    for path in head_paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.filter(condition)


def unit_days_visible(*, user: AnyUser, unit: OrgUnit, days: Iterable[dt.date]) -> set[dt.date]:
    """The days among ``days`` on which ``unit`` is in ``org_units_visible_to(user, day)``:
    all of them for HR; for anyone else the days on which they head the unit or a unit above
    it. One query, whatever the number of days."""
    days = sorted(set(days))
    if user_is_hr(user=user):
        return set(days)
    if not days or not user_is_active(user=user):
        return set()
    # The unit and its ancestors: materialised paths are prefixes of the unit's own.
    above = [unit.path[:end] for end in range(OrgUnit.steplen, len(unit.path) + 1, OrgUnit.steplen)]
    per_day = [
        head_assignments_on(user=user, day=day)
        .filter(position__org_unit__path__in=above)
        .annotate(day=Value(day, output_field=DateField()))
        .values_list("day", flat=True)
        for day in days
    ]
    return set(per_day[0].union(*per_day[1:]))


def unit_day_refusals(
    *, user: AnyUser, unit: OrgUnit, as_of: dt.date, today: dt.date | None = None
) -> list[FieldError]:
    """Why ``user`` may not ask about ``unit`` as of ``as_of`` (``[]``: they may).

    HR may ask about any day. Anyone else must see the unit today (``org_units_visible_to``;
    the caller checks that first and answers 403 without naming a field) and may ask about
    today or a past day on which they held a head post over the unit (definitive, or acting
    while no definitive holder held it): never a future day, never a day before their time.
    """
    today = today or dates.today()
    if user_is_hr(user=user) or as_of == today:
        return []
    if as_of > today:
        return [
            FieldError(
                "as_of",
                _("Ask about today or an earlier day; only HR may look ahead."),
                "as_of_in_future",
            )
        ]
    if as_of not in unit_days_visible(user=user, unit=unit, days=[as_of]):
        return [
            FieldError(
                "as_of",
                _("You did not head this unit on that day; ask about a day on which you did."),
                "as_of_not_held",
            )
        ]
    return []


def rotation_refusals(
    *,
    unit_ids: list[int] | None,
    position_unit_id: int | None,
    on_date: dt.date,
    today: dt.date | None = None,
) -> list[FieldError]:
    """Why a person who sees ``unit_ids`` today may not ask what moving someone to a position of
    unit ``position_unit_id`` on ``on_date`` would do (``[]``: they may; ``None`` for the
    position checks the day alone). The same rule for the API and the web form; no query.

    HR (``unit_ids`` is ``None``: every unit) may ask about any position and any day. A head may
    ask only about a position in the units they see today and a move today or later: a what-if
    elsewhere or in the past would show coverage they may not see.
    """
    if unit_ids is None:
        return []
    today = today or dates.today()
    refusals = []
    if position_unit_id is not None and position_unit_id not in unit_ids:
        refusals.append(
            FieldError(
                "position",
                _("This position is outside the units you lead."),
                "position_outside_your_units",
            )
        )
    if on_date < today:
        refusals.append(
            FieldError(
                "date",
                _("A planned move cannot be in the past; choose today or a later date."),
                "date_in_past",
            )
        )
    return refusals


def visible_employees(
    *,
    user: AnyUser,
    as_of: dt.date,
    queryset: QuerySet[Employee] | None = None,
    units: QuerySet[OrgUnit] | list[int] | None = None,
) -> QuerySet[Employee]:
    """The people ``user`` may see on ``as_of``, narrowed from ``queryset``: everyone for HR;
    otherwise themselves and whoever holds a post (definitive or acting) that day in a unit
    they may see (``org_units_visible_to``). An inactive login sees nobody.

    ``units`` passes those units when the caller already has them (``Actor`` reads them once
    per request); it must be what ``org_units_visible_to`` returns for the same user and day.
    """
    queryset = Employee.objects.all() if queryset is None else queryset
    if not user_is_active(user=user):
        return queryset.none()
    if user_is_hr(user=user):
        return queryset
    if units is None:
        units = org_units_visible_to(user=user, as_of=as_of)
    own = queryset.filter(user=user)
    if isinstance(units, list) and not units:
        return own
    people = (
        Assignment.objects.active_on(as_of)
        .filter(position__org_unit__in=units)
        .values("employee_id")
    )
    return queryset.filter(pk__in=people) | own


def can_view_employee(*, user: AnyUser, employee: Employee, as_of: dt.date) -> bool:
    """Whether ``employee`` is among ``visible_employees`` of ``user`` on ``as_of``.

    A person's own record and HR's view of anyone are answered without a query.
    """
    if not user_is_active(user=user):
        return False
    if employee.user_id == user.pk or user_is_hr(user=user):
        return True
    return visible_employees(
        user=user, as_of=as_of, queryset=Employee.objects.filter(pk=employee.pk)
    ).exists()


# --- The API's view of the policy -----------------------------------------------------------


class InsufficientScope(exceptions.PermissionDenied):
    default_code = "insufficient_scope"
    default_detail = _("The access token does not carry the scope this operation needs.")


class RoleNotAllowed(exceptions.PermissionDenied):
    default_code = "forbidden"
    default_detail = _("Your role does not allow this operation.")


@dataclass
class Actor:
    kind: str  # client, hr, head, employee, anonymous
    scopes: frozenset[str] = frozenset()
    user: Any = None
    employee: Employee | None = None
    client_id: str = ""
    today: dt.date = field(default_factory=dates.today)

    @property
    def organisation_wide(self) -> bool:
        return self.kind in ("client", "hr")

    @cached_property
    def unit_ids(self) -> list[int] | None:
        """Units this actor may see today; None means every unit."""
        if self.organisation_wide:
            return None
        if self.kind == "head":
            return list(
                org_units_visible_to(user=self.user, as_of=self.today).values_list("pk", flat=True)
            )
        return []

    def units(self) -> QuerySet[OrgUnit]:
        return (
            OrgUnit.objects.all()
            if self.unit_ids is None
            else OrgUnit.objects.filter(pk__in=self.unit_ids)
        )

    def employees(self, queryset: QuerySet[Employee] | None = None) -> QuerySet[Employee]:
        """``visible_employees`` for a person; everyone for an API client or HR."""
        queryset = queryset if queryset is not None else Employee.objects.all()
        if self.organisation_wide:
            return queryset
        if self.user is None:
            return queryset.none()
        return visible_employees(
            user=self.user, as_of=self.today, queryset=queryset, units=self.unit_ids or []
        )

    def may_see_employee(self, employee: Employee) -> bool:
        return self.employees(Employee.objects.filter(pk=employee.pk)).exists()

    def may_see_unit(self, unit: OrgUnit) -> bool:
        return self.unit_ids is None or unit.pk in self.unit_ids

    def check_unit_on(self, unit: OrgUnit, as_of: dt.date) -> None:
        """Raise unless this actor may ask about ``unit`` as of ``as_of``: 403 outside the units
        it sees today, 403 naming ``as_of`` for a day it may not ask about
        (``unit_day_refusals``)."""
        if not self.may_see_unit(unit):
            raise RoleNotAllowed()
        if self.organisation_wide:
            return
        refusals = unit_day_refusals(user=self.user, unit=unit, as_of=as_of, today=self.today)
        if refusals:
            raise AccessRefusedError(refusals[0].message, errors=refusals)

    def check_rotation(self, *, position_unit_id: int, on_date: dt.date) -> None:
        """Raise unless this actor may ask what a move to a position of ``position_unit_id`` on
        ``on_date`` would do (``rotation_refusals``): 403 naming each refused field."""
        refusals = rotation_refusals(
            unit_ids=self.unit_ids,
            position_unit_id=position_unit_id,
            on_date=on_date,
            today=self.today,
        )
        if refusals:
            raise AccessRefusedError(refusals[0].message, errors=refusals)


def actor_for(request: Request) -> Actor:
    cached = getattr(request, "_tangkas_actor", None)
    if cached is not None:
        return cached
    auth = request.auth
    if isinstance(auth, AccessToken):
        actor = Actor(
            kind="client",
            scopes=frozenset(auth.scope.split()),
            client_id=auth.application.client_id,
        )
    elif request.user and user_is_active(user=request.user):
        user = request.user
        employee = employee_for_user(user=user)
        if user_is_hr(user=user):
            kind = "hr"
        elif org_units_visible_to(user=user, as_of=dates.today()).exists():
            kind = "head"
        else:
            kind = "employee"
        actor = Actor(kind=kind, scopes=frozenset(SCOPES), user=user, employee=employee)
    else:
        actor = Actor(kind="anonymous")
    request._tangkas_actor = actor
    return actor


class ApiAccess(BasePermission):
    """Scopes for API clients; roles for people. See the module docstring."""

    def has_permission(self, request: Request, view: Any) -> bool:
        actor = actor_for(request)
        if actor.kind == "anonymous":
            raise exceptions.NotAuthenticated()
        scopes: dict[str, str | tuple[str, ...]] = getattr(view, "required_scopes", {})
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        needed = scopes.get(method, scopes.get("*"))
        if request.method.lower() not in view.http_method_names or not hasattr(
            view, request.method.lower()
        ):
            return True  # the view answers 405 Method Not Allowed, whoever asks
        if actor.kind == "client":
            if getattr(view, "people_only", False):
                raise RoleNotAllowed()
            # Deny by default: an operation that names no scope is open to no API client.
            alternatives = (needed,) if isinstance(needed, str) else tuple(needed or ())
            if not alternatives or not actor.scopes.intersection(alternatives):
                raise InsufficientScope(
                    _("This operation needs the scope %(scope)s.")
                    % {"scope": " or ".join(alternatives) or "-"}
                )
            return True
        if getattr(view, "clients_only", False):
            raise RoleNotAllowed(
                getattr(view, "clients_only_reason", None) or _("Only API clients manage webhooks.")
            )
        if method not in ("GET",):
            roles = getattr(view, "write_roles", ("hr",))
            if actor.kind not in roles:
                raise RoleNotAllowed()
        return True


def acting_user(request: Request) -> Any:
    """The person behind a request, for audit trails; None for an API client."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


# --- Reviewing evidence ---------------------------------------------------------------------


def evidence_reviewees(*, user: AnyUser, as_of: dt.date) -> QuerySet[Employee]:
    """The people whose provisional evidence ``user`` may validate or reject on ``as_of``: for
    HR everyone, for a head (definitive or Plt.) the people of the units they lead that day;
    never the user themselves."""
    return visible_employees(user=user, as_of=as_of).exclude(user=user)

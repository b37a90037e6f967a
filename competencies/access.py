"""Who is calling the API, and what they may do.

- An API client (OAuth2 client credentials) acts for the organisation within its scopes.
- HR staff (the HR group, session login) may do everything in the organisation.
- A head of unit may read what concerns the subtree of the unit they head today.
- A civil servant may read only their own person.
- Anonymous callers may only verify certificates.

Access follows the organisation, not hand-kept grants: a head sees the units under the head
position they hold on the day asked (definitive or acting), so access moves with the post when
people rotate. The rule is written once, in ``org_units_visible_to`` and
``visible_employees``; the web pages ask it directly and the API through ``Actor``.

Views declare ``required_scopes`` per HTTP method (``{"GET": "employees:read"}``, or a tuple
of scopes any of which grants it) and, when they write, ``write_roles``. An API client may call
an operation only if it names a scope the client holds: no scope named, no access. Querysets are narrowed with ``Actor.employees``/``units``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AccessToken
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from competencies.models import Assignment, Employee, OrgUnit

SCOPES = settings.API_SCOPES
#: The Django group whose members are HR staff (BKPSDM): they see the whole organisation.
HR_GROUP_NAME = "HR"

AnyUser = AbstractBaseUser | AnonymousUser


# --- The policy -----------------------------------------------------------------------------


def user_is_hr(*, user: AnyUser) -> bool:
    """Whether ``user`` is HR staff (or a superuser). Remembered on the user object, so a
    request asks the database once."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_tangkas_is_hr", None)
    if cached is None:
        cached = user.groups.filter(name=HR_GROUP_NAME).exists()
        user._tangkas_is_hr = cached
    return cached


def employee_for_user(*, user: AnyUser) -> Employee | None:
    """The person behind a login, if any."""
    if not user.is_authenticated:
        return None
    return Employee.objects.filter(user=user).first()


def org_units_visible_to(*, user: AnyUser, as_of: dt.date) -> QuerySet[OrgUnit]:
    """The units ``user`` may see on ``as_of``: everything for HR; for a head (definitive or
    acting), the subtree of each unit whose head position they hold that day; else nothing.

    Access follows the post: when the head rotates out, it moves to the new head the day the
    new assignment starts, with nothing to revoke by hand.
    """
    if user_is_hr(user=user):
        return OrgUnit.objects.all()
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    head_paths = list(
        Assignment.objects.active_on(as_of)
        .filter(employee__user=user, position__is_head=True)
        .values_list("position__org_unit__path", flat=True)
    )
    if not head_paths:
        return OrgUnit.objects.none()
    condition = Q()
    for path in head_paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.filter(condition)


def visible_employees(
    *,
    user: AnyUser,
    as_of: dt.date,
    queryset: QuerySet[Employee] | None = None,
    units: QuerySet[OrgUnit] | list[int] | None = None,
) -> QuerySet[Employee]:
    """The people ``user`` may see on ``as_of``, narrowed from ``queryset``: everyone for HR;
    otherwise themselves and whoever holds a post (definitive or acting) that day in a unit
    they may see (``org_units_visible_to``).

    ``units`` passes those units when the caller already has them (``Actor`` reads them once
    per request); it must be what ``org_units_visible_to`` returns for the same user and day.
    """
    queryset = Employee.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
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
    if not user.is_authenticated:
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
    today: dt.date = field(default_factory=timezone.localdate)

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
    elif request.user and request.user.is_authenticated:
        user = request.user
        employee = employee_for_user(user=user)
        if user_is_hr(user=user):
            kind = "hr"
        elif org_units_visible_to(user=user, as_of=timezone.localdate()).exists():
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
            raise RoleNotAllowed(_("Only API clients manage webhooks."))
        if method not in ("GET",):
            roles = getattr(view, "write_roles", ("hr",))
            if actor.kind not in roles:
                raise RoleNotAllowed()
        return True


def acting_user(request: Request) -> Any:
    """The person behind a request, for audit trails; None for an API client."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None

"""Who is calling the API, and what they may do.

- An API client (OAuth2 client credentials) acts for the organisation within its scopes.
- HR staff (the HR group, session login) may do everything in the organisation.
- A head of unit may read what concerns the subtree of the unit they head today.
- A civil servant may read only their own person.
- Anonymous callers may only verify certificates.

Views declare ``required_scopes`` per HTTP method (``{"GET": "employees:read"}``) and, when
they write, ``write_roles``. Querysets are narrowed with ``Actor.employees``/``units``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AccessToken
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from competencies import selectors as competency_selectors
from competencies.models import Assignment, Employee, OrgUnit

SCOPES = settings.API_SCOPES


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
                competency_selectors.org_units_visible_to(
                    user=self.user, as_of=self.today
                ).values_list("pk", flat=True)
            )
        return []

    def units(self) -> QuerySet[OrgUnit]:
        return (
            OrgUnit.objects.all()
            if self.unit_ids is None
            else OrgUnit.objects.filter(pk__in=self.unit_ids)
        )

    def employees(self, queryset: QuerySet[Employee] | None = None) -> QuerySet[Employee]:
        queryset = queryset if queryset is not None else Employee.objects.all()
        if self.organisation_wide:
            return queryset
        if self.kind == "head":
            people = (
                Assignment.objects.active_on(self.today)
                .filter(position__org_unit_id__in=self.unit_ids)
                .values("employee_id")
            )
            own = [self.employee.pk] if self.employee else []
            return queryset.filter(pk__in=people) | queryset.filter(pk__in=own)
        if self.employee is not None:
            return queryset.filter(pk=self.employee.pk)
        return queryset.none()

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
        employee = competency_selectors.employee_for_user(user)
        if competency_selectors.user_is_hr(user):
            kind = "hr"
        elif competency_selectors.org_units_visible_to(
            user=user, as_of=timezone.localdate()
        ).exists():
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
        scopes: dict[str, str | None] = getattr(view, "required_scopes", {})
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        needed = scopes.get(method, scopes.get("*"))
        if actor.kind == "client":
            if getattr(view, "people_only", False):
                raise RoleNotAllowed()
            if needed and needed not in actor.scopes:
                raise InsufficientScope(
                    _("This operation needs the scope %(scope)s.") % {"scope": needed}
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

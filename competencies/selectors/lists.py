"""Plain lists for the admin and the API: querysets with what their pages show preloaded."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _

from competencies.exceptions import EmployeeNotFoundError
from competencies.models import Assignment, Employee, OrgUnit, Position, PositionRequirement
from competencies.validators import normalise_nip


def position_list() -> QuerySet[Position]:
    """Positions with their unit and their requirements (by competency code) preloaded."""
    return Position.objects.select_related("org_unit").prefetch_related(
        Prefetch(
            "requirements",
            queryset=PositionRequirement.objects.select_related("competency").order_by(
                "competency__code"
            ),
        )
    )


def org_unit_list() -> QuerySet[OrgUnit]:
    """Every unit with ``parent_id`` (the unit whose path is this one's minus a step)."""
    parent = OrgUnit.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - OrgUnit.steplen)
    ).values("pk")[:1]
    return OrgUnit.objects.annotate(parent_id=Subquery(parent))


def employee_list(*, people: QuerySet[Employee], as_of: dt.date) -> QuerySet[Employee]:
    """``people`` with the posts each holds on ``as_of`` preloaded as ``current_assignments``
    (definitive first, then acting; earliest start first)."""
    current = (
        Assignment.objects.active_on(as_of)
        .select_related("position")
        .order_by("kind", "start_date")
    )
    return people.prefetch_related(
        Prefetch("assignments", queryset=current, to_attr="current_assignments")
    )


def employee_by_nip(*, people: QuerySet[Employee], nip: str, as_of: dt.date) -> Employee:
    """The one of ``people`` with this NIP (spaces allowed), as ``employee_list`` gives it;
    ``EmployeeNotFoundError`` when none of them has it."""
    employee = employee_list(people=people, as_of=as_of).filter(nip=normalise_nip(nip)).first()
    if employee is None:
        raise EmployeeNotFoundError(_("No person you may see has this NIP."))
    return employee


def employees_in_unit(
    *, people: QuerySet[Employee], org_unit_id: int, as_of: dt.date
) -> QuerySet[Employee]:
    """Those of ``people`` who hold a post (definitive or acting) in the unit's subtree on
    ``as_of``; none when there is no such unit."""
    unit = OrgUnit.objects.filter(pk=org_unit_id).first()
    if unit is None:
        return people.none()
    holders = (
        Assignment.objects.active_on(as_of)
        .filter(position__org_unit__path__startswith=unit.path)
        .values("employee_id")
    )
    return people.filter(pk__in=holders)


def assignment_list(*, people: QuerySet[Employee]) -> QuerySet[Assignment]:
    """The assignments of ``people``, with their positions."""
    return Assignment.objects.filter(employee__in=people).select_related("position")

"""Demo AKPKs for ``seed_demo``: one perangkat daerah's AKPK in each state of the workflow,
made through the services (so each has its trail), and the logins that act on them:
``demo.kadis`` (the Kepala Dinas Kominfo, who submits Diskominfo's AKPK) and ``demo.ppk`` (a
delegate of the PPK, who approves). The heads of the other perangkat daerah get a login
without a password (``kepala.<unit>``) so that their steps are recorded as theirs.

Idempotent: a perangkat daerah that already has an AKPK for the year is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from competencies.demo import password_hash
from competencies.models import Assignment, Employee, OrgUnit
from planning import services
from planning.models import AkpkPlan, AkpkRow, DevelopmentForm
from planning.rules import PPK_DELEGATE_GROUP

KADIS_LOGIN = "demo.kadis"
PPK_LOGIN = "demo.ppk"

#: Each demo perangkat daerah and the state its AKPK is brought to.
DEMO_STATES = (
    ("DISKOMINFO", "approved"),
    ("BAPPEDA", "verified"),
    ("DUKCAPIL", "submitted"),
    ("DINKES", "draft"),
)


def _head_login(unit: OrgUnit, day: dt.date, username: str, password: str | None) -> object | None:
    """The login of the person heading ``unit`` on ``day`` (created if they have none)."""
    assignment = (
        Assignment.objects.definitive()
        .active_on(day)
        .filter(position__org_unit=unit, position__is_head=True)
        .select_related("employee__user")
        .first()
    )
    if assignment is None:
        return None
    employee: Employee = assignment.employee
    if employee.user_id is not None:
        return employee.user
    first, _sep, last = employee.name.partition(" ")
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if password:
        user.password = password_hash(password)
    else:
        user.set_unusable_password()
    user.save()
    Employee.objects.filter(user=user).exclude(pk=employee.pk).update(user=None)
    employee.user = user
    employee.save(update_fields=["user", "updated_at"])
    return user


def seed_logins(*, password: str, today: dt.date) -> None:
    """``demo.kadis`` for the head of Diskominfo, ``demo.ppk`` in the PPK's delegates."""
    unit = OrgUnit.objects.filter(code="DISKOMINFO").first()
    if unit is not None:
        _head_login(unit, today, KADIS_LOGIN, password)
    ppk, _created = get_user_model().objects.get_or_create(
        username=PPK_LOGIN,
        defaults={"first_name": "Sekretaris", "last_name": "Daerah (delegasi PPK)"},
    )
    ppk.password = password_hash(password)
    ppk.email = f"{PPK_LOGIN}@tangkas.example"
    ppk.save()
    ppk.groups.add(Group.objects.get(name=PPK_DELEGATE_GROUP))


@transaction.atomic
def seed_akpk(*, password: str, today: dt.date) -> int:
    """The demo AKPKs for this year; how many were created (0 when already there)."""
    seed_logins(password=password, today=today)
    User = get_user_model()
    hr = User.objects.filter(username="demo.hr").first()
    ppk = User.objects.get(username=PPK_LOGIN)
    if hr is None:
        return 0
    created = 0
    for code, target in DEMO_STATES:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None or AkpkPlan.objects.filter(org_unit=unit, year=today.year).exists():
            continue
        username = KADIS_LOGIN if code == "DISKOMINFO" else f"kepala.{code.lower()}"
        head = _head_login(unit, today, username, password if code == "DISKOMINFO" else None)
        if head is None:
            continue
        plan = services.akpk_plan_generate(org_unit=unit, year=today.year, user=head, day=today)
        created += 1
        # The head's own planning: the first few rows reprioritised and one removed.
        rows = list(AkpkRow.objects.filter(plan=plan).order_by("position")[:3])
        if rows:
            services.akpk_row_update(
                row_id=rows[0].pk,
                plan_id=plan.pk,
                user=head,
                day=today,
                changes={"development_form": DevelopmentForm.MENTORING, "planned_quarter": 2},
            )
        if len(rows) > 2:
            services.akpk_row_update(
                row_id=rows[2].pk, plan_id=plan.pk, user=head, day=today, changes={"removed": True}
            )
        if target == "draft":
            continue

        def step(action: str, user: object, comment: str = "", plan_id: int = plan.pk) -> None:
            services.akpk_plan_transition(
                plan_id=plan_id, action=action, user=user, comment=comment, day=today
            )

        step("submit", head, "Usulan kebutuhan pengembangan kompetensi tahun berjalan.")
        if code == "DISKOMINFO":
            step(
                "return",
                hr,
                "Mohon kompetensi kritis keamanan informasi diprioritaskan pada triwulan I.",
            )
            step("submit", head, "Prioritas kompetensi kritis telah disesuaikan.")
        if target == "submitted":
            continue
        step("verify", hr, "Telah diverifikasi BKPSDM sesuai peta jabatan dan standar biaya.")
        if target == "verified":
            continue
        step("approve", ppk, "Disetujui untuk dilaksanakan sesuai ketersediaan anggaran.")
    return created

"""Demo development plans for ``manage.py seed_demo``: demo.pegawai's plan for this year,
signed and waiting for demo.kepala's sign-off; their plan for last year, agreed; demo.kepala's
own plan for this year, a draft. Made through the services (goals from counted gaps, the
transitions recorded, the notifications sent), so the pages show what real use would.
Idempotent: a plan that exists is left as it is."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from competencies.models import Employee
from courses.models import CoursePage, Enrollment, EnrollmentStatus
from development import services
from development.models import ActivityKind, DevelopmentPlan
from providers.models import Offering


def _courses_of(employee: Employee) -> tuple[CoursePage | None, CoursePage | None]:
    """A course the person completed and one they have not, for a done and an open activity."""
    enrollments = Enrollment.objects.filter(employee=employee).select_related("course")
    done = next((e.course for e in enrollments if e.status == EnrollmentStatus.COMPLETED), None)
    taken = {e.course_id for e in enrollments if e.status == EnrollmentStatus.COMPLETED}
    open_course = CoursePage.objects.live().exclude(pk__in=taken).order_by("title").first()
    return done, open_course


def _plan(employee: Employee, year: int, today: dt.date) -> DevelopmentPlan | None:
    if DevelopmentPlan.objects.filter(employee=employee, year=year).exists():
        return None
    user = employee.user
    plan = services.plan_create(employee=employee, year=year, actor=user, today=today)
    goal = plan.goals.order_by("id").first()
    done, open_course = _courses_of(employee)
    for course, month in ((done, 3), (open_course, 10)):
        if course is not None:
            services.activity_add(
                plan=plan,
                actor=user,
                kind=ActivityKind.COURSE,
                course=course,
                goal=goal,
                target_date=dt.date(year, month, 31 if month == 3 else 30),
            )
    offering = Offering.objects.filter(is_active=True).order_by("id").first()
    if offering is not None:
        services.activity_add(
            plan=plan,
            actor=user,
            kind=ActivityKind.OFFERING,
            offering=offering,
            goal=goal,
            target_date=dt.date(year, 8, 31),
        )
    services.activity_add(
        plan=plan,
        actor=user,
        kind=ActivityKind.COACHING,
        title="Pendampingan oleh Ketua Tim tentang pengelolaan layanan SPBE",
        goal=goal,
        target_date=dt.date(year, 6, 30),
    )
    return plan


@transaction.atomic
def seed_plans(*, today: dt.date) -> int:
    """The demo plans; returns how many were created (0 when they are already there)."""
    users = get_user_model().objects
    pegawai = Employee.objects.filter(user__username="demo.pegawai").select_related("user").first()
    kepala = users.filter(username="demo.kepala").first()
    kepala_person = Employee.objects.filter(user=kepala).select_related("user").first()
    if pegawai is None or kepala is None:
        return 0
    created = 0
    last_year = _plan(pegawai, today.year - 1, dt.date(today.year - 1, 1, 15))
    if last_year is not None:
        services.plan_submit(plan=last_year, actor=pegawai.user)
        services.plan_agree(
            plan=last_year,
            actor=kepala,
            comment="Disetujui. Prioritaskan pelatihan keamanan sebelum Agustus.",
            today=today,
        )
        created += 1
    this_year = _plan(pegawai, today.year, today)
    if this_year is not None:
        services.plan_submit(
            plan=this_year,
            actor=pegawai.user,
            comment="Mohon arahan Bapak/Ibu untuk pelatihan mitra.",
        )
        created += 1
    if kepala_person is not None and _plan(kepala_person, today.year, today) is not None:
        created += 1
    return created

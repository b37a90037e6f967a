"""``manage.py seed_demo``: load the demo city, its people, courses and logins. Idempotent.

Refused under production settings. The demo logins (``demo.pegawai``, ``demo.kepala``,
``demo.hr``, ``admin``; for the AKPK workflow ``demo.kadis`` and ``demo.ppk``) get the
password from ``DEMO_PASSWORD`` (default ``tangkas-demo``).
"""

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from competencies import demo as competencies_demo
from competencies.models import Employee
from courses import demo as courses_demo
from development import demo as development_demo
from evaluations import demo as evaluations_demo
from notifications import demo as notifications_demo
from planning import demo as planning_demo
from providers import demo as providers_demo
from reports import demo as reports_demo


class Command(BaseCommand):
    help = "Load the demo city (units, positions, ~300 people, history, evidence) and demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args: object, **options: object) -> None:
        if settings.ENVIRONMENT == "production":
            raise CommandError(
                "seed_demo is refused under production settings: it creates demo logins."
            )
        started = time.monotonic()
        password = os.environ.get("DEMO_PASSWORD") or "tangkas-demo"
        units, positions = competencies_demo.seed_structure()
        people = competencies_demo.seed_people(seed=int(options["seed"]))
        competencies_demo.seed_logins(password=password)
        courses = courses_demo.seed_courses()
        pegawai = Employee.objects.filter(user__username="demo.pegawai").first()
        colleagues = list(
            Employee.objects.filter(
                assignments__position__org_unit__code__startswith="DISKOMINFO-APTIKA"
            )
            .exclude(user__username="demo.pegawai")
            .distinct()
            .order_by("id")[:12]
        )
        learners = courses_demo.seed_learners(pegawai=pegawai, others=colleagues)
        evaluations_demo.seed_evaluations(today=timezone.localdate())
        notifications_demo.seed_notifications(today=timezone.localdate())
        providers_demo.seed_providers(today=timezone.localdate())
        providers_demo.seed_requests(today=timezone.localdate())
        planning_demo.seed_akpk(password=password, today=timezone.localdate())
        reports_demo.seed_reports(today=timezone.localdate())
        development_demo.seed_plans(today=timezone.localdate())
        self.stdout.write(
            f"[tangkas] Demo city ready: {units} units, {positions} positions, {people} people, "
            f"{courses} courses and {learners} learners created (0 means already there) "
            f"in {time.monotonic() - started:.1f}s."
        )

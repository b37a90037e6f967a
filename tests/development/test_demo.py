"""``seed_demo`` brings demo.pegawai's plan waiting for demo.kepala, their agreed plan of last
year and demo.kepala's draft, once; demo.kepala sees the waiting plan and may sign it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from core import dates
from development.models import DevelopmentPlan, PlanTransition

pytestmark = pytest.mark.django_db


def test_seed_demo_brings_plans_in_each_state_once(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=StringIO())
    year = dates.today().year
    states = set(DevelopmentPlan.objects.values_list("employee__user__username", "year", "status"))
    assert states == {
        ("demo.pegawai", year - 1, "agreed"),
        ("demo.pegawai", year, "submitted"),
        ("demo.kepala", year, "draft"),
    }
    first = (DevelopmentPlan.objects.count(), PlanTransition.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (DevelopmentPlan.objects.count(), PlanTransition.objects.count()) == first

    waiting = DevelopmentPlan.objects.get(employee__user__username="demo.pegawai", year=year)
    head = Client(headers={"Accept-Language": "en"})
    head.login(username="demo.kepala", password="tangkas-demo")
    review = head.get(f"/dashboard/plans/{waiting.pk}/")
    assert review.status_code == 200 and review.context["may_sign"] is True
    assert waiting.activities.count() >= 2

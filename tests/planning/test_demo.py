"""The demo AKPKs: one perangkat daerah in each state, each with its trail, made once."""

from __future__ import annotations

from django.test import TestCase

from competencies import demo as competencies_demo
from core import dates
from planning import demo
from planning.models import AkpkPlan, AkpkTransition


def test_one_akpk_in_each_state_once(db) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        competencies_demo.seed_structure()
        competencies_demo.seed_people(seed=2026)
        competencies_demo.seed_logins(password="pw-demo-123")
        today = dates.today()
        assert demo.seed_akpk(password="pw-demo-123", today=today) == 4
        assert demo.seed_akpk(password="pw-demo-123", today=today) == 0
    states = dict(AkpkPlan.objects.values_list("org_unit__code", "state"))
    assert states == {
        "DISKOMINFO": "approved",
        "BAPPEDA": "verified",
        "DUKCAPIL": "submitted",
        "DINKES": "draft",
    }
    diskominfo = AkpkPlan.objects.get(org_unit__code="DISKOMINFO")
    assert list(diskominfo.transitions.values_list("action", flat=True)) == [
        "generate",
        "submit",
        "return",
        "submit",
        "verify",
        "approve",
    ]
    assert diskominfo.rows.exists() and diskominfo.rows.filter(removed=True).count() == 1
    assert AkpkTransition.objects.filter(plan=diskominfo, actor__username="demo.kadis").count() == 3

"""The sign-off of a development plan in a real browser with JavaScript off: demo.pegawai
starts the plan (goals from their gaps), adds a Tangkas course and signs; demo.kepala finds it
on the unit's plans and signs it off; the person reads it agreed, with no form left.
Screenshots: idp-01-my-plan, idp-02-unit-plans, idp-03-agreed."""

from __future__ import annotations

import re

from development.models import DevelopmentPlan
from tests.browser.conftest import Site, log_in, screenshot


def test_the_person_then_the_head_sign_the_plan_without_javascript(site: Site) -> None:
    person = site.page(javascript=False)
    log_in(person, "demo.pegawai")
    person.goto("/")
    person.get_by_role("link", name="My development plan").click()
    person.wait_for_url("**/me/plan/")
    person.get_by_role("button", name=re.compile(r"^Start my plan for")).click()
    person.wait_for_url("**/me/plan/")
    assert "Your plan for" in person.inner_text(".messages")

    person.get_by_label("Kind", exact=True).select_option("course")
    person.get_by_label("Tangkas course (for a Tangkas course)").select_option(index=1)
    person.get_by_role("button", name="Add the activity").click()
    person.wait_for_url("**/me/plan/")
    assert "The activity is added." in person.inner_text(".messages")
    person.get_by_label("Comment", exact=True).fill("Mohon arahan untuk pelatihan mitra.")
    screenshot(person, "idp-01-my-plan")
    person.get_by_role("button", name="Sign and send to my supervisor").click()
    person.wait_for_url("**/me/plan/")
    assert "Waiting for the supervisor" in person.inner_text("main")

    head = site.page(javascript=False)
    log_in(head, "demo.kepala")
    head.goto("/dashboard/")
    head.get_by_role("link", name="Development plans").click()
    head.wait_for_url(re.compile(r"/dashboard/plans/"))
    assert "Development plans" in head.inner_text("h2")
    head.goto(head.url.split("#")[0] + "&show=waiting")
    name = DevelopmentPlan.objects.get(employee__user__username="demo.pegawai").employee.name
    screenshot(head, "idp-02-unit-plans")
    head.get_by_role("link", name=name).click()
    head.wait_for_url(re.compile(r"/dashboard/plans/\d+/$"))
    head.get_by_role("button", name="Sign and agree the plan").click()
    head.wait_for_url(re.compile(r"/dashboard/plans/\d+/$"))
    assert "it is agreed" in head.inner_text(".messages")

    person.goto("/me/plan/")
    text = person.inner_text("main")
    assert "Your plan is agreed and can no longer be changed." in text
    assert person.locator("main form").count() == 0
    screenshot(person, "idp-03-agreed")
    plan = DevelopmentPlan.objects.get(employee__user__username="demo.pegawai")
    assert plan.status == "agreed" and plan.supervisor.username == "demo.kepala"

"""The AKPK workflow in a real browser with JavaScript off: the Kepala Dinas Kominfo generates
the draft, edits a row and sees the totals change, submits it; BKPSDM verifies it and reads
the city-wide summary; the PPK's delegate approves it and the frozen AKPK shows its trail.
Screenshots: akpk-01-draft, akpk-02-summary, akpk-03-approved."""

from __future__ import annotations

import re

from core import dates
from planning import demo as planning_demo
from planning.models import AkpkPlan
from tests.browser.conftest import PASSWORD, Site, log_in, screenshot


def test_draft_submit_verify_approve_without_javascript(site: Site) -> None:
    planning_demo.seed_logins(password=PASSWORD, today=dates.today())

    head = site.page(javascript=False)
    log_in(head, planning_demo.KADIS_LOGIN)
    head.goto("/planning/akpk/")
    head.select_option("#id_org_unit", index=0)  # the one perangkat daerah he heads
    head.click("button:has-text('Generate draft')")
    head.wait_for_url(re.compile(r"/planning/akpk/\d+/$"))
    assert head.get_by_role("heading", level=1).inner_text().startswith("AKPK ")
    jp_before = int(head.inner_text("#total-jp"))

    head.get_by_role("link", name=re.compile(r"^Edit")).first.click()
    head.fill("#id_jp_hours", "99")
    head.get_by_label("Removed from the AKPK").uncheck()
    head.click("main button:has-text('Save')")
    head.wait_for_url(re.compile(r"/planning/akpk/\d+/#row-\d+$"))
    jp_after = int(head.inner_text("#total-jp"))
    assert jp_after != jp_before
    screenshot(head, "akpk-01-draft")

    head.fill("#id_comment", "Usulan AKPK Diskominfo.")
    head.click("button[name=action][value=submit]")
    head.wait_for_url(re.compile(r"#trail$"))
    assert "Submitted" in head.inner_text("main")
    plan_url = head.url.split("#")[0]

    hr = site.page(javascript=False)
    log_in(hr, "demo.hr")
    hr.goto(plan_url)
    hr.fill("#id_comment", "Sesuai peta jabatan.")
    hr.click("button[name=action][value=verify]")
    hr.wait_for_url(re.compile(r"#trail$"))
    hr.goto("/planning/akpk/summary/")
    assert "Dinas Komunikasi dan Informatika" in hr.inner_text("main")
    screenshot(hr, "akpk-02-summary")

    ppk = site.page(javascript=False)
    log_in(ppk, planning_demo.PPK_LOGIN)
    ppk.goto(plan_url)
    ppk.fill("#id_comment", "Disetujui.")
    ppk.click("button[name=action][value=approve]")
    ppk.wait_for_url(re.compile(r"#trail$"))
    text = ppk.inner_text("main")
    assert "approved and frozen" in text and "Sesuai peta jabatan." in text
    assert ppk.locator("button[name=action]").count() == 0
    screenshot(ppk, "akpk-03-approved")

    head.goto(plan_url)
    assert head.get_by_role("link", name=re.compile(r"^Edit")).count() == 0
    assert AkpkPlan.objects.get(org_unit__code="DISKOMINFO").state == "approved"

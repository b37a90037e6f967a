"""The notification pages in a real browser with JavaScript off: the header's link names the
unread count, a notification is marked read, and the settings are changed through labelled
controls; no page breaks its Content-Security-Policy."""

from __future__ import annotations

import re

from notifications import kinds
from notifications.models import NotificationPreference, NotificationProfile
from tests.browser.conftest import Site, log_in, screenshot, site  # noqa: F401  (the fixture)


def test_a_civil_servant_reads_and_chooses_notifications_without_javascript(
    site: Site,  # noqa: F811
) -> None:
    page = site.page(javascript=False)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, "demo.pegawai")
    # The demo learner's certificate was issued while the city was seeded: one unread.

    page.get_by_role("link", name="Notifications (1 unread)").click()
    page.wait_for_url("**/me/notifications/")
    assert page.get_by_role("heading", level=1).inner_text() == "Notifications"
    assert page.get_by_role("heading", level=2).first.inner_text().startswith("New")
    screenshot(page, "notifications-list")
    page.get_by_role("button", name=re.compile(r"^Mark as read\s*:\s*Your certificate")).click()
    page.wait_for_url("**/me/notifications/?page=1")
    assert page.get_by_role("link", name="Notifications (0 unread)").is_visible()

    page.get_by_role("link", name="Choose which notifications you get by e-mail").click()
    page.wait_for_url("**/me/notifications/settings/")
    box = page.get_by_role("checkbox", name="Certificate issued by e-mail")
    assert box.is_checked()
    box.uncheck()
    page.get_by_role("checkbox", name="Learning hours behind target in the weekly digest").check()
    page.get_by_label("Language of your e-mails").select_option("en")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/me/notifications/settings/")
    assert page.get_by_role("status").first.inner_text() == "Your notification settings are saved."
    screenshot(page, "notifications-settings")

    chosen = {
        p.kind: (p.email, p.digest)
        for p in NotificationPreference.objects.filter(user__username="demo.pegawai")
    }
    assert chosen[kinds.CERTIFICATE_ISSUED] == (False, False)
    assert chosen[kinds.JP_BEHIND] == (True, True)
    assert NotificationProfile.objects.get(user__username="demo.pegawai").language == "en"
    assert violations == []

"""Signing on and out in a real browser (Debian's Chromium through Playwright), against the
live server and the real OpenID Provider, without JavaScript on Tangkas's pages.

What only a browser shows: the Content-Security-Policy. The logout button is a form on
Tangkas's page whose answer redirects to the provider, and browsers hold a form's redirects to
``form-action``; the settings add the issuer's origin to it. The policy here is the one the
settings compute for this provider's issuer (read from a fresh settings import with
``OIDC_ISSUER`` set), and the test fails if the browser refuses the redirect.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

from tests.competencies.factories import EmployeeFactory
from tests.identity.conftest import NIP_AYU, Provider

pytestmark = pytest.mark.django_db(transaction=True)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
BASE_DIR = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 15_000


def _policy_for(issuer: str) -> dict:
    """CONTENT_SECURITY_POLICY as lms.settings.test computes it with OIDC_ISSUER=issuer."""
    code = (
        "import json; from lms.settings import test as s; "
        "print(json.dumps(s.CONTENT_SECURITY_POLICY))"
    )
    env = {**os.environ, "OIDC_ISSUER": issuer}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def chromium(live_server, sso: Provider) -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(
                    base_url=live_server.url, locale="en-US", java_script_enabled=False
                )
                context.set_default_timeout(TIMEOUT_MS)
                yield context.new_page()
            finally:
                browser.close()
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def test_sign_on_and_single_logout_in_a_browser(
    chromium, live_server, sso: Provider, settings
) -> None:
    settings.CONTENT_SECURITY_POLICY = _policy_for(sso.issuer)
    EmployeeFactory(nip=NIP_AYU, name="Ayu Anggraini Sekar")
    page = chromium
    page.goto("/login/")
    page.get_by_role("link", name="Log in with the city's single sign-on").click()

    page.wait_for_url(f"{sso.issuer}/**")  # the provider's own login form
    page.fill("input[name=login]", "ayu")
    page.fill("input[name=password]", "any")
    page.click("button[type=submit]")
    page.click("button[type=submit]")  # consent
    page.wait_for_url(f"{live_server.url}/")
    assert "Ayu Anggraini Sekar" in page.locator("h1").inner_text()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{sso.issuer}/session/end**")  # not blocked by the page's policy
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto("/me/competencies/")
    assert "/login/" in page.url

"""A real browser for the web UI: Playwright driving Debian's Chromium at /usr/bin/chromium.

When Chromium is not installed the tests are skipped and say so (``.ci/run`` installs it).
The site runs in pytest-django's live server on the test database; each test seeds the demo
city, and the rows created by migrations are restored afterwards (serialized rollback).
Screenshots of the main pages go to ``test-artifacts/screenshots/`` (git-ignored), and also to
``docs/screenshots/`` when ``UPDATE_SCREENSHOTS=1``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connections

from competencies import demo as competencies_demo
from competencies.models import Employee
from courses import demo as courses_demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "tangkas-browser"
BASE_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = BASE_DIR / "test-artifacts" / "screenshots"
DOCS = BASE_DIR / "docs" / "screenshots"
#: Every wait is bounded; a page of this site answers in well under a second.
TIMEOUT_MS = 15_000


@dataclass
class Site:
    url: str
    browser: object

    def page(self, *, language: str = "en", javascript: bool = True):
        """A fresh browser window (its own cookies) asking for ``language``."""
        context = self.browser.new_context(
            base_url=self.url,
            locale={"en": "en-US", "id": "id-ID"}[language],
            viewport={"width": 1280, "height": 900},
            java_script_enabled=javascript,
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        return context.new_page()


def seed_demo_city() -> None:
    competencies_demo.seed_structure()
    competencies_demo.seed_people(seed=2026)
    competencies_demo.seed_logins(password=PASSWORD)
    courses_demo.seed_courses()
    pegawai = Employee.objects.get(user__username="demo.pegawai")
    colleagues = list(
        Employee.objects.filter(
            assignments__position__org_unit__code__startswith="DISKOMINFO-APTIKA"
        )
        .exclude(pk=pegawai.pk)
        .distinct()
        .order_by("id")[:12]
    )
    courses_demo.seed_learners(pegawai=pegawai, others=colleagues)


@pytest.fixture
def site(
    live_server,
    transactional_db: None,
    django_db_serialized_rollback: None,
) -> Iterator[Site]:
    """The demo city on the live server (demo logins' password: PASSWORD) and a browser.

    The browser starts after the database is ready and stops before it is cleaned: while
    Playwright's synchronous API runs, it keeps an event loop running in this thread, so
    Django sees another context (its own database connections, "async" code). The test may
    still read the database then; those connections are closed before the browser stops.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    seed_demo_city()
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield Site(url=live_server.url, browser=browser)
            finally:
                browser.close()
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/")


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG of ``page`` as a test artifact (and in docs/ when asked)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # From the top, so that sticky parts (the lesson outline) sit where a reader first sees them.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS / path.name)
    return path

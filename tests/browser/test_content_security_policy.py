"""Every kind of page runs in a real browser under its Content-Security-Policy without a single
violation: the site's pages under the strict policy (no inline script), the API docs, and the
Wagtail admin under its relaxed one. Chromium reports each refused script, style, image or
frame on the console; the test collects them."""

from __future__ import annotations

from courses.models import CoursePage, LessonPage
from tests.browser.conftest import Site, log_in

#: The strict policy's script directive, whole (django-csp writes the directives in no fixed
#: order: it walks a set, so the order changes with each process's string hashing).
STRICT = "script-src 'self'"


def _watch(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def _visit(page, path: str) -> set[str]:
    """The directives of the page's Content-Security-Policy header."""
    response = page.goto(path)
    assert response is not None and response.status < 400, (path, response and response.status)
    page.wait_for_load_state("networkidle")
    header = response.headers.get("content-security-policy", "")
    return {directive.strip() for directive in header.split(";") if directive.strip()}


def test_no_page_violates_its_content_security_policy(site: Site) -> None:
    course = CoursePage.objects.live().get(slug="dasar-pengelolaan-basis-data")
    lesson = LessonPage.objects.live().descendant_of(course).first()
    assert lesson is not None

    anonymous = site.page()
    seen = _watch(anonymous)
    for path in ("/", "/login/", "/courses/", course.url, "/competencies/", "/verify/"):
        assert STRICT in _visit(anonymous, path), path
    header = _visit(anonymous, "/api/v1/docs/")
    assert STRICT in header
    anonymous.wait_for_selector(".swagger-ui .info", timeout=15_000)  # the docs really render
    assert STRICT in _visit(anonymous, "/admin/login/")

    learner = site.page()
    seen += _watch(learner)
    log_in(learner, "demo.pegawai")
    for path in (
        "/",
        lesson.url,
        "/me/competencies/",
        "/me/history/",
        "/me/certificates/",
    ):
        assert STRICT in _visit(learner, path), path

    head = site.page()
    seen += _watch(head)
    log_in(head, "demo.kepala")
    assert STRICT in _visit(head, "/dashboard/")

    admin = site.page()
    seen += _watch(admin)
    log_in(admin, "admin")
    for path in ("/admin/", "/admin/pages/", f"/admin/pages/{course.pk}/edit/"):
        header = _visit(admin, path)
        assert "script-src 'self' 'unsafe-inline'" in header, path
        assert "frame-ancestors 'none'" in header, path

    assert seen == []

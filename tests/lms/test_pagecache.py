"""The page cache (``lms/pagecache.py``): a page is built once and then served without its
queries, and no page is served once a write may have changed it — a learner's own progress,
a certificate issued by the worker, a revocation, an editor's publication, a write by another
connection — nor to anyone but the session it was built for.

The tests marked ``committed`` commit their writes, as production does, so that the
generation is raised by the commit itself; the others, like the rest of the suite (which runs
with the cache on too), write inside a transaction that never commits, where the
connection's own count of writes changes the key.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from certificates import services as certificate_services
from certificates.models import Certificate
from courses import services as course_services
from courses.demo import take_course
from lms import pagecache
from tests.competencies.factories import EmployeeFactory, UserFactory
from tests.conftest import wait_until
from tests.courses.conftest import (
    Catalogue,
    catalogue,  # noqa: F401  (the fixture, shared)
)

committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WIB = ZoneInfo("Asia/Jakarta")
TOKEN = re.compile(rb'(?<=name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}')


def logged_in(user, **kwargs: object) -> Client:
    """A browser that logs in through the login form (which gives it its CSRF cookie)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en", **kwargs)
    form = client.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode())
    response = client.post(
        "/login/",
        {"username": user.username, "password": "pw", "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302
    return client


def learner_client(catalogue: Catalogue, **kwargs: object) -> Client:  # noqa: F811
    return logged_in(catalogue.learner.user, **kwargs)


def state(response) -> str:
    """Whether the page was built and kept (``miss``), served from the cache (``hit``) or
    built and not kept (``none``)."""
    return response.headers.get("X-Page-Cache", "none")


def unread(response) -> int:
    found = re.search(r">Notifications \((\d+)\)</a>", response.content.decode())
    assert found, "the header shows the unread count"
    return int(found.group(1))


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('SELECT "courses_coursepage"."page_ptr_id" FROM "courses_coursepage"', False),
        ("  select 1", False),
        ('(SELECT %s AS "day" FROM "a") UNION (SELECT %s AS "day" FROM "b")', False),
        ("SAVEPOINT s1", False),
        ('INSERT INTO "competencies_evidence" ("level") VALUES (%s)', True),
        ('UPDATE "auth_user" SET "first_name" = %s WHERE "auth_user"."id" = %s', True),
        # A login's time, which no page shows; any other change of the user counts.
        ('UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"."id" = %s', False),
        ('UPDATE "auth_user" SET "last_login" = %s, "is_active" = %s WHERE "id" = %s', True),
        ('DELETE FROM "certificates_certificate" WHERE id = %s', True),
        ("WITH gone AS (DELETE FROM notifications_notification RETURNING id) SELECT 1", True),
        ("SELECT competencies_proficiency_rebuild()", True),
        ('SELECT "id" FROM "courses_enrollment" FOR UPDATE', True),
        ("TRUNCATE competencies_evidence", True),
        ("COPY competencies_employee (nip) FROM STDIN", True),
        # Sessions and the login lockout's records change no page.
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('INSERT INTO "axes_accesslog" ("user_agent") VALUES (%s)', False),
        ('DELETE FROM "django_session_archive" WHERE 1', True),
    ],
)
def test_what_counts_as_a_write(sql: str, writes: bool) -> None:
    assert pagecache.is_write(sql) is writes


@pytest.mark.django_db
def test_a_page_is_built_once_and_then_served_without_its_queries(catalogue) -> None:  # noqa: F811
    client = learner_client(catalogue)
    first = client.get("/me/competencies/")
    assert state(first) == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/me/competencies/")
    assert state(second) == "hit"
    # The same page, with the asker's CSRF token freshly masked (as building it would).
    assert TOKEN.sub(b"", second.content) == TOKEN.sub(b"", first.content)
    assert TOKEN.search(second.content)
    assert second["Content-Type"] == first["Content-Type"]
    # Only the session is read (the database session backend of the tests).
    assert [q["sql"] for q in queries.captured_queries if "django_session" not in q["sql"]] == []
    # The security headers come from the middleware around the view, hit or not.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


@committed
def test_a_certificate_issued_by_the_worker_shows_at_once(catalogue) -> None:  # noqa: F811
    client = learner_client(catalogue)
    before = client.get("/")
    assert state(client.get("/")) == "hit"
    assert unread(before) == 0
    # Committed: the certificate's tasks (in-process here) issue it and notify after commit.
    take_course(catalogue.learner, catalogue.basics)
    assert Certificate.objects.filter(employee=catalogue.learner).exists()
    after = client.get("/")
    assert state(after) == "miss"
    assert unread(after) == 1
    assert [c.pk for c in after.context["certificates"]] == [
        Certificate.objects.get(employee=catalogue.learner).pk
    ]


@committed
def test_a_revocation_shows_on_the_verification_page_at_once(catalogue) -> None:  # noqa: F811
    take_course(catalogue.learner, catalogue.basics)
    certificate = Certificate.objects.get(employee=catalogue.learner)
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = f"/verify/{certificate.code}/"
    first = visitor.get(url)
    assert state(first) == "miss"
    assert "Revoked" not in first.content.decode()
    assert state(visitor.get(url)) == "hit"
    certificate_services.certificate_revoke(certificate=certificate, reason="Salah terbit")
    page = visitor.get(url)
    assert state(page) == "miss"
    assert "Revoked" in page.content.decode()


@pytest.mark.django_db
def test_an_editors_publication_shows_to_anonymous_visitors_at_once(catalogue) -> None:  # noqa: F811
    visitor, other = Client(), Client()
    url = catalogue.basics.url
    assert state(visitor.get(url)) == "miss"
    # Anonymous visitors without a session share the page.
    assert state(other.get(url)) == "hit"
    course = catalogue.basics
    course.title = "Dasar Basis Data (edisi 2026)"
    course.save_revision().publish()
    page = other.get(url)
    assert state(page) == "miss"
    assert "Dasar Basis Data (edisi 2026)" in page.content.decode()


@committed
def test_a_write_on_another_connection_retires_the_page(catalogue) -> None:  # noqa: F811
    client = learner_client(catalogue)
    url = catalogue.basics.url
    assert state(client.get(url)) == "miss"
    assert state(client.get(url)) == "hit"

    def enroll_elsewhere() -> None:
        # A thread has its own database connection, like another process or a worker.
        from django.db import connection as own

        try:
            course_services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
        finally:
            own.close()

    thread = threading.Thread(target=enroll_elsewhere)
    thread.start()
    thread.join()
    page = client.get(url)
    assert state(page) == "miss"
    assert page.context["enrollment"] is not None


def test_an_uncommitted_write_of_the_same_connection_shows(catalogue) -> None:  # noqa: F811
    """Inside a transaction (a test, an atomic request) nothing has committed, so no
    generation was raised: the connection's own writes change the key."""
    client = learner_client(catalogue)
    url = catalogue.basics.url
    assert client.get(url).context["enrollment"] is None
    assert state(client.get(url)) == "hit"
    course_services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    page = client.get(url)
    assert state(page) == "miss"
    assert page.context["enrollment"] is not None


@pytest.mark.django_db
def test_each_person_gets_their_own_pages(catalogue) -> None:  # noqa: F811
    other = EmployeeFactory(name="Bagus Prasetyo", user=UserFactory(username="bagus"))
    ayu = learner_client(catalogue)
    bagus = logged_in(other.user)
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(2):
        assert "Ayu Anggraini" in ayu.get("/").content.decode()
        page = bagus.get("/").content.decode()
        assert "Bagus Prasetyo" in page and "Ayu Anggraini" not in page
        page = anonymous.get("/").content.decode()
        assert "Ayu Anggraini" not in page and "Bagus Prasetyo" not in page
    # A second session of the same person (a phone beside the laptop) is served the same
    # page, with a CSRF token of its own that its forms are accepted with.
    phone = learner_client(catalogue, enforce_csrf_checks=True)
    laptop = ayu.get("/")
    assert state(laptop) == "hit"  # logging in writes nothing a page shows
    page = phone.get("/")
    assert state(page) == "hit"
    token = TOKEN.search(page.content).group().decode()
    assert token != TOKEN.search(laptop.content).group().decode()
    enrolled = phone.post(
        f"/learn/courses/{catalogue.basics.pk}/enroll/", {"csrfmiddlewaretoken": token}
    )
    assert enrolled.status_code == 302


@pytest.mark.django_db
def test_a_cached_pages_form_token_is_accepted(catalogue) -> None:  # noqa: F811
    client = learner_client(catalogue, enforce_csrf_checks=True)
    url = catalogue.basics.url
    client.get(url)
    page = client.get(url)
    assert state(page) == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token
    response = client.post(
        f"/learn/courses/{catalogue.basics.pk}/enroll/",
        {"csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302
    assert catalogue.learner.enrollments.filter(course=catalogue.basics).exists()


@pytest.mark.django_db
def test_a_page_with_a_message_is_neither_served_from_the_cache_nor_kept(catalogue) -> None:  # noqa: F811
    client = learner_client(catalogue)
    client.get("/")
    assert state(client.get("/")) == "hit"
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Tersimpan.")])
    shown = client.get("/")
    assert state(shown) == "none"
    assert "Tersimpan." in shown.content.decode()
    # The message was shown once; the page without it is served again.
    after = client.get("/")
    assert "Tersimpan." not in after.content.decode()
    assert state(after) == "hit"


@committed
def test_a_page_whose_building_writes_is_never_kept(settings) -> None:
    """A view with a write side effect is built on every visit, never served from the cache:
    what it wrote retired the generation its key was made under."""
    settings.ROOT_URLCONF = "tests.lms.pagecache_urls"
    settings.PAGE_CACHE_VIEWS = frozenset({"counted", "plain"})
    visitor = Client()
    start = Group.objects.count()
    for number in (1, 2, 3):
        page = visitor.get("/counted/")
        assert (state(page), page.content) == ("none", f"visits: {start + number}".encode())
    assert state(visitor.get("/plain/")) == "miss"
    assert state(visitor.get("/plain/")) == "hit"
    visitor.get("/counted/")
    page = visitor.get("/plain/")
    assert (state(page), page.content) == ("miss", f"visits: {start + 4}".encode())


@pytest.mark.django_db
def test_midnight_in_jakarta_retires_the_days_pages(catalogue) -> None:  # noqa: F811
    client = learner_client(catalogue)
    with time_machine.travel(dt.datetime(2025, 12, 31, 23, 30, tzinfo=WIB), tick=False):
        client.get("/me/competencies/")
        assert state(client.get("/me/competencies/")) == "hit"
    with time_machine.travel(dt.datetime(2026, 1, 1, 0, 30, tzinfo=WIB), tick=False):
        assert state(client.get("/me/competencies/")) == "miss"


@pytest.mark.django_db
def test_only_the_named_views_and_plain_gets_are_cached(catalogue) -> None:  # noqa: F811
    client = learner_client(catalogue)
    for _ in range(2):
        assert state(client.get("/me/notifications/")) == "none"
        assert state(client.get("/courses/does-not-exist/")) == "none"
        # A request that says who it is otherwise than by its session is never cached.
        page = client.get(catalogue.basics.url, HTTP_AUTHORIZATION="Bearer someone-else")
        assert state(page) == "none"


@pytest.mark.django_db
def test_off_when_no_seconds_are_given(catalogue, settings) -> None:  # noqa: F811
    settings.PAGE_CACHE_SECONDS = 0
    client = learner_client(catalogue)
    for _ in range(2):
        assert state(client.get("/")) == "none"


@pytest.fixture
def shared_cache(settings) -> Iterator[str]:
    """The cache in Redis (the suite's broker server stands in for production's), under a
    prefix of this test's own; its keys are deleted afterwards, never the whole database
    (the broker's queues live there)."""
    # The prefix the test worker's settings use (tests/competencies/worker_settings.py).
    prefix = settings.CELERY_TASK_DEFAULT_QUEUE
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ReusingRedisCache",
            "LOCATION": django_settings.CELERY_BROKER_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    client = cache._cache.get_client(write=True)
    for key in list(client.scan_iter(f"{prefix}:*")):
        client.delete(key)


@committed
def test_the_generation_lives_in_the_shared_cache(catalogue, shared_cache) -> None:  # noqa: F811
    """Production's cache is Redis, shared by the web processes and the workers: the
    generation and the pages live there."""
    start = pagecache.generation()
    client = learner_client(catalogue)  # a login writes nothing a page shows
    assert pagecache.generation() == start
    assert state(client.get("/")) == "miss"
    assert state(client.get("/")) == "hit"
    course_services.enrollment_create(employee=catalogue.learner, course=catalogue.basics)
    assert pagecache.generation() == start + 1
    assert state(client.get("/")) == "miss"


@committed
def test_a_real_workers_write_retires_the_page(catalogue, shared_cache, workers) -> None:  # noqa: F811
    """A Celery worker is another process, which loads no middleware: it raises the
    generation in the shared cache all the same (``lms.apps``), so the certificate it signs
    shows on the learner's home page at once."""
    client = learner_client(catalogue)
    take_course(catalogue.learner, catalogue.basics)  # signing waits for a worker
    assert state(client.get("/")) == "miss"
    assert state(client.get("/")) == "hit"
    assert Certificate.objects.get(employee=catalogue.learner).signed_at is None
    workers.start(
        DJANGO_SETTINGS_MODULE="tests.competencies.worker_settings",
        TANGKAS_TEST_CACHE_URL=django_settings.CELERY_BROKER_URL,
    )

    def signed_and_shown() -> bool:
        page = client.get("/")
        return (
            state(page) != "hit"
            and all(c.signed_at for c in page.context["certificates"])
            and bool(page.context["certificates"])
        )

    wait_until(signed_and_shown, what="the worker to sign the certificate")
    assert Certificate.objects.get(employee=catalogue.learner).signed_at is not None

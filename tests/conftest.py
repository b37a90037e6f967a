"""Fixtures shared by every test: real Celery workers when a broker is configured."""

from __future__ import annotations

import datetime as dt
import os
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
WORKER_START_TIMEOUT = 60.0

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
                pytest.fail("the Celery worker did not answer a ping within 60 s")
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
    through the broker (eager mode off). Skipped, with the reason printed, only when no broker
    is configured; CI configures one. Rows created by migrations are restored afterwards."""
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set: no broker to run a real worker against")
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

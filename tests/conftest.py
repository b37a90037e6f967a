"""Fixtures shared by every test: a real Celery worker when a broker is configured."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
WORKER_START_TIMEOUT = 60.0


def _database_url_for_tests() -> str:
    """The URL of the database the tests use (pytest-django's ``test_…`` database)."""
    s = connection.settings_dict
    host = quote(s["HOST"], safe="") if s["HOST"].startswith("/") else s["HOST"]
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{quote(s['USER'], safe='')}{password}@{host}{port}/{s['NAME']}"


@pytest.fixture
def celery_worker(transactional_db: None) -> Iterator[subprocess.Popen[bytes]]:
    """A real ``celery worker`` process on the configured broker and the test database.

    Skipped (with the reason printed) only when no broker is configured; CI configures one.
    Eager mode is switched off for the test so tasks really travel through the broker.
    """
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set: no broker to run a real worker against")
    from lms.celery import app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": _database_url_for_tests(),
        "TANGKAS_TEST_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "TANGKAS_WORKER_EAGER": "0",
    }
    hostname = f"test-{os.getpid()}@%h"
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
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while not app.control.ping(
            destination=[hostname.replace("%h", os.uname().nodename)], timeout=0.5
        ):
            if worker.poll() is not None:
                pytest.fail(f"the Celery worker exited at start-up (code {worker.returncode})")
            if time.monotonic() > deadline:
                pytest.fail("the Celery worker did not answer a ping within 60 s")
        yield worker
    finally:
        app.conf.task_always_eager = previous
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()

"""Certificates are finished by a real Celery worker through Redis — also when the task runs
twice, when the worker is killed half-way, and when the broker is down at completion time.
There is always exactly one certificate, and it gets its PDF and credential."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from certificates.models import Certificate
from certificates.tasks import certificate_render, certificates_sweep
from courses.demo import take_course
from tests.conftest import wait_until

pytestmark = pytest.mark.integration


def finished() -> bool:
    certificate = Certificate.objects.first()
    return certificate is not None and bool(certificate.credential) and bool(certificate.pdf)


def test_a_completion_gets_its_certificate_from_the_worker(catalogue, celery_worker) -> None:
    take_course(catalogue.learner, catalogue.basics)
    wait_until(finished, what="the worker to sign and render the certificate")
    certificate = Certificate.objects.get()
    assert certificate.pdf.open("rb").read(5) == b"%PDF-"
    assert certificate.credential["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"


def test_running_the_task_twice_changes_nothing(catalogue, celery_worker) -> None:
    take_course(catalogue.learner, catalogue.basics)
    wait_until(finished, what="the first run")
    first = Certificate.objects.get()
    for _ in range(2):
        certificate_render.delay(str(first.pk)).get(timeout=60)
    again = Certificate.objects.get()
    assert (again.credential, again.pdf.name, again.signed_at) == (
        first.credential,
        first.pdf.name,
        first.signed_at,
    )


def test_a_worker_killed_half_way_leaves_one_certificate_that_the_next_one_finishes(
    catalogue, workers, tmp_path: Path
) -> None:
    pause = tmp_path / "pause"
    pause.touch()
    # This worker loads the barrier (worker_barrier.py): it stops after signing, before the PDF.
    doomed = workers.start(
        DJANGO_SETTINGS_MODULE="tests.certificates.worker_settings",
        TANGKAS_TEST_PAUSE_BEFORE_PDF=str(pause),
    )
    take_course(catalogue.learner, catalogue.basics)
    wait_until(
        lambda: Path(str(pause) + ".reached").exists(),
        what="the worker to sign and stop before the PDF",
    )
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait(timeout=30)
    half = Certificate.objects.get()
    assert half.credential and not half.pdf
    workers.start()
    certificates_sweep.delay(older_than_seconds=0).get(timeout=60)
    wait_until(finished, what="the next worker to finish the certificate")
    done = Certificate.objects.get()
    assert done.credential == half.credential  # signed once, not again
    assert Certificate.objects.count() == 1


def test_with_the_broker_down_at_completion_the_sweep_finishes_later(
    catalogue, workers, settings
) -> None:
    from lms.celery import app

    real = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        take_course(catalogue.learner, catalogue.basics)
    finally:
        app.conf.broker_url = real
    waiting = Certificate.objects.get()
    assert not waiting.credential and not waiting.pdf
    workers.start()
    certificates_sweep.delay(older_than_seconds=0).get(timeout=60)
    wait_until(finished, what="the sweep to have the certificate finished")
    assert Certificate.objects.count() == 1

"""The first ``make run`` on a fresh clone, dependencies installed (issue 15: the first page
within 30 s).

The committed code is cloned into a temporary folder and its dependencies installed there
(``make install``: uv from its cache; not timed). Then ``make run`` starts as a newcomer's
would: no ``DATABASE_URL`` (the embedded PostgreSQL), no broker, and an empty snapshot folder,
as on a machine that never built the demo city. The time is until ``/`` answers 200. The same
clone is then stopped, its database removed, and started again: that run restores the
snapshot the first one saved (reported beside, for reading).

The one budget in seconds: the issue sets it so. Run alone with ``BENCH_ONLY=first-run``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.workloads import Result

BASE_DIR = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 30
#: What the bench sets for itself and a newcomer's shell has not.
_NOT_A_NEWCOMERS = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 (http on the loopback)
            return answer.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _timed_run(clone: Path, environment: dict[str, str], log: Path) -> float:
    """Seconds from ``make run`` until ``/`` answers; then stops it (and its children)."""
    port = environment["RUN_PORT"]
    started = time.monotonic()
    with log.open("ab") as output:
        run = subprocess.Popen(
            ["make", "run"],
            cwd=clone,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        while not _answers(f"http://127.0.0.1:{port}/"):
            if run.poll() is not None:
                raise RuntimeError(f"make run exited ({run.returncode}); see {log}")
            if time.monotonic() - started > 300:
                raise RuntimeError(f"make run did not answer in 300 s; see {log}")
            time.sleep(0.2)  # between looks at another process's port; it signals nothing
        return time.monotonic() - started
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        try:
            run.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()


def first_run() -> Result:
    with tempfile.TemporaryDirectory(prefix="tangkas-first-run-") as work:
        clone = Path(work) / "tangkas"
        subprocess.run(["git", "clone", "--quiet", str(BASE_DIR), str(clone)], check=True)
        installing = time.monotonic()
        subprocess.run(["make", "install"], cwd=clone, check=True, capture_output=True)
        installed = time.monotonic() - installing
        environment = {k: v for k, v in os.environ.items() if k not in _NOT_A_NEWCOMERS}
        environment.update(DEMO_SNAPSHOT_DIR=str(Path(work) / "cache"), RUN_PORT=str(_free_port()))
        log = Path(work) / "make-run.log"
        first = _timed_run(clone, environment, log)
        shutil.rmtree(clone / ".devdb")
        again = _timed_run(clone, environment, log)
    return Result(
        name="first make run on a fresh clone (deps installed), until / answers",
        size=0,
        median_ms=first * 1000,
        queries=0,
        floor_ms=None,
        budget_ms=BUDGET_SECONDS * 1000,
        note=f"{first:.1f} s; then {again:.1f} s from the snapshot it saved "
        f"(make install before it: {installed:.0f} s, not counted)",
    )

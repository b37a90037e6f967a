"""``manage.py runserver`` started beside ``seed_demo`` (``make run``): with ``SERVE_AFTER``
naming a file, it listens only once the file is gone; without, it is Django's command."""

from __future__ import annotations

import contextlib
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from lms.management.commands import runserver

BASE_DIR = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _test_database_url() -> str:
    """The test database (the one ``DATABASE_URL`` names may not exist)."""
    from django.db import connection

    config = connection.settings_dict
    user = quote(config["USER"] or "")
    if config["PASSWORD"]:
        user += ":" + quote(config["PASSWORD"], safe="")
    host = quote(config["HOST"] or "localhost", safe="")
    port = f":{config['PORT']}" if config["PORT"] else ""
    return f"postgres://{user}@{host}{port}/{config['NAME']}"


@pytest.mark.django_db
def test_it_listens_only_once_the_file_is_gone(tmp_path) -> None:
    marker = tmp_path / "seeding"
    marker.touch()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "SERVE_AFTER": str(marker),
            "PYTHONUNBUFFERED": "1",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(
            target=lambda: [lines.put(line) for line in server.stdout], daemon=True
        )
        reader.start()
        seen = []
        while not any("Waiting for the demo city" in line for line in seen):
            # the project imported, the command at its wait (else: what it said instead)
            try:
                seen.append(lines.get(timeout=60))
            except queue.Empty:
                raise AssertionError(f"runserver did not wait: {seen}") from None
        # A port that stays shut has no event of its own: the test waits on the server's exit
        # (which must not come) while it looks at the file fifteen times, long enough for it
        # to have listened, and looks at the port in between.
        for _ in range(5):
            assert not _listening(port)
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=runserver.POLL_SECONDS * 3)
            assert server.poll() is None, "runserver exited while waiting"
        marker.unlink()
        deadline = time.monotonic() + 60
        while not _listening(port):
            assert time.monotonic() < deadline, "runserver did not listen after the file went"
            try:  # its exit, or a tenth of a second before looking at the port again
                server.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                continue
            reader.join(timeout=10)  # its output ends with it
            said = seen + [lines.get() for _ in range(lines.qsize())]
            raise AssertionError(f"runserver exited ({server.returncode}): {said}")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as answer:
            assert answer.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)

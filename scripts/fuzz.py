"""``make fuzz``: a long property-based run of the HR API against a real server.

CI runs the same checks in-process with a few examples per operation
(``tests/api/test_schema.py``); this run is the long one (tens of thousands of requests):

1. A throw-away database, ``<name of DATABASE_URL's>_fuzz`` (or ``tangkas_fuzz`` in the
   embedded PostgreSQL when ``DATABASE_URL`` is unset), dropped and created afresh, migrated,
   with the demo city loaded (``seed_demo``), so that generated ids meet real people.
2. An API client with every scope, and a bearer token for it from ``/o/token/``.
3. gunicorn serving the site under the test settings (no DEBUG) on a free port of the
   loopback. The API throttles are raised so that the run exercises the operations rather
   than the 429 (the throttles have their own tests), and background tasks are queued in
   memory and never run (no PDF is rendered, no webhook is sent to the URLs the run makes up).
4. ``schemathesis run`` with every check and every phase (examples, coverage, fuzzing,
   stateful), configured by ``schemathesis.toml``; ``FUZZ_EXAMPLES`` examples per operation
   and phase (default 300), ``FUZZ_SEED`` for a reproducible run. The reports (JUnit, NDJSON
   events, a pytest file reproducing any failure) go to ``var/fuzz/``.
5. The figures: requests sent and failures by kind; the exit status is schemathesis's.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
REPORT_DIR = BASE_DIR / "var" / "fuzz"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
SEED = os.environ.get("FUZZ_SEED", "2026")
WORKERS = os.environ.get("FUZZ_WORKERS", "2")


def say(message: str) -> None:
    print(f"[fuzz] {message}", flush=True)


def fuzz_database_url() -> tuple[str, str]:
    """The URL of the throw-away database and of its server's maintenance database."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        from lms import embedded_db

        url = embedded_db.start()
    parsed = urllib.parse.urlsplit(url)
    name = dj_database_url.parse(url)["NAME"]
    fuzz = parsed._replace(path=f"/{name}_fuzz").geturl()
    maintenance = parsed._replace(path="/postgres").geturl()
    return fuzz, maintenance


def recreate_database(url: str, maintenance: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    name = dj_database_url.parse(url)["NAME"]
    conninfo = _conninfo(maintenance)
    with psycopg.connect(autocommit=True, **conninfo) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _conninfo(url: str) -> dict[str, str]:
    import dj_database_url

    settings = dj_database_url.parse(url)
    info = {"dbname": settings["NAME"], "user": settings["USER"], "host": settings["HOST"]}
    if settings.get("PASSWORD"):
        info["password"] = settings["PASSWORD"]
    if settings.get("PORT"):
        info["port"] = str(settings["PORT"])
    return info


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"[fuzz] manage.py {args[0]} failed ({result.returncode})")
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_schema(port: int, server: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"[fuzz] the server exited with {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/schema/?format=json")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)  # polling the server until it answers
    raise SystemExit("[fuzz] the server did not answer within two minutes")


def bearer_token(port: int, client_id: str, secret: str) -> str:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST",
        "/o/token/",
        body="grant_type=client_credentials",
        headers={
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    return json.load(connection.getresponse())["access_token"]


def figures(events_path: Path) -> tuple[int, dict[str, int]]:
    """Requests sent and unique failures by kind, from the NDJSON event stream of the run."""
    requests = 0
    failures: dict[str, set[str]] = defaultdict(set)
    with events_path.open() as events:
        for line in events:
            finished = json.loads(line).get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished.get("recorder") or {}
            requests += len(recorder.get("interactions") or {})
            for checks in (recorder.get("checks") or {}).values():
                for check in checks:
                    if check.get("status") != "failure":
                        continue
                    failure = check["failure_info"]["failure"]
                    kind = f"{failure['code']} {failure['title']}"
                    failures[kind].add(f"{failure['operation']}\n{failure['message']}")
    return requests, {kind: len(found) for kind, found in sorted(failures.items())}


def main() -> int:
    from dotenv import load_dotenv

    load_dotenv(BASE_DIR / ".env", override=False)
    sys.path.insert(0, str(BASE_DIR))
    url, maintenance = fuzz_database_url()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": url,
        "API_RATE_CLIENT": "1000000/min",
        "API_RATE_ANON": "1000000/min",
        "API_RATE_VERIFY": "1000000/min",
        "API_TOKEN_SECONDS": "86400",
        # Background tasks (certificate PDFs, webhook deliveries) go to a queue in memory that
        # nothing reads: the run measures the API, and sends nothing to the URLs it registers.
        "CELERY_BROKER_URL": "memory://",
        "CELERY_RESULT_BACKEND": "cache+memory://",
        "TANGKAS_WORKER_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
    }
    say(f"A fresh database for the run: {_conninfo(url)['dbname']}")
    recreate_database(url, maintenance)
    manage(env, "migrate", "--noinput", "-v", "0")
    say("Loading the demo city (seed_demo) …")
    manage(env, "seed_demo")
    scopes = manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(*settings.API_SCOPES)",
    ).strip()
    client = json.loads(manage(env, "create_api_client", "Fuzzer", "--scopes", scopes))

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    server_log = (REPORT_DIR / "server.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lms.wsgi_app:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            WORKERS,
            "--timeout",
            "120",
            # No limit on the request line: the run tests the application's answer to a long
            # query string, not gunicorn's (the proxy in front sets its own limit).
            "--limit-request-line",
            "0",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_schema(port, server)
        token = bearer_token(port, client["client_id"], client["client_secret"])
        events = REPORT_DIR / "events.ndjson"
        say(f"schemathesis: every check, every phase, {EXAMPLES} examples per operation …")
        run = subprocess.run(
            [
                str(Path(sys.executable).parent / "schemathesis"),
                "run",
                f"{base}/api/v1/schema/?format=json",
                "--checks",
                "all",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--mode",
                "all",
                "--max-examples",
                str(EXAMPLES),
                "--seed",
                SEED,
                "--workers",
                WORKERS,
                "--header",
                f"Authorization: Bearer {token}",
                "--suppress-health-check",
                "all",
                "--request-timeout",
                "60",
                "--report",
                "junit,ndjson,pytest",
                "--report-dir",
                str(REPORT_DIR),
                "--report-ndjson-path",
                str(events),
            ],
            cwd=BASE_DIR,
            env=env,
            check=False,
        )
        requests, failures = figures(events)
        say(f"Requests sent: {requests}")
        say(
            "Failures by kind: "
            + (", ".join(f"{kind}: {count}" for kind, count in failures.items()) or "none")
        )
        say(f"Reports in {REPORT_DIR.relative_to(BASE_DIR)}/ (the server's log: server.log)")
        return run.returncode
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server_log.close()


if __name__ == "__main__":
    sys.exit(main())

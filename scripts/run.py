"""``make run``: set up and serve Tangkas for development, and stop everything on Ctrl-C.

1. When ``DATABASE_URL`` is unset, start the embedded PostgreSQL (``.devdb/``).
2. On an empty embedded database, restore the demo city's snapshot of this version when there
   is one (``lms.demo_snapshot``); else restore the migrated database shipped in the
   repository when it is that of these migrations (``lms.migrated_schema``), or check the
   database answers and migrate; then load the demo city (and save a snapshot). Compile the
   message catalogues.
3. Start a Celery worker (with beat) when ``CELERY_BROKER_URL`` is set; otherwise say that
   tasks run in-process.
4. Serve http://127.0.0.1:8000 with Django's development server.

Ctrl-C (or SIGTERM) stops the server, the worker and the embedded database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
os.environ.setdefault("PYTHONUNBUFFERED", "1")

HOST = os.environ.get("RUN_HOST", "127.0.0.1")
PORT = os.environ.get("RUN_PORT", "8000")


#: Present while the demo city loads; the development server listens once it is gone.
SEEDING = BASE_DIR / "var" / "run" / "seeding"


def start_server(**environment: str) -> subprocess.Popen[bytes]:
    """Django's development server (``lms/management/commands/runserver.py``)."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"{HOST}:{PORT}"],
        cwd=BASE_DIR,
        env={**os.environ, **environment},
    )


def say(message: str) -> None:
    print(f"[tangkas] {message}", flush=True)


def manage(*args: str) -> None:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, check=False)
    if result.returncode != 0:
        raise SystemExit(result.returncode)


def _mail_destination() -> str:
    """Where the mails development sends end up (lms/settings/dev.py reads the same variables)."""
    backend = os.environ.get("EMAIL_BACKEND", "").strip() or "filebased"
    if "filebased" in backend:
        folder = os.environ.get("EMAIL_FILE_PATH", "").strip() or str(BASE_DIR / "var" / "mail")
        return f"written to files in {folder}/ (one .log per batch; nothing is sent)"
    if "console" in backend:
        return "printed in this terminal (nothing is sent)"
    if "smtp" in backend:
        host = os.environ.get("EMAIL_HOST", "").strip() or "localhost"
        port = os.environ.get("EMAIL_PORT", "").strip() or "25"
        return f"sent through SMTP at {host}:{port}"
    return f"handled by {backend}"


def _interrupt(signum: int, frame: object) -> None:
    """Treat SIGTERM like Ctrl-C so both stop every child and the embedded database."""
    raise KeyboardInterrupt


def main() -> int:
    from dotenv import load_dotenv

    # Set both explicitly: a shell starting us in the background ignores SIGINT, and Python
    # then keeps ignoring it.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    load_dotenv(BASE_DIR / ".env", override=False)
    embedded = False
    if not os.environ.get("DATABASE_URL"):
        from lms import embedded_db

        say("DATABASE_URL is not set: starting the embedded PostgreSQL in .devdb/ …")
        os.environ["DATABASE_URL"] = embedded_db.start()
        embedded = True
    else:
        say("Using the PostgreSQL named by DATABASE_URL.")

    children: list[subprocess.Popen[bytes]] = []

    def stop_all(*_: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        if embedded:
            from lms import embedded_db

            embedded_db.stop()
            say("Embedded PostgreSQL stopped.")

    try:
        (BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)
        restored = False
        if embedded:
            from lms import demo_snapshot

            why_not = demo_snapshot.restore(os.environ["DATABASE_URL"])
            restored = not why_not
            if restored:
                say("Demo city restored from the snapshot of this version (lms/demo_snapshot.py).")
        migrated = False
        if embedded and not restored:
            from lms import migrated_schema

            why_not_migrated = migrated_schema.restore(os.environ["DATABASE_URL"])
            migrated = not why_not_migrated
            say(
                "Schema restored from the migrated database shipped in lms/data/."
                if migrated
                else f"Migrating: {why_not_migrated}."
            )
        if not restored and not migrated:
            manage("check_database")
            manage("migrate", "--noinput", "-v", "0")
        subprocess.run([sys.executable, "-m", "lms.catalogues"], cwd=BASE_DIR, check=True)
        server: subprocess.Popen[bytes] | None = None
        if not restored:
            # The development server starts beside seed_demo (its imports take seconds) and
            # listens once the marker is gone: after the demo city and its snapshot.
            SEEDING.parent.mkdir(parents=True, exist_ok=True)
            SEEDING.touch()
            server = start_server(SERVE_AFTER=str(SEEDING))
            children.append(server)
            say("Loading the demo city, courses and logins (seed_demo; quick when already there) …")
            manage("seed_demo")
            # Only when the tasks ran in-process: with a broker, the demo's tasks (mails,
            # certificate files) wait in the queue and would be missing from the snapshot.
            broker = os.environ.get("CELERY_BROKER_URL", "")
            if (
                embedded
                and not broker
                and why_not in (demo_snapshot.NO_SNAPSHOT, demo_snapshot.TOO_OLD)
            ):
                saved = demo_snapshot.save(os.environ["DATABASE_URL"])
                say(
                    "Demo city saved as a snapshot: a fresh clone of this version starts in seconds."
                    if not saved
                    else f"No snapshot saved: {saved}."
                )
            SEEDING.unlink(missing_ok=True)

        broker = os.environ.get("CELERY_BROKER_URL", "")
        if broker:
            say("Starting a Celery worker (with beat) on CELERY_BROKER_URL …")
            children.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "lms",
                        "worker",
                        "--beat",
                        "--schedule",
                        str(BASE_DIR / "var" / "celerybeat-schedule"),
                        "--loglevel",
                        "INFO",
                        "--concurrency",
                        "2",
                    ],
                    cwd=BASE_DIR,
                )
            )
        else:
            say("CELERY_BROKER_URL is not set: background tasks run in-process (no worker).")

        if server is None:
            children.append(start_server())
        password = os.environ.get("DEMO_PASSWORD", "tangkas-demo")
        say("")
        say(f"Tangkas is starting at http://{HOST}:{PORT}/")
        say(f"  Home ............ http://{HOST}:{PORT}/")
        say(f"  Courses ......... http://{HOST}:{PORT}/courses/")
        say(f"  Admin (Wagtail) . http://{HOST}:{PORT}/admin/")
        say(f"  Health .......... http://{HOST}:{PORT}/readyz")
        say(
            f"  Demo logins (password {password}): demo.pegawai, demo.kepala, demo.kadis, demo.hr, demo.ppk, admin"
        )
        say(f"  Mail ............ {_mail_destination()}")
        say("Press Ctrl-C to stop everything.")

        while True:
            for child in children:
                if child.poll() is not None:
                    say(f"A process exited (code {child.returncode}); stopping everything.")
                    return child.returncode or 1
            time.sleep(0.5)  # polling the children; nothing here waits on timing
    except KeyboardInterrupt:
        say("Stopping …")
        return 0
    finally:
        stop_all()
        SEEDING.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())

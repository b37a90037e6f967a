"""Production settings refuse to start without their secrets, and pass ``check --deploy``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
GOOD_ENV = {
    "SECRET_KEY": "x7#kq2!m9v@t4z$w8p&r1n^c6b*h3j(f5d)g0s-a+e=l_u~y%i",
    "DATABASE_URL": "postgres://tangkas:secret@db.internal:5432/tangkas",
    "ALLOWED_HOSTS": "tangkas.example.go.id",
    "CREDENTIAL_SIGNING_KEY_FILE": "/run/secrets/tangkas-signing-key.pem",
    "CACHE_URL": "redis://cache.internal:6379/1",
    "CREDENTIAL_SUBJECT_KEY": "Vq3!rT8#mZ1@kP6$wN4%yB9^cX2&hJ7*",
}


def run_manage(
    args: list[str], env_overrides: dict[str, str | None]
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "CACHE_URL"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "lms.settings.production"
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "missing",
    ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "CACHE_URL", "CREDENTIAL_SUBJECT_KEY"],
)
def test_production_refuses_to_start_without_a_secret(missing: str) -> None:
    result = run_manage(["check"], {**GOOD_ENV, missing: None})
    assert result.returncode != 0
    assert missing in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_production_refuses_to_start_without_a_signing_key() -> None:
    result = run_manage(
        ["check"], {**GOOD_ENV, "CREDENTIAL_SIGNING_KEY_FILE": None, "CREDENTIAL_SIGNING_KEY": None}
    )
    assert result.returncode != 0
    assert "CREDENTIAL_SIGNING_KEY" in result.stderr and "Traceback" not in result.stderr


def test_production_refuses_a_short_credential_subject_key() -> None:
    """A guessable key would let a guesser who knows one NIP recover the key, then any NIP."""
    result = run_manage(["check"], {**GOOD_ENV, "CREDENTIAL_SUBJECT_KEY": "tangkas"})
    assert result.returncode != 0
    assert "CREDENTIAL_SUBJECT_KEY" in result.stderr and "Traceback" not in result.stderr


def test_production_refuses_a_short_secret_key() -> None:
    result = run_manage(["check"], {**GOOD_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_reports_nothing() -> None:
    result = run_manage(["check", "--deploy", "--fail-level", "DEBUG"], GOOD_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "postgres://user:pw@host:notaport/db",
        "sqlite:///tangkas.db",
        "postgres://user@host:5432/",
    ],
)
def test_a_bad_database_url_gives_one_line_naming_the_variable(url: str) -> None:
    result = run_manage(["check"], {**GOOD_ENV, "DATABASE_URL": url})
    assert result.returncode != 0
    assert result.stderr.startswith("tangkas: DATABASE_URL")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unreachable_database_gives_one_line_naming_the_variable() -> None:
    # Port 1 on the loopback refuses connections at once.
    result = run_manage(
        ["migrate", "--check"],
        {**GOOD_ENV, "DATABASE_URL": "postgres://tangkas:pw@127.0.0.1:1/tangkas"},
    )
    assert result.returncode == 2
    assert result.stderr.startswith(
        "tangkas: DATABASE_URL: cannot connect to the database at 127.0.0.1:1/tangkas"
    )
    assert "pw" not in result.stderr.replace("tangkas:", "")
    assert "Traceback" not in result.stderr


def test_production_refuses_webhooks_to_private_addresses() -> None:
    result = run_manage(["check"], {**GOOD_ENV, "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true"})
    assert result.returncode != 0
    assert "WEBHOOKS_ALLOW_PRIVATE_TARGETS" in result.stderr and "Traceback" not in result.stderr

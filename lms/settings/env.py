"""Reading typed values from the environment, with errors that name the variable."""

from __future__ import annotations

import os

import dj_database_url

from lms.startup import StartupError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise StartupError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise StartupError(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def require(name: str) -> str:
    value = env_str(name)
    if not value:
        raise StartupError(f"{name} must be set in the environment (see .env.example)")
    return value


def database_from_url(url: str, *, conn_max_age: int = 0, variable: str = "DATABASE_URL") -> dict:
    """Parse ``DATABASE_URL`` (or the URL of ``variable``); only PostgreSQL is accepted."""
    try:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    except Exception as exc:
        raise StartupError(
            f"{variable} is malformed ({exc}); expected postgres://USER:PASSWORD@HOST:PORT/NAME"
        ) from None
    if config.get("ENGINE") != "django.db.backends.postgresql":
        raise StartupError(
            f"{variable} must point at PostgreSQL (postgres://…); Tangkas runs on nothing else"
        )
    if not config.get("NAME"):
        raise StartupError(f"{variable} names no database; expected postgres://…/NAME")
    # Gap queries aggregate millions of evidence rows organisation-wide: give each connection
    # enough sort/hash memory not to spill to disk, and skip JIT compilation, which costs more
    # than it saves on these queries (docs/BENCHMARKS.md). Set at connect time: no extra query.
    work_mem = env_str("DB_WORK_MEM", "64MB")
    options = config.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c work_mem={work_mem} -c jit=off".strip()
    return config

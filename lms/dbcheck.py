"""Check that the configured database answers, and describe why it does not.

Used by ``manage.py`` at start-up, by ``make run`` before migrating, and by ``/readyz``.
The description never contains the password of ``DATABASE_URL``.
"""

from __future__ import annotations

from django.db import connections


def _where(alias: str = "default") -> str:
    settings_dict = connections[alias].settings_dict
    host = settings_dict.get("HOST") or "local socket"
    port = settings_dict.get("PORT") or ""
    name = settings_dict.get("NAME") or ""
    return f"{host}{':' + str(port) if port else ''}/{name}"


def describe_database_error(exc: BaseException, alias: str = "default") -> str:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"DATABASE_URL: cannot connect to the database at {_where(alias)}: {reason}"


def database_check(alias: str = "default") -> str | None:
    """Return None when the database answers ``SELECT 1``, else a one-line reason."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        # A broken connection must not be reused by the next probe.
        connection.close_if_unusable_or_obsolete()
        return describe_database_error(exc, alias)
    return None

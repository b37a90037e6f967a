"""Whole pages cached per person, and never served after the data behind them changed.

The learner's pages, the head's dashboard and the verification page are read far more often
than anything they show changes; each costs 20–120 ms to build. A rendered page is kept in the
cache (``PAGE_CACHE_SECONDS``) under a key made of:

- the **data generation**: one counter in the shared cache, raised after every transaction
  that wrote to the database (and at once for a write outside a transaction). Every database
  connection carries an execute wrapper (``note_writes``) that sees each statement; anything
  but a plain read counts as a write, except writes to tables no page shows
  (``IGNORED_TABLES``: sessions, login attempts). So a page is never served once anything may
  have changed, whoever wrote it: a view, the Wagtail admin, a Celery worker, a command. The
  price is that a write anywhere retires every cached page; a busy morning of reading keeps
  them, a bulk import empties them;
- who asks: the session's contents (the user and their password's hash, a page password
  entered, a language chosen); visitors without a session share the page, and so do two
  sessions of one person. A form's CSRF token is not kept: it
  is cut out when the page is kept and the asker's own is put in when it is served;
- what is asked: host, path with query string, language and today's date in
  ``TIME_ZONE`` (the "as of today" figures change at midnight in Jakarta);
- inside an open transaction (tests; a request that is itself atomic), the number of writes
  this connection made, since uncommitted writes have raised no generation yet.

Only the views named in ``PAGE_CACHE_VIEWS`` are cached, only ``GET`` answers ``200`` with a
complete body, and never a page that shows or would show a message ("Saved."), that wrote
to the database while being built (a view with a write side effect is built every time) or
that read from the read replica (which may lag the write that raised the generation). A
hit skips the view, so its database queries too; everything around the view (security
headers, CSRF cookie, session) runs as for any page. The cache must be shared by every
process (``CACHE_URL``), so ``PAGE_CACHE_SECONDS`` defaults to 0 without it.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.urls import Resolver404, get_resolver
from django.utils import timezone, translation

from core.data_generation import WRITES_ATTRIBUTE, data_changed, generation
from core.db_router import replica_read

logger = logging.getLogger(__name__)

KEY_PREFIX = "tangkas:page:"
#: Tables whose writes no cached page can show: sessions (the session's own contents are in
#: the key) and the login lockout's records; and the time of a login (``_IGNORED``).
IGNORED_TABLES = (
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    # Derived from writes that raised the generation themselves (competencies.rollups).
    "competencies_summaryrollup",
    "competencies_summaryrollupmark",
    "competencies_summaryrollupstate",
)
#: Session entries that change without changing any page (the idle timeout's clock).
VOLATILE_SESSION_KEYS = frozenset({"tangkas_last_seen"})

_READ = re.compile(
    r"[\s(]*(?:SELECT|WITH|SHOW|SET|SAVEPOINT|RELEASE|BEGIN|COMMIT|START|DECLARE|FETCH|CLOSE"
    r"|EXPLAIN|VALUES|LISTEN|UNLISTEN|PREPARE|DEALLOCATE|RESET|DISCARD)\b",
    re.IGNORECASE,
)
# A read statement that may still write: a data-modifying CTE, a row lock taken to write next,
# or one of the database functions that maintain tables (competencies/proficiency.py).
_WRITE_INSIDE = re.compile(
    r"\b(?:INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b|competencies_proficiency_(?:rebuild|refresh)",
    re.IGNORECASE,
)
#: Where a form's CSRF token was (any 64 letters and digits that unmask to the asker's secret).
CSRF_PLACEHOLDER = b"\x00tangkas-csrf-token\x00"
_MASKED_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_ROLLBACK_TO = re.compile(r"\s*ROLLBACK\s+TO\b", re.IGNORECASE)
_IGNORED_NAMES = "|".join(re.escape(table) for table in IGNORED_TABLES)
_IGNORED = re.compile(
    rf"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(?:{_IGNORED_NAMES})\"?(?:[\s(]|$)"
    # A login's time (Django's update_last_login), which no page shows: a busy morning's
    # logins would otherwise retire every page each time.
    r'|\s*UPDATE\s+"auth_user"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE\s+"auth_user"\."id"\s*=\s*%s\s*$',
    re.IGNORECASE,
)

#: Set when the current request (or task) wrote: its page is not worth keeping.
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("tangkas_pagecache_wrote")


def is_write(sql: str) -> bool:
    """Whether ``sql`` may change what a page shows (conservative: unknown means yes)."""
    if _READ.match(sql):
        return bool(_WRITE_INSIDE.search(sql))
    return not _IGNORED.match(sql)


# --- The data generation (core.data_generation) -------------------------------------------


def note_writes(
    execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Execute wrapper on every connection: counts the connection's writes and raises the
    generation once the writing transaction commits (at once in autocommit)."""
    result = execute(sql, params, many, context)
    text = sql if isinstance(sql, str) else str(sql)
    rolled_back = _ROLLBACK_TO.match(text) is not None
    if not rolled_back and not is_write(text):
        return result
    connection = context["connection"]
    setattr(connection, WRITES_ATTRIBUTE, getattr(connection, WRITES_ATTRIBUTE, 0) + 1)
    if rolled_back:
        return result
    _wrote.set(True)
    if not connection.in_atomic_block:
        data_changed()
    elif not any(callback is data_changed for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(data_changed, using=connection.alias, robust=True)
    return result


@receiver(connection_created, dispatch_uid="lms.pagecache.note_writes")
def _watch_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    if note_writes not in connection.execute_wrappers:
        # First, so outermost: the wrappers pushed and popped by ``execute_wrapper`` blocks
        # (the audit trail's context) may be open while a connection is made, and pop the
        # last one on leaving.
        connection.execute_wrappers.insert(0, note_writes)


@receiver(setting_changed, dispatch_uid="lms.pagecache.setting_changed")
def _setting_changed(**kwargs: Any) -> None:
    data_changed()


# --- The middleware -----------------------------------------------------------------------


def _pending_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and bool(storage._loaded_messages or storage._queued_messages)


def _key(request: HttpRequest) -> str:
    from django.db import connection

    session = getattr(request, "session", None)
    # The session's contents, not its key: they name the user (and the hash of their
    # password, so a changed password changes the key), a page password given, and so on.
    # Two sessions of one person with the same contents get the same page.
    contents = None
    if session is not None and session.session_key is not None:
        kept = {k: v for k, v in session.items() if k not in VOLATILE_SESSION_KEYS}
        contents = json.dumps(kept, sort_keys=True, default=str)
    local_writes = getattr(connection, WRITES_ATTRIBUTE, 0) if connection.in_atomic_block else 0
    parts = [
        request.get_host(),
        request.scheme,
        request.get_full_path(),
        translation.get_language(),
        timezone.localdate().isoformat(),
        contents,
        local_writes,
    ]
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
    return f"{KEY_PREFIX}{generation()}:{digest}"


class PageCacheMiddleware:
    """Serves and keeps the pages of ``PAGE_CACHE_VIEWS``. In ``MIDDLEWARE`` it comes after
    the session, CSRF, messages and the idle timeout (settled before a lookup) and before the
    audit trail's middleware, which would load the user for a page served from the cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key_of(request)
        if key is not None:
            try:
                entry = cache.get(key)
            except Exception:
                logger.warning("the page cache could not be read", exc_info=True)
                entry, key = None, None
            if entry is not None:
                return self._serve(request, entry)
        token, replica_token = _wrote.set(False), replica_read.set(False)
        try:
            response = self.get_response(request)
            if key is not None and self._keepable(request, response):
                self._keep(key, request, response)
            return response
        finally:
            _wrote.reset(token)
            replica_read.reset(replica_token)

    @staticmethod
    def _key_of(request: HttpRequest) -> str | None:
        if (
            settings.PAGE_CACHE_SECONDS <= 0
            or request.method != "GET"
            # Who asks is in the session; a request that names itself otherwise (an API
            # token) is never served what another asker was.
            or "HTTP_AUTHORIZATION" in request.META
        ):
            return None
        try:
            match = get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name not in settings.PAGE_CACHE_VIEWS or _pending_messages(request):
            return None
        try:
            return _key(request)
        except Exception:
            logger.warning("the page cache could not be read", exc_info=True)
            return None

    @staticmethod
    def _serve(request: HttpRequest, entry: tuple[bytes, list[tuple[str, str]]]) -> HttpResponse:
        content, headers = entry
        if CSRF_PLACEHOLDER in content:
            # The asker's own token, and their CSRF cookie set or renewed, as building would.
            content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in headers:
            response.headers[name] = value
        response["X-Page-Cache"] = "hit"
        return response

    @staticmethod
    def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not _wrote.get()
            # What the read replica answered may lag a write the generation already counts.
            and not replica_read.get()
            and not _pending_messages(request)
        )

    @staticmethod
    def _keep(key: str, request: HttpRequest, response: HttpResponse) -> None:
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "set-cookie"]
        content = response.content
        secret = request.META.get("CSRF_COOKIE")
        if secret and request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            content = _MASKED_TOKEN.sub(
                lambda found: (
                    CSRF_PLACEHOLDER
                    if _unmask_cipher_token(found.group().decode()) == secret
                    else found.group()
                ),
                content,
            )
        try:
            cache.set(key, (content, headers), settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("the page cache could not be written", exc_info=True)
        response["X-Page-Cache"] = "miss"

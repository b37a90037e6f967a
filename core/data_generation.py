"""The data generation: one counter in the shared cache, raised after every transaction that
wrote to the database (``lms.pagecache.note_writes`` watches every connection's statements).
What is kept under it is never served once anything may have changed, whoever wrote it.

``lms.pagecache`` keeps whole pages under it; ``kept_until_write`` keeps a computed value
(figures every page of a unit shows, say), under the same rules: only with a shared cache
(``PAGE_CACHE_SECONDS`` > 0), never inside a transaction that has written (its writes raise
no generation before they commit), never what was read from the read replica (which may lag
the write that raised the generation).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache

from core.db_router import replica_read

logger = logging.getLogger(__name__)

GENERATION_KEY = "tangkas:pagecache:generation"
KEPT_PREFIX = "tangkas:kept:"
#: The attribute ``lms.pagecache.note_writes`` counts a connection's writes in.
WRITES_ATTRIBUTE = "tangkas_writes"

T = TypeVar("T")


def generation() -> int:
    """The current data generation. A cache that lost it starts from the clock, never from a
    number an older value may have been kept under."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return int(value)


def data_changed(**kwargs: Any) -> None:
    """Retire everything kept. Called after each writing transaction commits; call it
    yourself after changing data behind Django's back (``psql``)."""
    try:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        cache.incr(GENERATION_KEY)
    except Exception:  # the cache is down: nothing is served from it either
        logger.warning("the data generation could not be raised", exc_info=True)


def kept_until_write(name: str, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``, kept in the shared cache under ``name`` and ``parts`` until the next
    write anywhere (at most ``PAGE_CACHE_SECONDS``); computed afresh where it may not be."""
    from django.db import connection

    if settings.PAGE_CACHE_SECONDS <= 0 or (
        connection.in_atomic_block and getattr(connection, WRITES_ATTRIBUTE, 0)
    ):
        return compute()
    try:
        # The generation before computing: a write that commits meanwhile retires the value.
        digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
        key = f"{KEPT_PREFIX}{name}:{generation()}:{digest}"
        kept = cache.get(key)
    except Exception:
        logger.warning("the cache could not be read", exc_info=True)
        return compute()
    if kept is not None:
        return kept
    token = replica_read.set(False)
    try:
        value = compute()
        from_replica = replica_read.get()
    finally:
        replica_read.reset(token)
    if from_replica:
        replica_read.set(True)  # the caller's page may not be kept either
        return value
    try:
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("the cache could not be written", exc_info=True)
    return value

"""Heavy reads on a read replica (``DATABASE_REPLICA_URL``), writes always on the primary.

With ``DATABASE_REPLICA_URL`` set, the settings add a ``replica`` database alias and install
``ReplicaRouter``. Without it nothing here changes anything: no router is installed and
``read_alias()`` answers ``default``.

The rules:

- **Writes** always go to ``default``, and so do migrations (``allow_migrate``).
- **Reads** go to the replica only inside ``read_from_replica()`` (a context manager and a
  decorator), which the heavy read paths enter: the organisation summary, the policy reports,
  the streamed gap export and the AKPK files. Every other read stays on ``default``: the pages
  people work in never lag behind what they saved, only those paths may lag by the replica's
  delay.
- **Read your own writes**: once anything was written through the ORM in the current unit of
  work (the request, or outside a request the outermost ``read_from_replica()`` scope), its
  later reads go to ``default``: the replica may not have replayed the write yet. So do reads
  while a ``transaction.atomic`` block is open on ``default``, which may hold uncommitted
  writes. No router sees a write made with raw SQL: it counts only while its transaction is
  open. Code outside a request (a task, a command) that writes and then asks a heavy read
  runs both inside one ``read_from_replica()`` scope, or inside one transaction.

Raw SQL asks ``read_alias()`` and runs on ``connections[read_alias()]``; the ORM asks the
router. Both give the same answer. A streamed response is sent after its view has returned,
outside any scope: a stream chooses its alias when it is made (``gap_export_stream``,
``akpk_file``), not when it is sent.

The state lives in context variables, so threads and asyncio tasks never see each other's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.db import router as connection_router
from django.dispatch import receiver

#: The alias of the read replica in ``DATABASES``.
REPLICA_DB_ALIAS = "replica"


@dataclass
class _UnitOfWork:
    """A request, or outside one the outermost ``read_from_replica()`` scope."""

    wrote: bool = False


#: The unit of work of the current request (``None`` outside a request).
_request_unit: ContextVar[_UnitOfWork | None] = ContextVar("tangkas_request_unit", default=None)
#: The unit of work of the open ``read_from_replica()`` scope (``None`` outside one).
_scope_unit: ContextVar[_UnitOfWork | None] = ContextVar("tangkas_replica_scope", default=None)


@receiver(request_started, dispatch_uid="core.db_router.request_started")
def _request_starts(**kwargs: Any) -> None:
    _request_unit.set(_UnitOfWork())


@receiver(request_finished, dispatch_uid="core.db_router.request_finished")
def _request_ends(**kwargs: Any) -> None:
    _request_unit.set(None)


@contextmanager
def read_from_replica() -> Iterator[None]:
    """Let the reads inside go to the replica, when one is configured and nothing was written
    in this unit of work. Nested scopes belong to the outermost one."""
    if _scope_unit.get() is not None:
        yield
        return
    token = _scope_unit.set(_request_unit.get() or _UnitOfWork())
    try:
        yield
    finally:
        _scope_unit.reset(token)


#: Set once a read went to the replica; whoever keeps what was read (the page cache,
#: ``lms/pagecache.py``) resets it first and does not keep what may lag the primary.
replica_read: ContextVar[bool] = ContextVar("tangkas_replica_read", default=False)


def _alias_for_read() -> str:
    unit = _scope_unit.get()
    if unit is None or unit.wrote or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    replica_read.set(True)
    return REPLICA_DB_ALIAS


def replica_configured() -> bool:
    """Whether ``ReplicaRouter`` is installed (``DATABASE_REPLICA_URL`` is set)."""
    return any(isinstance(each, ReplicaRouter) for each in connection_router.routers)


def read_alias() -> str:
    """The alias a raw-SQL read runs on now: what ``ReplicaRouter`` would answer the ORM, or
    ``default`` when no replica is configured."""
    return _alias_for_read() if replica_configured() else DEFAULT_DB_ALIAS


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry when ``DATABASE_REPLICA_URL`` is set (see the module)."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        # Always an alias, never None: Django would otherwise read related rows from the
        # database an instance came from, i.e. from the replica outside any scope.
        return _alias_for_read()

    def db_for_write(self, model: type, **hints: Any) -> str:
        for unit in (_request_unit.get(), _scope_unit.get()):
            if unit is not None:
                unit.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Both aliases hold the same rows: a row read from one may point at a row of the other.
        aliases = {DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS

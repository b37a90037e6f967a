"""Spreadsheet imports that a worker runs, with their progress (services).

``import_upload`` imports a small file at once; a file with more than ``IMPORT_SYNC_MAX_ROWS``
rows becomes a job instead, so that the upload request ends quickly and the HR officer
watches it progress. The job lives in the cache (``CACHE_URL``: Redis shared by every process
in production), not in a table:

- ``import-job:<id>`` is the job record (``ImportJob``): who uploaded, what, its status, the
  rows done, and at the end the counts or every bad row. The id is 128 random bits and the
  record answers only the user who uploaded (``import_job_get``).
- ``import-job:<id>:rows`` holds the rows read from the file until the worker takes them; it
  is deleted then. Both expire after ``IMPORT_JOB_TTL_SECONDS`` whatever happens.

``competencies.tasks.import_job_run`` calls ``import_job_run``, which imports all or nothing
exactly as an import at once does (``competencies.imports``). Progress is written to the cache
while the import's transaction is still open, so another process can read it. A job runs once:
the first delivery takes it (an atomic ``cache.add``), a repeat does nothing.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from competencies import imports
from competencies.exceptions import ImportRowsError

logger = logging.getLogger(__name__)

#: How long a job record (and rows never taken) stays in the cache.
IMPORT_JOB_TTL_SECONDS = 24 * 3600
#: A running job that reported nothing for this long is shown as stopped (its worker died;
#: the import's transaction was rolled back with it).
IMPORT_JOB_STALL_SECONDS = 600
#: At most one progress write per this many seconds (and always the last row).
PROGRESS_INTERVAL_SECONDS = 0.5

Rows = list[tuple[int, dict[str, str]]]


class ImportJobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass
class ImportJob:
    """A file being imported by a worker, as the status page shows it."""

    id: str
    user_id: int
    kind: str
    total: int
    language: str
    status: str = ImportJobStatus.QUEUED
    done: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Why nothing was imported (a failed job).
    message: str = ""
    #: Every bad row of a failed job: ``(where, problem)``, e.g. ``("line 7: nip", "…")``.
    errors: list[tuple[str, str]] = field(default_factory=list)
    reported_at: float = field(default_factory=time.time)

    @property
    def finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)

    @property
    def stalled(self) -> bool:
        return (
            self.status == ImportJobStatus.RUNNING
            and time.time() - self.reported_at > IMPORT_JOB_STALL_SECONDS
        )

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 100


#: The kinds of file, and the import of each.
IMPORTERS: dict[str, Callable[..., imports.ImportResult]] = {
    "people": imports.people_import,
    "positions": imports.positions_import,
    "assignments": imports.assignments_import,
}


def import_rows(
    *, kind: str, rows: Rows, user: Any, progress: imports.Progress | None = None
) -> imports.ImportResult:
    """Import ``rows`` of ``kind`` (``people``, ``positions`` or ``assignments``) at once, all
    or nothing (``ImportRowsError`` names every bad row)."""
    if kind == "people":  # changes to people carry no audit user
        return imports.people_import(rows=rows, progress=progress)
    return IMPORTERS[kind](rows=rows, user=user, progress=progress)


def import_upload(*, kind: str, rows: Rows, user: Any) -> imports.ImportResult | ImportJob:
    """Import a file's rows at once when they are few (the result), else start a job (the
    job, to follow with ``import_job_get``)."""
    if kind not in IMPORTERS:
        raise ValueError(f"kind must be one of {sorted(IMPORTERS)}, not {kind!r}")
    if len(rows) > settings.IMPORT_SYNC_MAX_ROWS:
        return import_job_start(kind=kind, rows=rows, user=user)
    return import_rows(kind=kind, rows=rows, user=user)


def _key(job_id: str, part: str = "") -> str:
    return f"competencies:import-job:{job_id}{part}"


def _save(job: ImportJob) -> None:
    job.reported_at = time.time()
    record = {**dataclasses.asdict(job), "status": str(job.status)}
    cache.set(_key(job.id), record, IMPORT_JOB_TTL_SECONDS)


def _load(job_id: str) -> ImportJob | None:
    record = cache.get(_key(job_id))
    if record is None:
        return None
    record["errors"] = [tuple(error) for error in record["errors"]]
    return ImportJob(**record)


def import_job_start(*, kind: str, rows: Rows, user: Any) -> ImportJob:
    """Keep ``rows`` for a worker and ask one to import them once the caller's transaction
    commits. If the task cannot be sent (the broker is down), the job says so."""
    # Imported here: the task calls back into this module (the one cycle STYLE.md allows).
    from competencies.tasks import import_job_run as import_job_task

    job = ImportJob(
        id=secrets.token_urlsafe(16),
        user_id=user.pk,
        kind=kind,
        total=len(rows),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    cache.set(_key(job.id, ":rows"), rows, IMPORT_JOB_TTL_SECONDS)
    _save(job)

    def send() -> None:
        try:
            import_job_task.delay(job.id)
        except Exception:
            logger.warning("import job %s could not be sent to a worker", job.id, exc_info=True)
            unsent = _load(job.id)
            if unsent is not None and unsent.status == ImportJobStatus.QUEUED:
                with translation.override(job.language):
                    unsent.status = ImportJobStatus.FAILED
                    unsent.message = _("The import could not be started; nothing was imported.")
                _save(unsent)
                cache.delete(_key(job.id, ":rows"))

    transaction.on_commit(send)
    return job


def import_job_get(*, job_id: str, user: Any) -> ImportJob | None:
    """The job ``job_id`` if ``user`` started it, else ``None`` (as if there were none)."""
    job = _load(job_id)
    if job is None or job.user_id != getattr(user, "pk", None):
        return None
    return job


def import_job_run(*, job_id: str) -> ImportJob | None:
    """Import the rows of job ``job_id``, reporting progress; ``None`` when another run took
    it first or it expired."""
    if not cache.add(_key(job_id, ":taken"), True, IMPORT_JOB_TTL_SECONDS):
        return None
    job, rows = _load(job_id), cache.get(_key(job_id, ":rows"))
    cache.delete(_key(job_id, ":rows"))
    if job is None or rows is None:
        return None
    job.status = ImportJobStatus.RUNNING
    _save(job)
    last_report = time.monotonic()

    def progress(done: int, total: int) -> None:
        nonlocal last_report
        job.done = done
        if done == total or time.monotonic() - last_report >= PROGRESS_INTERVAL_SECONDS:
            last_report = time.monotonic()
            _save(job)

    user = get_user_model().objects.filter(pk=job.user_id).first()
    with translation.override(job.language):
        try:
            result = import_rows(kind=job.kind, rows=rows, user=user, progress=progress)
        except ImportRowsError as error:
            job.status = ImportJobStatus.FAILED
            job.message = str(error)
            job.errors = [(error.field, str(error.message)) for error in error.errors]
        except Exception as error:
            # The type only: the message of a database error can quote a NIP or a name.
            logger.error("import job %s failed: %s", job_id, type(error).__name__)
            job.status = ImportJobStatus.FAILED
            job.message = _(
                "The import stopped on an unexpected error and nothing was imported; the error "
                "was logged."
            )
        else:
            job.status = ImportJobStatus.DONE
            job.created, job.updated, job.unchanged = (
                result.created,
                result.updated,
                result.unchanged,
            )
    _save(job)
    return job

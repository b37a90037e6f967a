"""Celery tasks of the competency matrix. Each takes ids, calls one service, and is safe to
run twice."""

from __future__ import annotations

from celery import shared_task

from competencies import import_jobs, rollups


@shared_task(name="competencies.import_job_run")
def import_job_run(job_id: str) -> str | None:
    """Import the rows of a large spreadsheet (``competencies.import_jobs``); a second run of
    the same job does nothing."""
    job = import_jobs.import_job_run(job_id=job_id)
    return None if job is None else job.status


@shared_task(name="competencies.summary_rollup_refresh")
def summary_rollup_refresh() -> str | None:
    """Bring the organisation summary's per-unit rollup up to date (``competencies.rollups``):
    the units marked since the last run, or everything on a new day."""
    done = rollups.refresh()
    return None if done is None else f"{done.top_units} units, {done.cells} cells"

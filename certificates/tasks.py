"""Celery tasks for certificates. Each takes ids, calls one service, and is safe to repeat."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task

from certificates import services

logger = logging.getLogger(__name__)


@shared_task(
    name="certificates.certificate_render",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def certificate_render(certificate_id: str) -> str:
    """Sign the credential and render the PDF of one certificate (whatever is missing)."""
    certificate = services.certificate_sign_and_render(certificate_id=certificate_id)
    return str(certificate.pk)


@shared_task(name="certificates.certificates_sweep")
def certificates_sweep(older_than_seconds: int = 120) -> dict[str, int]:
    """Finish what a down broker or a dead worker left undone (rows older than a moment, so
    that the sweep does not race the normal path)."""
    issued = 0
    for enrollment_id in services.completed_enrollments_without_certificate():
        services.certificate_issue_for_enrollment(enrollment_id=enrollment_id)
        issued += 1
    unfinished = services.unfinished_certificate_ids(
        older_than=dt.timedelta(seconds=older_than_seconds)
    )
    for certificate_id in unfinished:
        certificate_render.delay(str(certificate_id))
    if issued or unfinished:
        logger.info("certificate sweep: %s issued, %s sent to be finished", issued, len(unfinished))
    return {"issued": issued, "requeued": len(unfinished)}

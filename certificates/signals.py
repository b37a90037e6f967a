"""Certificates listen for course completions and announce issuing and revoking.

- receives ``courses.signals.course_completed``: issue the certificate (after commit);
- sends ``certificate_issued(certificate_id)`` and ``certificate_revoked(certificate_id)``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import Signal, receiver

from courses.signals import course_completed

logger = logging.getLogger(__name__)

certificate_issued = Signal()
certificate_revoked = Signal()


@receiver(course_completed, dispatch_uid="certificates.issue_on_completion")
def issue_on_completion(sender: Any, enrollment_id: int, **kwargs: Any) -> None:
    from certificates.services import certificate_issue_for_enrollment

    try:
        certificate = certificate_issue_for_enrollment(enrollment_id=enrollment_id)
    except Exception:
        # The sweep issues certificates for completions that have none; never break the
        # learner's request over it.
        logger.exception(
            "issuing the certificate of enrollment %s failed; the sweep will retry", enrollment_id
        )
        return
    certificate_issued.send(sender=type(certificate), certificate_id=certificate.pk)

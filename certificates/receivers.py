"""What certificates do when another app announces something, connected in ``apps.py``.

- ``courses.signals.course_completed``: issue the certificate, then announce
  ``certificate_issued``.
"""

from __future__ import annotations

import logging
from typing import Any

from certificates.services import certificate_issue_for_enrollment
from certificates.signals import certificate_issued

logger = logging.getLogger(__name__)


def issue_on_completion(sender: Any, enrollment_id: int, **kwargs: Any) -> None:
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

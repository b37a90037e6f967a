"""What certificates do when another app announces something, connected in ``apps.py``.

- ``courses.signals.course_completed``: issue the certificate (it announces itself as
  ``certificate_issued`` once its credential is signed, ``services.certificate_sign``).
"""

from __future__ import annotations

import logging
from typing import Any

from certificates.services import certificate_issue_for_enrollment

logger = logging.getLogger(__name__)


def issue_on_completion(sender: Any, enrollment_id: int, **kwargs: Any) -> None:
    try:
        certificate_issue_for_enrollment(enrollment_id=enrollment_id)
    except Exception:
        # The sweep issues certificates for completions that have none; never break the
        # learner's request over it.
        logger.exception(
            "issuing the certificate of enrollment %s failed; the sweep will retry", enrollment_id
        )

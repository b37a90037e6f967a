"""Domain signals of the certificates app, sent after the transaction commits.

- ``certificate_issued(certificate_id)``: a course completion got its certificate;
- ``certificate_revoked(certificate_id)``: a certificate was revoked.

What certificates do when other apps announce something lives in ``receivers.py``.
"""

from django.dispatch import Signal

certificate_issued = Signal()
certificate_revoked = Signal()

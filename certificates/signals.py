"""Domain signals of the certificates app.

- ``certificate_issued(certificate_id)``: a certificate, however it was issued, has its signed
  credential. Sent once per certificate, *inside* the transaction that signs it, so that a
  listener's writes (the webhook event) commit with the signature or not at all; a listener
  that calls out of the database waits for ``transaction.on_commit``.
- ``certificate_revoked(certificate_id)``: a certificate was revoked (after commit).

What certificates do when other apps announce something lives in ``receivers.py``.
"""

from django.dispatch import Signal

certificate_issued = Signal()
certificate_revoked = Signal()

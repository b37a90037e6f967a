"""Domain signals of the competency matrix.

Sent inside the writing transaction (a listener's own writes, such as the stored event of a
webhook, commit or roll back with the change; anything outside the database waits for
``transaction.on_commit``):

- ``assignment_created(assignment_id)``: a position-history row was recorded (a rotation).
- ``assignments_created(assignment_ids)``: many rows at once (bulk upsert); listeners
  should treat it as ``assignment_created`` for each id.

Sent after the transaction commits:

- ``evidence_recorded(evidence_id)``: evidence of a competency level was appended.
- ``evidence_reviewed(evidence_id, status)``: provisional evidence was validated or rejected
  (``status`` is ``validated`` or ``rejected``).

Higher apps (webhooks in the API) listen; this app imports none of them.
"""

from django.dispatch import Signal

assignment_created = Signal()
assignments_created = Signal()
evidence_recorded = Signal()
evidence_reviewed = Signal()

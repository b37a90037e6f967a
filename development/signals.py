"""Domain signals of development plans, sent after the transaction commits:

- ``plan_transitioned(plan_id, transition_id, to_status)``: a plan changed state (submitted,
  agreed or returned); ``notifications`` tells whoever must act next.

Higher apps listen; this app imports none of them.
"""

from django.dispatch import Signal

plan_transitioned = Signal()

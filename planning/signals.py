"""Domain signals of the AKPK workflow.

Sent after the transaction commits:

- ``akpk_transitioned(plan_id, transition_id)``: an AKPK changed state (submitted, verified,
  returned, approved); whoever must act next is told by ``notifications``.
"""

from django.dispatch import Signal

akpk_transitioned = Signal()

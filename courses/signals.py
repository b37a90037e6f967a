"""Domain signals of the courses app, sent after the transaction commits.

- ``course_completed(enrollment_id)``: an enrollment was completed for the first time; the
  certificates app listens and issues the certificate.
- ``learning_recorded(learning_record_id)``: a line was added to the learning-hours ledger.
- ``quiz_failed(attempt_id)``: a graded quiz's last attempt was submitted and the quiz is not
  passed (no attempt left); the notifications app tells the learner.
"""

from django.dispatch import Signal

course_completed = Signal()
learning_recorded = Signal()
quiz_failed = Signal()

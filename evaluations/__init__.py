"""Training evaluation (Kirkpatrick levels 1 and 3): the participant's reaction survey after a course, and the supervisor's behaviour check months later."""

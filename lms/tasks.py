"""Project-level tasks: a round trip used by readiness checks and the integration tests."""

from celery import shared_task


@shared_task(name="lms.ping")
def ping(value: str) -> str:
    """Echo ``value`` back, proving a worker took the task from the broker and answered."""
    return f"pong:{value}"

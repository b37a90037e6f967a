"""A task travels through the real broker to a real worker and its result comes back."""

from __future__ import annotations

import pytest

from lms.tasks import ping


@pytest.mark.integration
def test_round_trip_through_a_real_worker(celery_worker) -> None:
    result = ping.delay("tangkas")
    assert result.get(timeout=30) == "pong:tangkas"
    assert result.successful()

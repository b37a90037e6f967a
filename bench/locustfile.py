"""Load on the unit gaps endpoint (``make bench`` runs it headless with 20 users)."""

import os

from locust import HttpUser, constant, task


class HrSystem(HttpUser):
    wait_time = constant(0)

    @task
    def unit_gaps(self) -> None:
        self.client.get(
            f"/api/v1/org-units/{os.environ['BENCH_UNIT']}/gaps/",
            headers={"Authorization": f"Bearer {os.environ['BENCH_TOKEN']}"},
            name="/api/v1/org-units/{id}/gaps/",
        )

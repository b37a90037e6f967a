"""Load for ``make bench`` (headless, 20 users; no think time unless said). Each workload names the user
classes it runs (``bench.workloads.locust_run``):

- ``HrSystem``: the unit gaps endpoint with a bearer token (``BENCH_UNIT``, ``BENCH_TOKEN``),
  each request sent as soon as the last is answered; ``HrSystemPaced``: the same, about once a second;
- ``Healthz``: ``/healthz``, the floor the page workloads are compared with;
- ``LearnerPages``: a civil servant (``demo.pegawai``) logged in, opening the pages of
  ``BENCH_LEARNER_PAGES`` (home, catalogue, a course, a lesson, my competencies, a
  certificate's verification page) in turn;
- ``HeadDashboard``: a head of unit (``demo.kepala``) opening the dashboard.
"""

import os
import re

from locust import HttpUser, between, constant, task

PASSWORD = os.environ.get("DEMO_PASSWORD") or "tangkas-demo"


class HrSystem(HttpUser):
    wait_time = constant(0)

    @task
    def unit_gaps(self) -> None:
        self.client.get(
            f"/api/v1/org-units/{os.environ['BENCH_UNIT']}/gaps/",
            headers={"Authorization": f"Bearer {os.environ['BENCH_TOKEN']}"},
            name="/api/v1/org-units/{id}/gaps/",
        )


class HrSystemPaced(HrSystem):
    """An HR system asking about once a second, at moments of its own (a pause of 0.5 to 1.5 s
    after each answer): 20 of them offer about 20 requests a second, not all at once."""

    wait_time = between(0.5, 1.5)


class Healthz(HttpUser):
    wait_time = constant(0)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz")


class _LoggedIn(HttpUser):
    abstract = True
    wait_time = constant(0)
    username = ""

    def on_start(self) -> None:
        form = self.client.get("/login/", name="login form").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        response = self.client.post(
            "/login/",
            {
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": self.username,
                "password": PASSWORD,
                "next": "/",
            },
            name="log in",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not log in: {response.status_code}")


class LearnerPages(_LoggedIn):
    username = "demo.pegawai"

    def on_start(self) -> None:
        super().on_start()
        self.pages = os.environ["BENCH_LEARNER_PAGES"].split(",")
        self.turn = 0

    @task
    def next_page(self) -> None:
        path = self.pages[self.turn % len(self.pages)]
        self.turn += 1
        self.client.get(path, name="learner pages")


class HeadDashboard(_LoggedIn):
    username = "demo.kepala"

    @task
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="head dashboard")

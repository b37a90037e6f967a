"""Pages under load (issue 15): the learner's pages and the head's dashboard on the demo city,
20 users against gunicorn with two workers, each workload's throughput against ``/healthz``'s
under the same load, measured one after the other in one run. ``BENCH_ONLY=pages make bench``
runs only these, in a database of their own (``tangkas_bench_demo``) holding the demo city.

Budgets (issue 15): the learner pages ≥ 25 % of ``/healthz``'s throughput with p95 ≤ 2× p50,
the head's dashboard ≥ 10 %.
"""

from __future__ import annotations

from django.core.management import call_command

from bench.workloads import Result, locust_run


def _learner_pages() -> list[str]:
    from certificates.models import Certificate
    from competencies.models import Employee
    from courses.models import CoursePage, LessonPage

    pegawai = Employee.objects.get(user__username="demo.pegawai")
    course = CoursePage.objects.live().order_by("path").first()
    lesson = LessonPage.objects.live().descendant_of(course).order_by("path").first()
    certificate = Certificate.objects.filter(employee=pegawai).exclude(credential={}).first()
    pages = ["/", "/courses/", course.url, lesson.url, "/me/competencies/"]
    if certificate is not None:
        pages.append(f"/verify/{certificate.code}/")
    return pages


def pages_under_load(*, users: int = 20, seconds: int = 20) -> list[Result]:
    call_command("seed_demo", verbosity=0)
    pages = _learner_pages()
    env = {"BENCH_LEARNER_PAGES": ",".join(pages)}
    measured = {}
    for label, user_class, name in [
        ("/healthz", "Healthz", "healthz"),
        ("learner pages", "LearnerPages", "learner pages"),
        ("head dashboard", "HeadDashboard", "head dashboard"),
    ]:
        rows = locust_run([user_class], env, users=users, seconds=seconds)
        row = next(r for r in rows if r["Name"] == name)
        measured[label] = row
    floor_rate = float(measured["/healthz"]["Requests/s"])
    results = []
    for label, share in [("learner pages", 0.25), ("head dashboard", 0.10)]:
        row = measured[label]
        rate, p50, p95 = float(row["Requests/s"]), float(row["50%"]), float(row["95%"])
        ok = rate >= share * floor_rate and (label != "learner pages" or p95 <= 2 * p50)
        results.append(
            Result(
                name=f"{label} under {users} users (p50)",
                size=0,
                median_ms=p50,
                queries=0,
                floor_ms=None,
                budget_ms=None if ok else 0,
                note=f"{rate:.1f} requests/s = {rate / floor_rate:.0%} of /healthz's "
                f"{floor_rate:.1f}/s (budget ≥ {share:.0%}); p95 {p95:.0f} ms; "
                f"{int(row['Failure Count'])} failures"
                + (f"; pages {', '.join(pages)}" if label == "learner pages" else ""),
            )
        )
    return results

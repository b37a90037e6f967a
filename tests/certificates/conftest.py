"""A learner who completed a course, and its certificate (tasks run in-process here)."""

from __future__ import annotations

import pytest

from certificates.models import Certificate
from courses.demo import take_course
from tests.courses.conftest import catalogue  # noqa: F401  (the fixture, shared)


@pytest.fixture
def certificate(catalogue, django_capture_on_commit_callbacks) -> Certificate:  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        take_course(catalogue.learner, catalogue.basics)
    return Certificate.objects.get()

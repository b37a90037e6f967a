"""Settings of the worker that ``test_worker.py`` kills half-way: the test settings, plus the
crash-test barrier (``worker_barrier``), which Celery imports when the worker starts. Only
that test's worker uses them (``DJANGO_SETTINGS_MODULE`` in its environment)."""

from lms.settings.test import *  # noqa: F403

CELERY_IMPORTS = ["tests.certificates.worker_barrier"]

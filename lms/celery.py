"""The Celery application.

Configuration comes from Django settings prefixed ``CELERY_``. With no ``CELERY_BROKER_URL``
tasks run in-process (``task_always_eager``), so development needs no Redis.

Tasks follow one rule (STYLE.md §7): take ids, load, call one service, be safe to run twice.
Periodic jobs are listed, with why each exists, in ``CELERY_BEAT_SCHEDULE`` in
``lms/settings/base.py``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

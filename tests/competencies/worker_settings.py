"""Settings of the worker that ``test_import_worker.py`` starts: the test settings with the
cache in Redis (``TANGKAS_TEST_CACHE_URL``, under the test session's key prefix), which the
test process shares as production's processes share ``CACHE_URL``. Only that test's worker
uses them (``DJANGO_SETTINGS_MODULE`` in its environment)."""

import os

from lms.settings.test import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["TANGKAS_TEST_CACHE_URL"],
        "KEY_PREFIX": os.environ["TANGKAS_TEST_QUEUE"],
    }
}

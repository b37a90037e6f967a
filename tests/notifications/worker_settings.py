"""Settings of the worker in ``test_worker.py``: the test settings, with mail going through
SMTP to the server the test started (its port in ``TANGKAS_TEST_SMTP_PORT``)."""

import os

from lms.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["TANGKAS_TEST_SMTP_PORT"])
EMAIL_USE_TLS = False
SITE_URL = "http://testserver"

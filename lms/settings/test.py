"""Tests: the embedded PostgreSQL unless ``DATABASE_URL`` points elsewhere (CI points it at the
machine's server), fast password hashing, and no DEBUG."""

import os
import uuid
from pathlib import Path

from dotenv import load_dotenv

load_dotenv(Path(__file__).resolve().parent.parent.parent / ".env", override=False)

from lms.settings.base import *  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

if not DATABASE_URL:
    from lms import embedded_db

    DATABASES = {"default": database_from_url(embedded_db.start()), **REPLICA_DATABASES}
if "replica" in DATABASES:
    # A replica named by DATABASE_REPLICA_URL holds no test database: under test it reads the
    # test database of "default" (tests/lms/test_read_replica.py starts a real one).
    DATABASES = {**DATABASES, "replica": {**DATABASES["replica"], "TEST": {"MIRROR": "default"}}}

# Tests run tasks in-process unless they ask for the real worker (the ``celery_worker``
# fixture turns eager mode off). Each test session gets its own queue so that two sessions on
# one Redis never take each other's tasks; the worker subprocess inherits it.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("TANGKAS_WORKER_EAGER", "1") == "1"
CELERY_TASK_DEFAULT_QUEUE = os.environ.setdefault(
    "TANGKAS_TEST_QUEUE", f"tangkas-test-{uuid.uuid4().hex[:12]}"
)

# The webhook tests run their receiver on the loopback; the SSRF tests switch this off.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The page cache is on in every test (one process, so a per-process cache serves), so that any
# page the suite reads after a write proves the write retired it (lms/pagecache.py).
PAGE_CACHE_SECONDS = 300
LOGGING["root"]["level"] = "WARNING"

# A throw-away signing key in var/keys/ (git-ignored) unless one is configured.
CREDENTIAL_SIGNING_KEY = ""
CREDENTIAL_SIGNING_KEY_FILE = str(BASE_DIR / "var" / "keys" / "test-signing-key.pem")
CREDENTIAL_SIGNING_KEY_AUTOCREATE = True
CREDENTIAL_SUBJECT_KEY = "test-only-credential-subject-key-not-secret"

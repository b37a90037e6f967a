"""Production: refuses to start without its secrets (``SECRET_KEY``, ``DATABASE_URL``,
``ALLOWED_HOSTS``, a signing key, ``CREDENTIAL_SUBJECT_KEY``, ``CACHE_URL``);
HTTPS everywhere; compressed, cache-busted static files served by WhiteNoise.

``python manage.py check --deploy`` under these settings reports nothing.
"""

from lms.settings.base import *
from lms.settings.env import env_bool, env_int, env_list, require
from lms.startup import StartupError

ENVIRONMENT = "production"
DEBUG = False
SECRET_KEY = require("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise StartupError("SECRET_KEY must be at least 50 random characters")
DATABASES = {
    "default": database_from_url(
        require("DATABASE_URL"), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
    ),
    **REPLICA_DATABASES,
}
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise StartupError("ALLOWED_HOSTS must be set in the environment (comma-separated host names)")

if not (CREDENTIAL_SIGNING_KEY or CREDENTIAL_SIGNING_KEY_FILE):
    raise StartupError(
        "CREDENTIAL_SIGNING_KEY or CREDENTIAL_SIGNING_KEY_FILE must be set: certificates are signed "
        "with it (python manage.py generate_signing_key makes one)"
    )

CREDENTIAL_SUBJECT_KEY = require("CREDENTIAL_SUBJECT_KEY")
if len(CREDENTIAL_SUBJECT_KEY) < 32 or len(set(CREDENTIAL_SUBJECT_KEY)) < 5:
    raise StartupError(
        "CREDENTIAL_SUBJECT_KEY must be at least 32 random characters: the NIP in every "
        "credential is hashed with it"
    )

if not CACHE_URL:
    raise StartupError(
        "CACHE_URL must be set (e.g. redis://cache:6379/1): rate limits, API throttles and the "
        "login lockout must hold across every process"
    )

if WEBHOOKS_ALLOW_PRIVATE_TARGETS:
    raise StartupError(
        "WEBHOOKS_ALLOW_PRIVATE_TARGETS is for development and tests only: in production "
        "webhooks go to public https URLs (docs/SECURITY.md)"
    )

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS: TLS usually ends at a proxy in front of gunicorn, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# /healthz and /readyz are probed over plain HTTP from inside the cluster.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# X-Frame-Options, nosniff, Referrer-Policy and COOP: lms/settings/base.py, for every environment.

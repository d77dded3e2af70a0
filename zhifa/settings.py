"""Zhifa settings, read from environment variables.

The embedded default needs nothing: SQLite (WAL) and files under ``ZHIFA_DATA_DIR`` (``./var``),
and a secret key generated on first run. Production sets ``DATABASE_URL`` (PostgreSQL),
``ZHIFA_STORAGE=s3`` with the ``ZHIFA_S3_*`` variables, ``ZHIFA_SECRET_KEY`` and
``ZHIFA_ALLOWED_HOSTS``. See docs/deployment.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ZHIFA_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Use ZHIFA_SECRET_KEY, else a key generated once and kept in the data directory."""
    if key := os.environ.get("ZHIFA_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("ZHIFA_DEBUG")
ALLOWED_HOSTS = env_list("ZHIFA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("ZHIFA_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "axes",
    "treebeard",
    "huey.contrib.djhuey",
    "zhifa.core",
    "zhifa.accounts",
    "zhifa.organizations",
    "zhifa.workdays",
    "zhifa.powers",
    "zhifa.personnel",
    "zhifa.cases",
    "zhifa.inspections",
    "zhifa.review",
    "zhifa.records",
    "zhifa.publicity",
    "zhifa.ledger",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that lockouts see the authenticated request (django-axes requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhifa.urls"
WSGI_APPLICATION = "zhifa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhifa" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhifa.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'zhifa.sqlite3'}"),
        conn_max_age=int(os.environ.get("ZHIFA_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE avoids lock-upgrade deadlocks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Files ----------------------------------------------------------------------------------
MEDIA_ROOT = Path(os.environ.get("ZHIFA_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "zhifa" / "static"]

if os.environ.get("ZHIFA_STORAGE", "local") == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["ZHIFA_S3_BUCKET"],
            "endpoint_url": os.environ.get("ZHIFA_S3_ENDPOINT_URL"),
            "access_key": os.environ.get("ZHIFA_S3_ACCESS_KEY"),
            "secret_key": os.environ.get("ZHIFA_S3_SECRET_KEY"),
            "region_name": os.environ.get("ZHIFA_S3_REGION"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads above this size are streamed to a temporary file rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
ZHIFA_MAX_PHOTO_BYTES = int(os.environ.get("ZHIFA_MAX_PHOTO_BYTES", 5 * 1024 * 1024))
ZHIFA_MAX_IMPORT_BYTES = int(os.environ.get("ZHIFA_MAX_IMPORT_BYTES", 10 * 1024 * 1024))
# Evidence (zhifa.records.evidence): content hash (sha256 | sm3), largest file, storage alias, and
# the local directory where resumable uploads are staged until their last byte arrives.
ZHIFA_EVIDENCE_HASH = os.environ.get("ZHIFA_EVIDENCE_HASH", "sha256")
ZHIFA_EVIDENCE_MAX_BYTES = int(os.environ.get("ZHIFA_EVIDENCE_MAX_BYTES", 4 * 1024**3))
ZHIFA_EVIDENCE_STORAGE = os.environ.get("ZHIFA_EVIDENCE_STORAGE", "default")
ZHIFA_UPLOAD_STAGING_DIR = Path(os.environ.get("ZHIFA_UPLOAD_STAGING_DIR", DATA_DIR / "uploads"))
# A web worker loads the Chinese segmenter of the 公示 redaction (about 200 MB) when it starts, so
# the first decision it records does not wait for it. Off for a worker pool that only receives
# uploads (docs/deployment.md): such a worker never redacts and stays small.
ZHIFA_WARM_UP_SEGMENTER = env_bool("ZHIFA_WARM_UP_SEGMENTER", True)

# --- Accounts and security ------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhifa.accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_SECURE = env_bool("ZHIFA_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Lock an account+IP after repeated failures (等保 2.0 requires login-failure handling).
AXES_FAILURE_LIMIT = int(os.environ.get("ZHIFA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("ZHIFA_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "zhifa.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zhifa 执法 API",
    "DESCRIPTION": "行政执法综合管理监督平台接口。所有端点按用户所在机构的范围过滤。",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from our own static files: the machine may have no internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Background work -------------------------------------------------------------------------
# huey: the embedded default keeps its queue in a SQLite file (no server); set ZHIFA_TASK_BROKER
# to a redis:// URL to share the queue between several app servers and consumers.
_broker = os.environ.get("ZHIFA_TASK_BROKER", "")
HUEY = {
    "name": "zhifa",
    "immediate": env_bool("ZHIFA_TASKS_IMMEDIATE"),
    "consumer": {"workers": 2, "worker_type": "thread"},
    **(
        {"huey_class": "huey.RedisHuey", "url": _broker}
        if _broker.startswith("redis")
        else {"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "tasks.sqlite3")}
    ),
}

# --- Ledger (tamper-evident log, see docs/ledger.md) -----------------------------------------
# A tree keeps the hash it was started with; changing it later is refused (ledger.services).
LEDGER_HASH_ALGORITHM = os.environ.get("ZHIFA_LEDGER_HASH", "sha256")  # sha256 | sm3
LEDGER_SIGNATURE_ALGORITHM = os.environ.get("ZHIFA_LEDGER_SIGNATURE", "ed25519")  # ed25519 | sm2
# The checkpoint origin and key name: a schema-less URL naming this log (no spaces, no "+").
LEDGER_ORIGIN = os.environ.get("ZHIFA_LEDGER_ORIGIN", f"{ALLOWED_HOSTS[0]}/zhifa-ledger")
# The private key: ZHIFA_LEDGER_SIGNING_KEY (Ed25519: base64 of the 32-byte seed; SM2: 64 hex
# digits), else a key generated on first use in LEDGER_KEY_DIR (mode 0600).
LEDGER_SIGNING_KEY = os.environ.get("ZHIFA_LEDGER_SIGNING_KEY", "")
LEDGER_KEY_DIR = DATA_DIR / "ledger"
# Verifier keys (name+id+key) of earlier signing keys, so that older checkpoints still verify.
LEDGER_PREVIOUS_KEYS = env_list("ZHIFA_LEDGER_PREVIOUS_KEYS", "")
LEDGER_CHECKPOINT_MINUTES = int(os.environ.get("ZHIFA_LEDGER_CHECKPOINT_MINUTES", "5"))

# --- Public portal (公示) ----------------------------------------------------------------------
# Seconds a worker may answer a decision page from its cache without checking the database (0:
# check every request). A withdrawal is due within 3 working days (G5), so seconds are harmless.
ZHIFA_PORTAL_FRESH_SECONDS = int(os.environ.get("ZHIFA_PORTAL_FRESH_SECONDS", "0"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIFA_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

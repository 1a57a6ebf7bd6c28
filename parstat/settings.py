"""Django settings for parstat.

Every setting a deployment may change is read from a ``PARSTAT_*`` environment variable (or
``DATABASE_URL``) and documented in README.md; a test fails when one is not.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import dj_database_url

from parstat.ops.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("PARSTAT_DATA_DIR", BASE_DIR / "var"))


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw is None else raw.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    # A key set by the deployment wins; otherwise one is made once and kept in the data folder,
    # so sessions survive restarts without anyone pasting a key into the repository.
    if key := os.environ.get("PARSTAT_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _flag("PARSTAT_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("PARSTAT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "parstat.catalog",
    "parstat.units",
    "parstat.reporting",
    "parstat.accounts",
    "parstat.analytics",
    "parstat.narrative",
    "parstat.province",
    "parstat.api",
    "parstat.web",
    "parstat.console",
]

# The person and their roles read in one query per request (parstat.accounts.backends).
AUTHENTICATION_BACKENDS = ["parstat.accounts.backends.RolesBackend"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before sessions or the database are touched.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "parstat.ops.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the person and their roles read with the session (parstat.accounts.sessions).
    "parstat.accounts.middleware.PersonMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "parstat.web.middleware.UserErrorMiddleware",
]

ROOT_URLCONF = "parstat.urls"
WSGI_APPLICATION = "parstat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Each app worker serves one request at a time and keeps at most one connection, reused for
# PARSTAT_DB_CONN_MAX_AGE seconds and checked before reuse (a PostgreSQL or PgBouncer restart
# then costs one reconnect, not an error page). So one `parstat serve` opens at most as many
# connections as it has workers; see README "Running in production".
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'parstat.sqlite3'}",
        conn_max_age=int(os.environ.get("PARSTAT_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Named, so that pg_stat_activity tells parstat's connections from everyone else's.
    DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = "parstat"
    if _flag("PARSTAT_DB_PGBOUNCER_TRANSACTION_POOLING", False):
        # Behind PgBouncer in transaction mode a connection changes hands between
        # transactions: no server-side cursors (Django's docs), and no prepared statements
        # (Django binds parameters client-side already; this keeps it so whatever the OPTIONS).
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes; the timeout rides out short locks.
    # synchronous=FULL: a commit reaches the disk before the save is answered, as PostgreSQL's
    # commit does. With NORMAL (WAL's usual pairing) a power cut could roll back the last
    # saves people were told were stored, which is a number silently lost; FULL cost 0.3 ms a
    # commit on this project's machines (bench: docs/analytics.md, "One cell save").
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        "transaction_mode": "IMMEDIATE",
    }
    # Kept open like PostgreSQL's (PARSTAT_DB_CONN_MAX_AGE): opening the file, its pragmas and
    # Django's SQL functions again cost about 1 ms, a tenth of a cell save.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "parstat" / "locale"]
TIME_ZONE = os.environ.get("PARSTAT_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# A working day, and not beyond the browser's life: shared office computers are common.
# Django's database sessions, whose one read brings the person and their roles.
SESSION_ENGINE = "parstat.accounts.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("PARSTAT_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _flag("PARSTAT_SECURE_COOKIES", False)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind TLS (the cookies are then HTTPS-only), browsers are told to use nothing but HTTPS.
SECURE_HSTS_SECONDS = (int(os.environ.get("PARSTAT_HSTS_SECONDS", "31536000"))
                       if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("PARSTAT_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _flag("PARSTAT_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = _flag("PARSTAT_SSL_REDIRECT", False)
# A load balancer asks for /healthz over plain HTTP on the private side.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if _flag("PARSTAT_BEHIND_TLS_PROXY", False):
    # TLS ends at the reverse proxy, which must set this header itself (never pass on the
    # client's): then request.is_secure() is true for HTTPS requests.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Addresses of reverse proxies whose X-Forwarded-For names the client (for sign-in counting);
# from any other address the header is ignored.
PARSTAT_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("PARSTAT_TRUSTED_PROXIES", "").split(",") if a.strip()
]
# Failed sign-ins: after this many in the window, each further try waits (seconds, doubling),
# counted per account, and per address with a higher allowance (a whole office may sign in
# from one address).
PARSTAT_SIGNIN_FREE_TRIES = 5
PARSTAT_SIGNIN_ADDRESS_FREE_TRIES = int(os.environ.get("PARSTAT_SIGNIN_ADDRESS_FREE_TRIES", "50"))
# The installation above this one (the Ministry's) that a sent province package is delivered
# to, and an API token made there (parstat.province.upward); empty: packages are not posted.
PARSTAT_UPWARD_URL = os.environ.get("PARSTAT_UPWARD_URL", "")
PARSTAT_UPWARD_TOKEN = os.environ.get("PARSTAT_UPWARD_TOKEN", "")
PARSTAT_SIGNIN_WINDOW_SECONDS = 15 * 60
# The first wait once the free tries are used up; each further failure doubles it.
PARSTAT_SIGNIN_FIRST_WAIT_SECONDS = int(os.environ.get("PARSTAT_SIGNIN_FIRST_WAIT_SECONDS", "1"))
# Upload previews live here until applied; on several app servers this folder must be shared
# storage (NFS), see docs/deploy.md. Previews never applied are deleted after the set time.
PARSTAT_UPLOAD_DIR = Path(os.environ.get("PARSTAT_UPLOAD_DIR", DATA_DIR / "uploads"))
PARSTAT_UPLOAD_PREVIEW_SECONDS = int(os.environ.get("PARSTAT_UPLOAD_PREVIEW_SECONDS", "86400"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("PARSTAT_STATIC_ROOT", DATA_DIR / "static"))
# `parstat init` collects the assets into STATIC_ROOT with content hashes in their names and
# gzip/brotli copies; WhiteNoise serves them with a one-year immutable cache.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "parstat.ops.static.HashedStaticStorage"},
}
# The app server: workers of `parstat serve` (default: the machine's cores) and how long one
# request may take before its worker is replaced.
PARSTAT_WORKERS = int(os.environ.get("PARSTAT_WORKERS", "0")) or None
PARSTAT_REQUEST_TIMEOUT_SECONDS = int(os.environ.get("PARSTAT_REQUEST_TIMEOUT_SECONDS", "120"))

# The reporting regime, as data: each period kind's data window (month, day of its first and
# last day; the first day falls in the previous year when its month is after the last's) and
# how many working days after the cut-off a unit must submit. Defaults follow the Ministry of
# Home Affairs guidance 581/BNV-CCHC; provinces change them here or per period in the database.
PARSTAT_PERIOD_WINDOWS = {
    "Q1": ((12, 15), (3, 14)),
    "S1": ((12, 15), (6, 14)),
    "Q3": ((6, 15), (9, 14)),
    "Y": ((12, 15), (12, 14)),
}
PARSTAT_DEADLINE_WORKING_DAYS = int(os.environ.get("PARSTAT_DEADLINE_WORKING_DAYS", "2"))

# The approval levels above the provincial office, in order (parstat/province/levels.py): each
# the role on the province's unit that takes it and its label in both languages. JSON in the
# environment; a value that is not JSON is kept as text for the system check to name.
def _json(raw: str | None, default: object) -> object:
    if raw is None or not raw.strip():
        return default
    try:
        return json.loads(raw)
    except ValueError:
        return raw


PARSTAT_PROVINCE_APPROVAL_LEVELS = _json(os.environ.get("PARSTAT_PROVINCE_APPROVAL_LEVELS"), [
    {"code": "approve", "role": "approver", "label_vi": "lãnh đạo tỉnh duyệt",
     "label_en": "the province's leader"},
])

# Mail of `parstat remind`: written to the console unless the deployment names a real backend
# (e.g. django.core.mail.backends.smtp.EmailBackend with the host and port below).
EMAIL_BACKEND = os.environ.get("PARSTAT_EMAIL_BACKEND",
                               "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("PARSTAT_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("PARSTAT_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("PARSTAT_EMAIL_FROM", "parstat@localhost")
# The address people reach the site at: links in e-mails (set a password) start with it.
PARSTAT_BASE_URL = os.environ.get("PARSTAT_BASE_URL", "http://127.0.0.1:8000")

# A DHIS2-style server the values may be sent to as ADX (`parstat push-adx`); none by default.
PARSTAT_DHIS2_URL = os.environ.get("PARSTAT_DHIS2_URL", "")
PARSTAT_DHIS2_TOKEN = os.environ.get("PARSTAT_DHIS2_TOKEN", "")

# One JSON object per line on stderr, the same shape as `parstat serve`'s access log.
PARSTAT_LOG_LEVEL = os.environ.get("PARSTAT_LOG_LEVEL", "WARNING")
LOGGING = logging_config(PARSTAT_LOG_LEVEL)

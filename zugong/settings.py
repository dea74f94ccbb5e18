"""Django settings for Zugong. Everything that differs between machines comes from the environment.

- ``ZUGONG_HOME``: folder for the SQLite database, uploaded files, keys and the statistics cache (default ``./var``).
- ``DATABASE_URL``: ``postgres://user:pass@host:5432/db`` switches to PostgreSQL; unset means SQLite.
- ``ZUGONG_SECRET_KEY``, ``ZUGONG_FIELD_KEYS``, ``ZUGONG_BLIND_INDEX_KEY``: secrets; in DEBUG or
  when unset, ``zugong.core.crypto`` creates development keys under ``ZUGONG_HOME``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import dj_database_url

from zugong.env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
ZUGONG_HOME = Path(env_str("ZUGONG_HOME", str(BASE_DIR / "var"))).resolve()
ZUGONG_HOME.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("ZUGONG_DEBUG", False)


def _secret_key() -> str:
    from_env = env_str("ZUGONG_SECRET_KEY", "")
    if from_env:
        return from_env
    path = ZUGONG_HOME / "secret_key"
    if not path.exists():
        import secrets

        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ZUGONG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("ZUGONG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "zugong.core",
    "zugong.orgs",
    "zugong.members",
    "zugong.cadres",
    "zugong.work",
    "zugong.stats",
    "zugong.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zugong.web.middleware.ExportRefusedMiddleware",
    "zugong.web.middleware.BusyDatabaseMiddleware",
]

ROOT_URLCONF = "zugong.urls"
WSGI_APPLICATION = "zugong.wsgi.application"

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
                "zugong.web.context.navigation",
            ],
        },
    },
]

_db_url = env_str("DATABASE_URL", "")
if _db_url:
    DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(ZUGONG_HOME / "zugong.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The statistics bundles (zugong.stats.reports), in files under ZUGONG_HOME shared by the server's
# worker processes: a dashboard one worker computed (≈1 s cold for the city) is warm for the
# others. Keys carry the data version and, in their prefix, the database (one ZUGONG_HOME may serve
# SQLite and, with DATABASE_URL, PostgreSQL: equal versions of different data); what can change data
# without a new version — a restore, the demo build and reset, a start of the server after changes
# made outside it — clears the cache.
_db = DATABASES["default"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(ZUGONG_HOME / "cache"),
        "TIMEOUT": 600,
        "KEY_PREFIX": hashlib.sha256(
            "|".join(str(_db.get(k) or "") for k in ("ENGINE", "HOST", "PORT", "NAME")).encode()
        ).hexdigest()[:16],
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
FORMAT_MODULE_PATH = ["zugong.formats"]  # counts grouped 250,018 (zugong/formats/zh_Hans)
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = ZUGONG_HOME / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = ZUGONG_HOME / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("ZUGONG_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"zugong.stats.warm": {"level": "INFO"}},  # one line per warm-up: what and how long
}

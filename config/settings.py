"""Settings of the runnable site. Everything that differs per deployment
comes from the environment; see the README's "Configuration" section."""

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    return int(os.environ.get(name, default))


def env_json_object(name):
    try:
        value = json.loads(os.environ.get(name) or "{}")
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a JSON object: {error}") from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object, not {value!r}.")
    return value


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Debug runs only: a fresh random key per process (sessions end on restart).
    SECRET_KEY = secrets.token_urlsafe(50)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/(api|feeds)/.*$"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "importers",
    "syndication",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "ninja",  # serves the v3 docs' Swagger UI from the site, not a CDN
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
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
    "rest_framework",
    "corsheaders",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.sitemaps",  # the sitemap's XML templates
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost: whoever answered, a HEAD response leaves without its body.
    "config.head.HeadWithoutBodyMiddleware",
    # Every line a request logs carries its id, the health check's included.
    "config.request_id.RequestIdMiddleware",
    # Health before the rest: load balancers poll it by IP, over HTTP, every second.
    "config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # before Wagtail's redirects: hidden targets 404, legacy URL variants, deleted pages 410
    "cms.redirects.RedirectsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

if not DEBUG:
    # Static files from the app itself, right after the security middleware
    # as WhiteNoise asks (under DEBUG, runserver serves them).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Imports, the task worker and editors write at once. Transactions take
    # the write lock when they begin (IMMEDIATE), so a second writer waits
    # up to the timeout instead of failing with "database is locked" when
    # it tries to upgrade its read lock half-way through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, transaction_mode="IMMEDIATE"
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A restarted database server costs one failed check, not failed requests.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

REDIS_URL = os.environ.get("REDIS_URL", "")
# Django's cache: Redis when REDIS_URL is set, else local memory; CACHE_BACKEND
# names another ("database": the table CACHE_LOCATION, made by
# `createcachetable`; "file": the folder CACHE_LOCATION).
CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "redis" if REDIS_URL else "locmem")
CACHE_BACKENDS = {
    # Fails soft: with Redis away the site serves from the database.
    "redis": ("cms.fail_soft_cache.FailSoftRedisCache", REDIS_URL),
    "locmem": ("django.core.cache.backends.locmem.LocMemCache", ""),
    "database": ("django.core.cache.backends.db.DatabaseCache", "django_cache"),
    "file": ("django.core.cache.backends.filebased.FileBasedCache", str(BASE_DIR / "cache")),
}
if CACHE_BACKEND not in CACHE_BACKENDS:
    raise ImproperlyConfigured(f"CACHE_BACKEND must be one of {', '.join(CACHE_BACKENDS)}.")
_backend, _location = CACHE_BACKENDS[CACHE_BACKEND]
CACHES = {
    "default": {
        "BACKEND": _backend,
        "LOCATION": os.environ.get("CACHE_LOCATION", _location),
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "projectsite"),
        # Redis: fractions of a second to connect and answer (the backend's
        # defaults), after which the request goes on without it.
        "OPTIONS": {},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    # Uploads: MEDIA_ROOT, or e.g. object storage through django-storages.
    "default": {
        "BACKEND": os.environ.get(
            "MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env_json_object("MEDIA_STORAGE_OPTIONS"),
    },
    # Served by WhiteNoise from the app itself. Without DEBUG: hashed names
    # (cached for ever by browsers and CDNs) and precompressed files, made
    # by collectstatic.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploaded images served by the app (config.media), for a site with no web
# server or object storage in front: on unless MEDIA_STORAGE_BACKEND names a
# storage of its own. A web server in front may still serve /media/ itself.
SERVE_MEDIA = env_bool("SERVE_MEDIA", "MEDIA_STORAGE_BACKEND" not in os.environ)

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
LOGGING = logging_config(os.environ.get("LOG_LEVEL", "INFO"))

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "BaltMet Inno")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Public pages of a headless site live on the frontend's domain.
WAGTAIL_FRONTEND_BASE_URL = os.environ.get("WAGTAIL_FRONTEND_BASE_URL", "")
# Seconds a headless frontend's preview token reads its draft.
CMS_PREVIEW_TOKEN_MAX_AGE = int(os.environ.get("CMS_PREVIEW_TOKEN_MAX_AGE", "600"))
# URLs per sitemap file; past them /sitemap.xml is a sitemap index (sitemaps.org: 50,000).
CMS_SITEMAP_LIMIT = int(os.environ.get("CMS_SITEMAP_LIMIT", "50000"))
# Editors' avatars: Wagtail's own default picture, so the admin sends no
# e-mail hash to gravatar.com; a provider URL (e.g. //www.gravatar.com/avatar)
# turns Gravatar on.
WAGTAIL_GRAVATAR_PROVIDER_URL = os.environ.get("WAGTAIL_GRAVATAR_PROVIDER_URL") or None
# On PostgreSQL, words are stemmed in the site's language ("conferences"
# finds "conference"); SQLite ignores it. After a change: `manage.py update_index`.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": os.environ.get("SEARCH_CONFIG", "english"),
    }
}
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILAPI_BASE_URL = os.environ.get("WAGTAILAPI_BASE_URL", WAGTAILADMIN_BASE_URL)
WAGTAILAPI_LIMIT_MAX = 100
# Seconds a CDN or browser may reuse a public API response (then: ETag).
CMS_API_MAX_AGE = env_int("CMS_API_MAX_AGE", 60)
WAGTAILDOCS_EXTENSIONS = [
    "csv", "doc", "docx", "key", "odp", "ods", "odt", "pdf", "ppt", "pptx", "rtf", "txt", "xls",
    "xlsx", "zip",
]
# Documents always pass through the app, after Wagtail's privacy checks, and
# never as a redirect to the storage's URL: with object storage that URL is
# unsigned or expires, and a private collection's file must not be public.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# Feeds. Item ids are tag: URIs from the authority and date: set them once, never change.
SYNDICATION_TAG_AUTHORITY = os.environ.get("SYNDICATION_TAG_AUTHORITY", "inno.baltmet.org")
SYNDICATION_TAG_DATE = os.environ.get("SYNDICATION_TAG_DATE", "2005")
# Origin of the feeds' own URLs (rel=self, hub pings); default: the request's.
SYNDICATION_BASE_URL = os.environ.get("SYNDICATION_BASE_URL", "")
SYNDICATION_MAX_AGE = int(os.environ.get("SYNDICATION_MAX_AGE", "300"))

# Background work (hub pings, scheduled publishing) is queued in the
# database and run by `manage.py db_worker`, never in a web process.
TASKS = {
    "default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}
}

if not DEBUG:
    # Secure unless relaxed on purpose: `manage.py check --deploy` is silent
    # with only SECRET_KEY and ALLOWED_HOSTS set. /healthz answers before
    # the HTTPS redirect (see config.health).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# Only behind a proxy that sets X-Forwarded-Proto itself (and drops the
# client's): otherwise any client could claim HTTPS.
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

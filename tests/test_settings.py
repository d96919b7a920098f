"""Settings come from the environment, and the schema matches the models."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent

PRINT = (
    "import json, config.settings as s;"
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'],"
    "'cache': s.CACHES['default']['BACKEND'], 'hosts': s.ALLOWED_HOSTS,"
    "'cors': s.CORS_ALLOWED_ORIGINS, 'admin': s.WAGTAILADMIN_BASE_URL,"
    "'frontend': s.WAGTAIL_FRONTEND_BASE_URL, 'preview': s.CMS_PREVIEW_TOKEN_MAX_AGE,"
    "'gravatar': s.WAGTAIL_GRAVATAR_PROVIDER_URL}))"
)


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS",
        "CORS_ALLOWED_ORIGINS", "WAGTAILADMIN_BASE_URL", "WAGTAIL_FRONTEND_BASE_URL",
        "CMS_PREVIEW_TOKEN_MAX_AGE", "WAGTAIL_GRAVATAR_PROVIDER_URL",
    }}
    return subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_key_is_required_without_debug():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_missing_secret_key_is_one_line_not_a_traceback():
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean,
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 1
    assert result.stderr == "Configuration error: SECRET_KEY must be set when DEBUG is off.\n"


def test_defaults_are_sqlite_and_local_memory():
    result = load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["cache"].endswith("LocMemCache")
    assert values["frontend"] == ""
    assert values["preview"] == 600
    assert values["gravatar"] is None  # no editor's e-mail hash goes to gravatar.com


def test_environment_names_database_cache_hosts_and_urls():
    result = load_settings(
        SECRET_KEY="s3cret",
        DATABASE_URL="postgres://user@db.example:5432/site",
        REDIS_URL="redis://cache.example:6379/0",
        ALLOWED_HOSTS="cms.example.org,api.example.org",
        CORS_ALLOWED_ORIGINS="https://www.example.org",
        WAGTAILADMIN_BASE_URL="https://cms.example.org",
        WAGTAIL_FRONTEND_BASE_URL="https://www.example.org",
        CMS_PREVIEW_TOKEN_MAX_AGE="120",
        WAGTAIL_GRAVATAR_PROVIDER_URL="//www.gravatar.com/avatar",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.postgresql"
    assert values["cache"] == "cms.fail_soft_cache.FailSoftRedisCache"
    assert values["hosts"] == ["cms.example.org", "api.example.org"]
    assert values["cors"] == ["https://www.example.org"]
    assert values["admin"] == "https://cms.example.org"
    assert values["frontend"] == "https://www.example.org"
    assert values["preview"] == 120
    assert values["gravatar"] == "//www.gravatar.com/avatar"


def test_no_migration_is_missing(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_tests_run_sqlite_as_the_demo_does():
    """Concurrent writers wait for SQLite's lock instead of failing with
    "database is locked": the suite's settings keep the demo's IMMEDIATE mode."""
    for name in ("tests.settings", "tests.settings_cms_only"):
        result = subprocess.run(
            [sys.executable, "-c", "import json, importlib; s = importlib.import_module("
             f"{name!r}); print(json.dumps(s.DATABASES['default'].get('OPTIONS', {{}})))"],
            cwd=ROOT, env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            capture_output=True, text=True, timeout=60,
        )
        assert result.returncode == 0, result.stderr
        options = json.loads(result.stdout)
        assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 20, name


def test_the_wsgi_application_loads_its_urls_before_the_first_request():
    """A fresh worker's first request (a reader's, after a deploy) would
    otherwise import every view module and build the URL resolver itself."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "-c", "import sys, config.wsgi; print('config.urls' in sys.modules, "
         "'syndication.views' in sys.modules)"],
        cwd=ROOT, env={**clean, "SECRET_KEY": "x" * 50}, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]

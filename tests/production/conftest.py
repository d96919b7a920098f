"""Fixtures of the production tests: collected static files and a migrated
database file for the site's processes (each made once per run)."""

import pytest

from tests.production.servers import manage, production_env


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """``collectstatic`` as a deploy runs it: hashed, compressed files."""
    root = tmp_path_factory.mktemp("static")
    result = manage("collectstatic", "--noinput", env=production_env(STATIC_ROOT=root))
    assert result.returncode == 0, result.stderr
    assert (root / "staticfiles.json").exists()
    return root


@pytest.fixture(scope="session")
def site_database(tmp_path_factory):
    """A migrated SQLite file with an editor, for server processes that need
    a database of their own (whatever database the suite runs on)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('site') / 'site.sqlite3'}"
    env = production_env(DATABASE_URL=url)
    for args in (
        ["migrate", "--noinput"],
        ["create_project_site", "--hostname", "127.0.0.1"],
        ["createsuperuser", "--noinput", "--username", "editor", "--email", "e@example.org"],
    ):
        result = manage(*args, env={**env, "DJANGO_SUPERUSER_PASSWORD": "editor-pw"})
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    return url

"""Fixtures every app's tests share: the real site tree on the real database."""

import pytest

from cms.site_tree import ensure_site_tree


@pytest.fixture
def tree(db):
    return ensure_site_tree()


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Add ``page`` under ``parent`` and publish it, running commit hooks
    (feed invalidation, hub pings) as a real commit would."""

    def _publish(parent, page):
        with django_capture_on_commit_callbacks(execute=True):
            parent.add_child(instance=page)
            page.save_revision().publish()
        page.refresh_from_db()
        return page

    return _publish


@pytest.fixture
def tasks_in_database(settings):
    """Queue tasks in the database, as the runnable site does in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def run_worker(transactional_db, tasks_in_database):
    """Run the task worker (django-tasks-db's ``db_worker``) in this process
    until no task is ready, as the worker process would. The tasks it runs
    commit, so tests using it see real transactions."""
    import signal

    from django.core.management import call_command

    def run():
        # The worker installs its own shutdown handlers; give pytest its own back.
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            call_command(
                "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0"
            )
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)

    return run


@pytest.fixture(scope="session")
def site_databases(tmp_path_factory):
    """Fresh migrated databases for server processes (see tests.serving)."""
    from tests.serving import Databases

    databases = Databases(tmp_path_factory.mktemp("site-databases"))
    yield databases
    databases.drop()

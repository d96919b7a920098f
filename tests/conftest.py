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


@pytest.fixture(scope="session")
def site_databases(tmp_path_factory):
    """Fresh migrated databases for server processes (see tests.serving)."""
    from tests.serving import Databases

    databases = Databases(tmp_path_factory.mktemp("site-databases"))
    yield databases
    databases.drop()

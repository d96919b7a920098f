"""``cms`` on its own, without the importer and the feeds: the ``cms`` tests
run under these settings too, so that "cms does not depend on the other two"
is proven, not claimed (``pytest tests/cms --ds=tests.settings_cms_only``)."""

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in {"importers", "syndication"}]
ROOT_URLCONF = "tests.urls_cms_only"

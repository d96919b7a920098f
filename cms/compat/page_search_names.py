"""Wagtail's admin page search heads its results "1-2 of 2 None": its
``SearchView`` sets no ``verbose_name``/``verbose_name_plural``, which the
results table's title column reads, and no hook or setting gives them.
:func:`install` sets the two class attributes every other listing view sets.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.pages.search import SearchView

from cms.compat.reliance import Reliance

RELIES_ON = Reliance(
    check_id="cms.W013",
    names=(
        "wagtail.admin.views.pages.search.SearchView",
        "wagtail.admin.ui.tables.pages.PageTitleColumn.get_header_context_data",
    ),
    fingerprint="9a333450be14de67",
    recheck="cms.compat.page_search_names: whether SearchView names its items itself now "
    "(then drop the workaround), and that the title column still reads verbose_name(_plural).",
    risk="The admin's page search may read \"1-2 of 2 None\" again.",
)


def install():
    if SearchView.verbose_name is None:
        SearchView.verbose_name = _("page")
    if SearchView.verbose_name_plural is None:
        SearchView.verbose_name_plural = _("pages")

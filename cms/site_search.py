"""The website's search page: ``/search/?q=words&page=2``.

Searches the public pages of the request's site (:func:`cms.visibility.public_pages`,
as the API's ``?search=``) with Wagtail's search backend: on PostgreSQL its
database backend with the site language's stemming (``SEARCH_CONFIG`` in
``WAGTAILSEARCH_BACKENDS``), so "conferences" finds "conference".

Results come a page at a time with a link to more, never a count: a page
reads one row past its last (:class:`ResultsPage`), so a request ranks the
matches once; counting them too was a second full-text query that cost as
much as the ranking (see the README's benchmark).

A malformed query (control characters, more than :data:`MAX_QUERY_LENGTH`
characters, a page number that is not one) is a 400 with the reason; a page
past the last is a 404, as on the news index.
"""

from dataclasses import dataclass

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from wagtail.models import Page

from cms.query_string import MalformedQuery, check_query, whole_number
from cms.structured_data import description
from cms.visibility import public_pages

RESULTS_PER_PAGE = 10
#: Longest query taken: longer ones are no words a reader typed.
MAX_QUERY_LENGTH = 200
#: Highest page number taken (the database's limit is far above any real result list).
MAX_PAGE = 10_000


def bad_request(request, reason):
    context = {"query": "", "results": None, "error": reason}
    return TemplateResponse(request, "cms/search_page.html", context, status=400)


def read_query(request):
    """(words, page number) of the request; MalformedQuery when they cannot be."""
    check_query(request.GET)
    words = " ".join(request.GET.get("q", "").split())
    if len(words) > MAX_QUERY_LENGTH:
        raise MalformedQuery(f"q must be at most {MAX_QUERY_LENGTH} characters")
    number = whole_number("page", request.GET.get("page", "1"), minimum=1, maximum=MAX_PAGE)
    return words, number


@dataclass(frozen=True)
class ResultsPage:
    """Page ``number`` of the results, and whether more follow."""

    number: int
    object_list: list
    has_next: bool
    per_page: int = RESULTS_PER_PAGE

    @classmethod
    def read(cls, results, number, per_page=RESULTS_PER_PAGE):
        """Page ``number`` of ``results`` (search results), reading one row past it."""
        start = (number - 1) * per_page
        found = list(results[start:start + per_page + 1])
        return cls(number, found[:per_page], len(found) > per_page, per_page)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def start_index(self):
        return (self.number - 1) * self.per_page + 1

    @property
    def end_index(self):
        return self.start_index + len(self.object_list) - 1

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def previous_page_number(self):
        return self.number - 1


def specific_in_order(pages):
    """The specific pages of ``pages``, in their order: one query per page type."""
    keys = [page.pk for page in pages]
    found = Page.objects.filter(pk__in=keys).specific().in_bulk()
    return [found[key] for key in keys if key in found]


@require_safe
def search(request):
    try:
        words, number = read_query(request)
        pages = public_pages(request)
    except ValueError as error:  # MalformedQuery, or ?site= naming several sites
        return bad_request(request, str(error))
    context = {"query": words, "results": None, "error": None}
    if words:
        results = ResultsPage.read(pages.search(words), number)
        if number > 1 and not results.object_list:  # page 1 exists, if empty
            raise Http404("No such page of results.")
        context["results"] = results
        context["entries"] = [
            {"page": page, "teaser": description(page), "date": getattr(page, "date", None)
             or page.first_published_at}
            for page in specific_in_order(results.object_list)
        ]
    return TemplateResponse(request, "cms/search_page.html", context)

"""What the website's pages list: the pages a visitor may open.

Public pages only (:mod:`cms.visibility`), whoever asks: the same pages the
API and the feeds show, so a listing never links to a 404 or a login. Each
listing costs a fixed number of queries, however many pages exist; the view
restrictions are read once per request for all of them.
"""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from taggit.models import Tag
from wagtail.models import Page

from cms.visibility import publicly_visible, restricted_paths

#: News items on one page of the news index, and on the home page.
NEWS_PER_PAGE = 20
LATEST_NEWS = 5
#: Longest ``?tag=`` taken seriously (the feeds take the same).
MAX_TAG_LENGTH = 100


def visible(model, request):
    return publicly_visible(model.objects.all(), restricted=restricted_paths(request))


def newest_first(news):
    return news.order_by("-date", "-pk")


def latest_news(news_model, home, request, count=LATEST_NEWS):
    return list(newest_first(visible(news_model, request).descendant_of(home))[:count])


def tag_slug(query):
    """The slug a ``?tag=slug`` names, "" without one; 404 for one no tag can have."""
    slug = query.get("tag", "").strip()
    if len(slug) > MAX_TAG_LENGTH or "\x00" in slug:
        raise Http404("No such tag.")
    return slug


def news_index_page(news_model, index, request):
    """One page of an index's news, newest first, maybe of one tag only.

    A tag no visible news of the index carries is not found, whether it does
    not exist or only hidden news carry it: the answer tells nothing about
    hidden pages. A page number that is not a number, or past the last page,
    is not found: hostile or stale query strings get a 404, never a 500.
    """
    query = request.GET
    slug = tag_slug(query)
    news = news_model.narrowed_to(visible(news_model, request).child_of(index), [index.path])
    if slug:
        news = news.filter(tagged_items__tag__slug=slug)
    paginator = Paginator(newest_first(news), NEWS_PER_PAGE)
    if slug and not paginator.count:
        raise Http404("No such tag.")
    try:
        page = paginator.page(query.get("page", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such page of news.") from error
    tag = Tag.objects.get(slug=slug) if slug else None
    canonical = {"tag": tag.slug} if tag else {}
    if page.number > 1:
        canonical["page"] = page.number
    return {"news": page, "tag": tag, "canonical_query": urlencode(canonical)}


def children(parent, model, request):
    return visible(model, request).child_of(parent).order_by("path")


def menu(root, request):
    """The site's main sections: its home page's children shown in menus."""
    return list(visible(Page, request).child_of(root).in_menu().order_by("path"))

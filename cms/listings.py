"""What the website's pages list: the pages a visitor may open.

Live, outside any view restriction, within their schedule: the same pages the
API shows (:mod:`cms.visibility`), so a listing never links to a 404 or a
login. Each listing costs a fixed number of queries, however many pages exist.
"""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from taggit.models import Tag
from wagtail.models import Page

from cms.schedule import out_of_schedule_q

#: News items on one page of the news index, and on the home page.
NEWS_PER_PAGE = 20
LATEST_NEWS = 5
#: Longest ``?tag=`` taken seriously (the feeds take the same).
MAX_TAG_LENGTH = 100


def visible(model):
    return model.objects.live().public().exclude(out_of_schedule_q())


def newest_first(news):
    return news.order_by("-date", "-pk")


def latest_news(news_model, home, count=LATEST_NEWS):
    return list(newest_first(visible(news_model).descendant_of(home))[:count])


def tag_from_query(query):
    """The tag a ``?tag=slug`` names, None without one; 404 when there is no such tag."""
    slug = query.get("tag", "").strip()
    if not slug:
        return None
    if len(slug) > MAX_TAG_LENGTH or "\x00" in slug:
        raise Http404("No such tag.")
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("No such tag.")
    return tag


def news_index_page(news_model, index, query):
    """One page of an index's news, newest first, maybe of one tag only.

    A page number that is not a number, or past the last page, is not found:
    hostile or stale query strings get a 404, never a 500.
    """
    tag = tag_from_query(query)
    news = visible(news_model).child_of(index)
    if tag is not None:
        news = news.filter(tagged_items__tag=tag)
    paginator = Paginator(newest_first(news), NEWS_PER_PAGE)
    try:
        page = paginator.page(query.get("page", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such page of news.") from error
    canonical = {"tag": tag.slug} if tag else {}
    if page.number > 1:
        canonical["page"] = page.number
    return {"news": page, "tag": tag, "canonical_query": urlencode(canonical)}


def children(parent, model):
    return visible(model).child_of(parent).order_by("path")


def menu(root):
    """The site's main sections: its home page's children shown in menus."""
    return list(visible(Page).child_of(root).in_menu().order_by("path"))

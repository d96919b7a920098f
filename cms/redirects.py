"""What an old URL answers: the redirect's target, 404 for a hidden one, 410 for a deleted one.

Wagtail's ``RedirectMiddleware`` answers a redirect's old path with a 301 to
its target page's URL whatever the page's state, so the ``Location`` of a
redirect to a draft, a private, expired or scheduled page gives away its slug
(made from its title).  :class:`RedirectsMiddleware`, placed right before
Wagtail's in ``MIDDLEWARE``, sees that answer (or Wagtail's 404) first on the
way out and decides, reading the redirects of every path it tries in one query
(one more only to tell an unknown page id from the legacy home):

* a target the public cannot see answers the site's 404, like the page
  itself; once the page is public the redirect works again;
* a legacy URL with parameters that name no page (session ids, ``cHash``,
  ``L=0``, ``utm_*``: :mod:`cms.legacy_urls`, the importer's own rule)
  redirects where its clean URL does;
* Wagtail answers a query it has no redirect for with the redirect of the
  bare path; where the redirects of a path tell pages apart by their query
  (``/pub/index.php?id=209``), a query naming no known page is a 404 instead,
  not the legacy home's redirect;
* a redirect with no target, which is what a redirect to a page becomes when
  an editor deletes the page (:func:`keep_gone`), answers ``410 Gone`` with
  the site's ``410.html``: search engines drop the URL instead of retrying
  it. It stays in Wagtail's Redirects admin, where an editor may point it at
  another page.

The API's redirect endpoints use :func:`public_redirects`, and list only the
requested Site's redirects (:func:`answered_on`; see :mod:`cms.api.v2`,
:mod:`cms.api.v3`); their ``find`` of an ``html_path`` is :func:`redirect_for`,
the middleware's own choice, so an old link with a session id finds what the
website answers it with.
"""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.http import (
    Http404,
    HttpResponseGone,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.template import loader
from django.views.defaults import page_not_found
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from cms.compat.redirect_lookup import (
    first_found,
    middleware_paths,
    middleware_redirect,
    stored_for,
)
from cms.legacy_urls import canonical_query
from cms.visibility import page_model, publicly_visible, restricted_paths

WAGTAIL_MIDDLEWARE = "wagtail.contrib.redirects.middleware.RedirectMiddleware"
MIDDLEWARE = "cms.redirects.RedirectsMiddleware"


def _leads_to_public(restricted=None):
    """A redirect to a URL, or to a page the public may see.

    The page is checked by its key, redirect by redirect: a set of every
    public page, to look the target up in, read all of them for each
    redirect answered (3 ms beside a second site of 10,000 pages)."""
    target = page_model().objects.filter(pk=OuterRef("redirect_page_id"))
    to_link = Q(redirect_page__isnull=True) & ~Q(redirect_link="")
    return to_link | Exists(publicly_visible(target, restricted=restricted))


def public_redirects(queryset):
    """Redirects of ``queryset`` to a URL or to a page the public may see."""
    return queryset.filter(_leads_to_public())


def answered_on(queryset, site):
    """Redirects of ``queryset`` that ``site`` answers: its own and those for every Site
    (no Site set), as Wagtail's ``RedirectMiddleware`` matches them."""
    every_site = Q(site__isnull=True)
    return queryset.filter(every_site if site is None else every_site | Q(site=site))


def leads_to_public(redirect) -> bool:
    """Whether ``redirect`` points at a URL or at a page the public may see."""
    if redirect.redirect_page_id is None:
        return bool(redirect.redirect_link)
    return public_redirects(Redirect.objects.filter(pk=redirect.pk)).exists()


def is_gone(redirect) -> bool:
    """A redirect with no target: its page was deleted (or an editor cleared it)."""
    return redirect.redirect_page_id is None and not redirect.redirect_link


def canonical_path(path):
    """A normalised redirect path with its query as the importer spells it."""
    bare, _, query = path.partition("?")
    canonical = canonical_query(query)
    return Redirect.normalise_path(f"{bare}?{canonical}" if canonical else bare,
                                   decode_unicode=False)


def lookup_paths(full_path):
    """The paths an old URL's redirect is looked up by: Wagtail's, then the canonical one."""
    wagtail_paths = middleware_paths(full_path)
    return [*wagtail_paths, canonical_path(wagtail_paths[0])]


def read_redirects(site, paths, restricted=None):
    """The redirects ``site`` answers for any of ``paths``, each with ``public``
    (whether it leads to a URL or to a public page): one query."""
    return list(
        stored_for(site, paths)
        .select_related("redirect_page")
        .annotate(public=ExpressionWrapper(_leads_to_public(restricted),
                                           output_field=BooleanField()))
    )


def chosen_redirect(site, redirects, full_path):
    """Of ``redirects`` (read for :func:`lookup_paths`), the one an old URL answers
    with: its exact path, its canonical one, else the whole path's; or None."""
    wagtail_paths = middleware_paths(full_path)
    exact, canonical = wagtail_paths[0], canonical_path(wagtail_paths[0])
    chosen = first_found(site, redirects, [exact, canonical])
    if chosen is None and len(wagtail_paths) > 1 and canonical != wagtail_paths[1]:
        chosen = whole_path_redirect(site, redirects, wagtail_paths[1])
    return chosen


def whole_path_redirect(site, redirects, path):
    """Wagtail's redirect for ``path`` without the query, unless other redirects of the
    path tell pages apart by their query: then the query names a page never had."""
    found = first_found(site, redirects, [path])
    if found is None:
        return None
    if Redirect.get_for_site(site).filter(old_path__startswith=f"{found.old_path}?").exists():
        return None
    return found


def redirect_for(site, full_path, restricted=None):
    """The redirect the website answers the old URL ``full_path`` with on ``site``
    (``public`` says whether its target is one the public may see), or None."""
    redirects = read_redirects(site, lookup_paths(full_path), restricted)
    return chosen_redirect(site, redirects, full_path)


class RedirectsMiddleware:
    """A redirect answers as the module says; anything else passes unchanged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        redirected = response.status_code in (301, 302) and response.has_header("Location")
        if response.status_code != 404 and not redirected:
            return response
        site = Site.find_for_request(request)
        full_path = request.get_full_path()
        redirects = read_redirects(site, lookup_paths(full_path), restricted_paths(request))
        if redirected:
            wagtail = middleware_redirect(request, redirects)
            if wagtail is None or wagtail.link != response["Location"]:
                return response  # the view's own redirect, not Wagtail's
        return self.answer(request, response, chosen_redirect(site, redirects, full_path))

    def answer(self, request, response, redirect):
        if redirect is None:
            return response if response.status_code == 404 else not_found(request)
        if is_gone(redirect):
            return gone(request)
        if not redirect.public:
            return response if response.status_code == 404 else not_found(request)
        if response.status_code != 404 and response["Location"] == redirect.link:
            return response
        if redirect.is_permanent:
            return HttpResponsePermanentRedirect(redirect.link)
        return HttpResponseRedirect(redirect.link)


def not_found(request):
    return page_not_found(request, Http404("No page here."))


def gone(request):
    """The site's ``410.html``, as Django renders ``404.html`` (the request's context)."""
    body = loader.render_to_string("410.html", {"request_path": request.path}, request)
    return HttpResponseGone(body)


def keep_gone(sender, instance, **kwargs):
    """``pre_delete`` of a page: note its redirects, which the deletion cascades to."""
    instance._gone_redirects = list(
        Redirect.objects.filter(redirect_page_id=instance.pk).values(
            "old_path", "site_id", "is_permanent", "automatically_created"
        )
    )


def mark_gone(sender, instance, **kwargs):
    """``post_delete`` of a page: its old paths come back as redirects with no target."""
    for fields in getattr(instance, "_gone_redirects", ()):
        Redirect.objects.get_or_create(
            old_path=fields.pop("old_path"), site_id=fields.pop("site_id"), defaults=fields
        )

"""The one visibility policy (README, "What the public sees"; ``cms.visibility``),
held on every surface for every way a page can be hidden.

Every list, menu, breadcrumb, search result, sitemap, API v2/v3 answer
(list, detail, find, search), redirect, image and document listing, feed and
calendar shows public pages only, whoever asks: anonymously, and as a
visitor who passed every password (through Wagtail's own password form) and
is logged in as a member of the restricted group. Only the restricted page
itself is served to that visitor.

The layout, in every state: a visible news item (with the public image and
document) under the site's news index; a section in the menu ("Secret
section", using the secret image and document) with a child page and a news
index of its own holding one news item; and, for a state that hides a page
itself, a "Secret news" item beside the visible one. The state hides the
section and the secret news; its children are then public again unless the
state is a view restriction, which covers everything below.
"""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, PageViewRestriction, Site

from cms.models import NewsIndexPage, NewsPage, StandardPage
from cms.schedule import out_of_schedule_q
from cms.visibility import is_public, publicly_visible

PASSWORD = "secret"

#: State → how Wagtail's page serving answers for a hidden page itself:
#: "missing" (404 like a page that never existed), "login" (302 to the login
#: form), "password" (the password form).
SERVING = {
    "draft": "missing",
    "unpublished": "missing",
    "login": "login",
    "password": "password",
    "groups": "login",
    "restricted_parent": "password",
    "expired": "missing",
    "scheduled": "missing",
    "unpublished_parent": "missing",
}
#: States that hide one page only: pages below it are public.
LEAF_STATES = {"draft", "unpublished", "expired", "scheduled", "unpublished_parent"}
#: States that hide a news item of the site's news index too.
WITH_SECRET_NEWS = set(SERVING) - {"restricted_parent", "unpublished_parent"}
VISITORS = ["anonymous", "allowed"]
#: The legacy address of each page a redirect leads to.
LEGACY = {"visible": "/pub/index.php?id=1", "section": "/pub/index.php?id=2",
          "child": "/pub/index.php?id=3"}


def event(day):
    return {"date": datetime.date(2024, 6, day), "event_start": datetime.date(2024, 7, day)}


def add(parent, page, publish=True):
    page.live = publish  # a page never published is not live
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def hide(page, state, partners):
    """Hide ``page`` the way ``state`` names (``restricted_parent``: its own
    restriction, which is its children's restricted parent)."""
    now = timezone.now()
    if state == "unpublished" or state == "unpublished_parent":
        page.unpublish()
    elif state == "login":
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    elif state in ("password", "restricted_parent"):
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
        )
    elif state == "groups":
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(partners)
    elif state == "expired":
        # publish_scheduled has not run: the page is still live in the database.
        page.expire_at = now - datetime.timedelta(minutes=1)
        page.save()
    elif state == "scheduled":
        # Live, going live later (written by code, not the admin).
        page.go_live_at = now + datetime.timedelta(days=1)
        page.save()


def files(kind):
    """An image and a document, ``kind`` "secret" or "public"."""
    image = get_image_model().objects.create(
        title=f"{kind.title()} image", file=get_test_image_file(f"{kind}-image.png")
    )
    document = get_document_model()(title=f"{kind.title()} document")
    document.file.save(f"{kind}-document.txt", ContentFile(f"{kind} minutes".encode()))
    return image, document


def uses(image, document):
    return (
        f'<p>Secret body <a linktype="document" id="{document.pk}">minutes</a></p>'
        f'<embed embedtype="image" id="{image.pk}" format="left" alt=""/>'
    )


@pytest.fixture
def world(tree, settings, tmp_path, django_capture_on_commit_callbacks, request):
    """The layout of the module docstring, in the state the test names."""
    state = request.node.callspec.params["state"]
    settings.MEDIA_ROOT = tmp_path
    Site.clear_site_root_paths_cache()
    partners = Group.objects.create(name="Partners")
    secret_image, secret_document = files("secret")
    public_image, public_document = files("public")
    with django_capture_on_commit_callbacks(execute=True):
        section = add(
            tree.home,
            StandardPage(title="Secret section", show_in_menus=True,
                         body=uses(secret_image, secret_document)),
            publish=state != "draft",
        )
        child = add(section, StandardPage(title="Section child", body="<p>Child body</p>"))
        index = add(section, NewsIndexPage(title="Section news"))
        item = add(index, NewsPage(title="Section item", **event(3)))
        item.tags.add("section-tag")
        item.save_revision().publish()
        secret_news = None
        if state in WITH_SECRET_NEWS:
            secret_news = add(
                tree.news,
                NewsPage(title="Secret news", image=secret_image,
                         body=uses(secret_image, secret_document), **event(2)),
                publish=state != "draft",
            )
            secret_news.tags.add("secret-tag")
            secret_news.save()
        if state == "restricted_parent":
            secret_news = add(index, NewsPage(title="Secret news", body="<p>Secret body</p>",
                                              **event(2)))
        if state != "draft":
            hide(section, state, partners)
            if state in WITH_SECRET_NEWS:
                hide(secret_news, state, partners)
        # Published last, so every cache of the feeds is invalidated after the state.
        visible = add(
            tree.news,
            NewsPage(title="Visible news", image=public_image,
                     body=f'<p><a linktype="document" id="{public_document.pk}">Notes</a></p>',
                     **event(1)),
        )
        visible.tags.add("visible-tag")
        visible.save_revision().publish()
    redirects = {
        name: Redirect.objects.create(old_path=LEGACY[name], redirect_page=page)
        for name, page in (("section", section), ("child", child), ("visible", visible))
    }
    children_public = state in LEAF_STATES
    hidden = [section] + ([secret_news] if secret_news else [])
    if not children_public:
        hidden += [child, index, item]
    return {
        "state": state,
        "section": section,
        "child": child,
        "item": item,
        "secret_news": secret_news,
        "visible": visible,
        "hidden": hidden,
        "children_public": children_public,
        "public_parent": section if children_public else None,
        "public_files": (public_image, public_document),
        "secret_files": (secret_image, secret_document),
        "redirects": redirects,
        "partners": partners,
    }


def become(client, visitor, world, django_user_model):
    """The allowed visitor passes every password through Wagtail's form and
    logs in as a member of the restricted group: everything Wagtail asks."""
    if visitor == "anonymous":
        return
    for restriction in PageViewRestriction.objects.filter(
        restriction_type=PageViewRestriction.PASSWORD
    ):
        page = restriction.page
        response = client.post(
            reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk]),
            {"password": PASSWORD, "return_url": page.url},
        )
        assert response.status_code == 302 and response["Location"] == page.url
    member = django_user_model.objects.create_user("partner", password="pw")
    member.groups.add(world["partners"])
    client.force_login(member)


class Leaks:
    """Every answer that breaks the policy, collected so one run names them all."""

    def __init__(self, world):
        self.world, self.found = world, []

    def check(self, what, response, status=200, shows=(), own=None, urls=False):
        """``response`` has ``status``, names no hidden page (but ``own``,
        the page served itself), and names every page of ``shows``; with
        ``urls``, links to no hidden page either (a public page below the
        section has the section's path in its own URL)."""
        if response.status_code != status:
            self.found.append(f"{what}: status {response.status_code}, expected {status}")
        content = b"".join(response) if response.streaming else response.content
        for page in self.world["hidden"]:
            if page is not own and page.title.encode() in content:
                self.found.append(f"{what}: shows {page.title!r}")
            if urls and page is not self.world["public_parent"] and page.url in content.decode():
                self.found.append(f"{what}: links to {page.url}")
        for page in shows:
            if page.title.encode() not in content:
                self.found.append(f"{what}: does not show {page.title!r}")

    def equal(self, what, actual, expected):
        if actual != expected:
            self.found.append(f"{what}: {actual!r}, expected {expected!r}")


def served_as(client, leaks, page, serving, visitor, what):
    """Wagtail's page serving of a hidden page: not found, or its login or
    password form; the page itself to the allowed visitor."""
    response = client.get(page.url)
    if serving == "missing":
        leaks.check(what, response, 404)
        missing = client.get(page.url + "missing/")
        leaks.equal(f"{what} body", response.content.replace(page.url.encode(), b""),
                    missing.content.replace(page.url.encode() + b"missing/", b""))
    elif visitor == "allowed":
        leaks.check(what, response, 200, own=page)
        if b"Secret body" not in response.content and b"Child body" not in response.content:
            leaks.found.append(f"{what}: the allowed visitor does not get the page")
    elif serving == "login":
        leaks.check(what, response, 302)
        leaks.equal(f"{what} redirect", response["Location"].split("?")[0],
                    reverse("wagtailcore_login"))
    else:
        leaks.check(what, response, 200)
        body = response.content
        if b'type="password"' not in body or b"Secret body" in body or b"Child body" in body:
            leaks.found.append(f"{what}: not the password form")
    return response


def website(client, world, leaks, visitor):
    serving = SERVING[world["state"]]
    visible, item = world["visible"], world["item"]
    served_as(client, leaks, world["section"], serving, visitor, "hidden page")
    if world["secret_news"] is not None:
        served_as(client, leaks, world["secret_news"], serving, visitor, "hidden news")
    child_serving = "public" if world["children_public"] else serving
    if child_serving == "public" or (visitor == "allowed" and child_serving != "missing"):
        # The child's frame (breadcrumbs, menu) names no hidden ancestor.
        response = client.get(world["child"].url)
        leaks.check("child page", response, 200, own=world["child"])
        response = client.get(item.url)
        leaks.check("breadcrumbs of a news item", response, 200, own=item)
    else:
        served_as(client, leaks, world["child"], child_serving, visitor, "child page")
    public_news = [visible] + ([item] if world["children_public"] else [])
    leaks.check("home: latest news, menu", client.get("/"), shows=public_news, urls=True)
    leaks.check("news index", client.get("/news/"), shows=[visible], urls=True)
    leaks.check("news index of a tag", client.get("/news/", {"tag": "visible-tag"}),
                shows=[visible])
    unknown = client.get("/news/", {"tag": "no-such-tag"})
    leaks.check("news index of an unknown tag", unknown, 404)
    for tag in ("secret-tag", "section-tag"):
        response = client.get("/news/", {"tag": tag})
        leaks.check(f"news index of {tag}", response, 404)
        leaks.equal(f"news index of {tag} body", response.content.replace(tag.encode(), b""),
                    unknown.content.replace(b"no-such-tag", b""))
    sitemaps(client, world, leaks, public_news)
    for words in ("secret", "news", "section"):
        leaks.check(f"search for {words!r}", client.get("/search/", {"q": words}), urls=True,
                    shows=[visible] if words == "news" else ())


def sitemaps(client, world, leaks, public_news):
    """The sitemap and the API's list of it name public pages only, by URL."""
    for what, path in (("sitemap", "/sitemap.xml"), ("API sitemap", "/api/v2/sitemap/")):
        response = client.get(path)
        leaks.check(what, response, urls=True)
        for page in public_news:
            if page.full_url not in response.content.decode():
                leaks.found.append(f"{what}: does not list {page.full_url}")


def api(client, world, leaks):
    hidden_ids = {page.pk for page in world["hidden"]}
    public_ids = {world["visible"].pk} | (
        {world["child"].pk, world["item"].pk} if world["children_public"] else set()
    )
    for version in ("v2", "v3"):
        base = f"/api/{version}/pages/"
        for what, query in (("list", {"limit": 100}), ("search", {"search": "secret section"}),
                            ("news list", {"type": "cms.NewsPage", "limit": 100}),
                            ("children of home", {"child_of": world["section"].get_parent().pk}),
                            ("children of news", {"child_of": world["visible"].get_parent().pk}),
                            ("search news", {"search": "news"})):
            response = client.get(base, query)
            leaks.check(f"{version} {what}", response, urls=True)
            listed = {item["id"] for item in response.json()["items"]}
            leaks.equal(f"{version} {what} hidden", listed & hidden_ids, set())
            if what == "list":
                leaks.equal(f"{version} list public", public_ids - listed, set())
            if what in ("children of news", "search news"):
                leaks.equal(f"{version} {what} public", world["visible"].pk in listed, True)
        found = client.get(f"{base}find/", {"html_path": world["visible"].url})
        leaks.check(f"{version} find of a public page", found, 302)
        for page in world["hidden"]:
            leaks.check(f"{version} detail", client.get(f"{base}{page.pk}/"), 404)
            for query in ({"id": page.pk}, {"html_path": page.url}):
                leaks.check(f"{version} find {query}", client.get(f"{base}find/", query), 404)
        if world["children_public"]:
            response = client.get(f"{base}{world['child'].pk}/")
            leaks.check(f"{version} detail of a public child", response, 200, own=world["child"])
            if version == "v3":
                leaks.equal("v3 meta.parent", response.json()["meta"]["parent"], None)


def redirects(client, world, leaks):
    redirect = world["redirects"]
    public = client.get(LEGACY["visible"])
    leaks.check("redirect to a public page", public, 301)
    leaks.equal("redirect to a public page", public["Location"], world["visible"].url)
    hidden = client.get(LEGACY["section"])
    leaks.check("redirect to a hidden page", hidden, 404)
    leaks.equal("redirect to a hidden page", hidden.has_header("Location"), False)
    leaks.check("redirect to its child", client.get(LEGACY["child"]),
                301 if world["children_public"] else 404)
    for version in ("v2", "v3"):
        base = f"/api/{version}/redirects/"
        response = client.get(base)
        leaks.check(f"{version} redirects", response)
        listed = {item["id"] for item in response.json()["items"]}
        leaks.equal(f"{version} redirects listed", redirect["visible"].pk in listed, True)
        leaks.equal(f"{version} hidden redirect listed", redirect["section"].pk in listed, False)
        leaks.check(f"{version} redirect detail", client.get(f"{base}{redirect['section'].pk}/"),
                    404)
        for query in ({"id": redirect["section"].pk}, {"html_path": LEGACY["section"]}):
            leaks.check(f"{version} redirect find", client.get(f"{base}find/", query), 404)


def images_and_documents(client, world, leaks):
    public_image, public_document = world["public_files"]
    secret_image, secret_document = world["secret_files"]
    for version in ("v2", "v3"):
        for kind, public, secret in (("images", public_image, secret_image),
                                     ("documents", public_document, secret_document)):
            response = client.get(f"/api/{version}/{kind}/")
            leaks.check(f"{version} {kind}", response)
            listed = {item["id"] for item in response.json()["items"]}
            leaks.equal(f"{version} {kind} listed", listed, {public.pk})
            leaks.check(f"{version} {kind} detail",
                        client.get(f"/api/{version}/{kind}/{secret.pk}/"), 404)
    leaks.check("document download", client.get(secret_document.url), 404)
    leaks.check("public document download", client.get(public_document.url), 200)


def feeds(client, world, leaks):
    public_news = [world["visible"]] + ([world["item"]] if world["children_public"] else [])
    for path in ("/feeds/news.rss", "/feeds/news.atom", "/feeds/news.json", "/feeds/events.ics"):
        leaks.check(path, client.get(path), shows=public_news, urls=True)
    leaks.check("tag feed", client.get("/feeds/news.json", {"tag": "visible-tag"}),
                shows=[world["visible"]])
    leaks.check("tag feed of hidden news", client.get("/feeds/news.json", {"tag": "secret-tag"}),
                404)
    leaks.check("tag feed of a public child", client.get("/feeds/news.json",
                                                         {"tag": "section-tag"}),
                200 if world["children_public"] else 404)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("state", sorted(SERVING))
def test_every_surface_follows_the_policy(client, world, django_user_model, state, visitor):
    become(client, visitor, world, django_user_model)
    leaks = Leaks(world)
    website(client, world, leaks, visitor)
    api(client, world, leaks)
    redirects(client, world, leaks)
    images_and_documents(client, world, leaks)
    if apps.is_installed("syndication"):  # cms also runs alone (tests.settings_cms_only)
        feeds(client, world, leaks)
    assert leaks.found == []


@pytest.mark.parametrize("state", sorted(SERVING))
def test_the_rule_is_wagtails_public_plus_the_schedule(world, state):
    """The queryset filter and the per-page answer agree with each other and
    with Wagtail's own ``live().public()`` minus pages out of schedule."""
    pages = Page.objects.all()
    wagtails = set(pages.live().public().exclude(out_of_schedule_q()).values_list("pk", flat=True))
    ours = set(publicly_visible(pages).values_list("pk", flat=True))
    assert ours == wagtails
    assert {page.pk for page in pages if is_public(page)} == ours
    assert ours.isdisjoint(page.pk for page in world["hidden"])
    assert not Page.objects.filter(Q(pk__in=ours) & Q(title__startswith="Secret")).exists()

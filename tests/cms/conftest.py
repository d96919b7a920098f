import datetime

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from cms.models import NewsPage, StandardPage, WorkPackagePage


@pytest.fixture
def make_news(tree, publish):
    def _make(title="News item", day=1, **fields):
        fields.setdefault("date", datetime.date(2007, 6, day))
        return publish(tree.news, NewsPage(title=title, **fields))

    return _make


@pytest.fixture
def hidden_news(tree, make_news):
    """One news page for each way a page must stay out of public view."""
    now = datetime.datetime.now(datetime.UTC)
    pages = {}

    draft = NewsPage(title="Draft item", date=datetime.date(2007, 1, 1))
    tree.news.add_child(instance=draft)
    draft.save_revision()
    draft.unpublish()
    pages["draft"] = draft

    unpublished = make_news("Unpublished item")
    unpublished.unpublish()
    pages["unpublished"] = unpublished

    private = make_news("Private item")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    pages["private"] = private

    password = make_news("Password item")
    PageViewRestriction.objects.create(
        page=password, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    pages["password"] = password

    groups = make_news("Group item")
    restriction = PageViewRestriction.objects.create(
        page=groups, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Partners"))
    pages["groups"] = groups

    expired = make_news("Expired item")
    expired.expire_at = now - datetime.timedelta(minutes=1)
    expired.save()
    pages["expired"] = expired

    scheduled = NewsPage(title="Scheduled item", date=datetime.date(2007, 2, 1))
    tree.news.add_child(instance=scheduled)
    scheduled.go_live_at = now + datetime.timedelta(days=1)
    scheduled.save_revision().publish()
    pages["scheduled"] = scheduled

    # A live page whose go-live time lies ahead (written by code, not the admin).
    early = make_news("Early item")
    early.go_live_at = now + datetime.timedelta(days=1)
    early.save()
    pages["live_but_scheduled"] = early
    return pages


@pytest.fixture
def work_package(tree, publish):
    return publish(tree.work_packages, WorkPackagePage(title="Work Package 2", number=2))


@pytest.fixture
def standard_page(tree, publish):
    return publish(tree.home, StandardPage(title="Riga", body="<p>Capital of Latvia.</p>"))


@pytest.fixture
def make_image(db, settings, tmp_path):
    """A real image file in a throwaway media folder."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    settings.MEDIA_ROOT = tmp_path

    def _make(title="Picture", description=""):
        buffer = io.BytesIO()
        PILImage.new("RGB", (40, 30), "red").save(buffer, "PNG")
        return Image.objects.create(
            title=title, description=description, file=ImageFile(buffer, name="picture.png")
        )

    return _make


@pytest.fixture
def website(tree, publish, make_news, make_image, work_package, standard_page):
    """One page of every type, with the content each template shows."""
    from cms.models import Milestone

    tree.home.intro = "<p>Innovation in Baltic metropolises.</p>"
    tree.home.save_revision().publish()
    news = make_news(
        "Cluster conference in Berlin",
        day=13,
        summary="Partners met in Berlin.",
        body="<p>The conference took place at WISTA.</p>",
        event_start=datetime.date(2007, 6, 13),
        event_end=datetime.date(2007, 6, 15),
        location="Berlin",
        image=make_image("Conference hall", description="The conference hall in Berlin"),
    )
    news.tags.add("Clusters", "Events")
    news.save_revision().publish()
    work_package.intro = "<p>Marketing the metropolises.</p>"
    work_package.status = "Actual implementation of actions is delayed."
    work_package.body = "<p>Closing remarks.</p>"
    work_package.milestones = [
        Milestone(number=2, period_start=datetime.date(2005, 7, 1),
                  period_end=datetime.date(2005, 12, 1), description="<p>Mechanism developed.</p>"),
        Milestone(number=1, period_start=datetime.date(2005, 1, 1),
                  period_end=datetime.date(2005, 6, 1), description="<p>Data gathered.</p>"),
    ]
    work_package.save_revision().publish()
    part = publish(work_package, WorkPackagePage(title="Marketing Strategies"))
    return {
        "home": tree.home,
        "news_index": tree.news,
        "news": NewsPage.objects.get(pk=news.pk),
        "work_package_index": tree.work_packages,
        "work_package": WorkPackagePage.objects.get(pk=work_package.pk),
        "part": part,
        "standard": standard_page,
    }

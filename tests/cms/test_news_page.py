import datetime

import pytest
from django.core.exceptions import ValidationError

from cms.models import NewsPage


def test_date_defaults_to_first_publication(tree):
    page = NewsPage(title="No date given")
    tree.news.add_child(instance=page)
    assert page.date is None
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.first_published_at is not None
    assert page.date == page.first_published_at.date()


def test_date_an_editor_gave_is_kept(tree):
    page = NewsPage(title="Dated", date=datetime.date(2007, 11, 13))
    tree.news.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.date == datetime.date(2007, 11, 13)


def test_event_cannot_end_before_it_starts(tree):
    page = NewsPage(
        title="Backwards",
        slug="backwards",
        event_start=datetime.date(2007, 6, 15),
        event_end=datetime.date(2007, 6, 13),
    )
    with pytest.raises(ValidationError) as error:
        tree.news.add_child(instance=page)
    assert "event_end" in error.value.message_dict

"""The one table of page kinds: every stage derives model, parent, order and fields from it."""

from __future__ import annotations

import dataclasses

import pytest
from wagtail.models import Page

from cms.site_tree import SiteTree
from importers.page_types import model_of
from importers.records import KINDS, Kind, PageRecord


def test_every_kind_has_one_row():
    assert set(KINDS) == set(Kind)


@pytest.mark.parametrize("kind", [k for k in Kind if KINDS[k].model], ids=str)
def test_a_kinds_model_is_a_page_type_with_its_fields(kind):
    model = model_of(kind)
    assert issubclass(model, Page)
    for name in kind.spec.fields:
        model._meta.get_field(name)


@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_a_kinds_parent_is_an_index_of_the_site_tree_and_its_fields_are_on_the_record(kind):
    assert kind.spec.parent in {f.name for f in dataclasses.fields(SiteTree)}
    record_fields = {f.name for f in dataclasses.fields(PageRecord)}
    assert set(kind.spec.fields) <= record_fields


def test_parents_are_written_before_their_children():
    # a work package's parts rank one after it, before the pages that may link to them
    assert Kind.WORK_PACKAGE.spec.order + 1 < Kind.PAGE.spec.order
    assert Kind.NEWS_INDEX.spec.order < Kind.NEWS.spec.order

"""The workarounds around Wagtail fail loudly when the code they copy or
replace changes: in this suite, and at ``manage.py check`` in a host project."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.core.checks import Error, Warning
from django.urls import path
from wagtail.api.v3 import querysets as v3_querysets

from cms.compat import checks, v3_routes
from cms.compat.reliance import resolve

#: Workaround → its check id; ``E`` where a change could leak hidden pages.
CHECK_IDS = {
    "cms.compat.v3_querysets": "cms.E003",
    "cms.compat.v3_routes": "cms.E004",
    "cms.compat.url_patterns": "cms.E011",
    "cms.compat.redirect_lookup": "cms.E010",
    "cms.compat.v3_listings": "cms.W010",
    "cms.compat.relabel": "cms.W011",
    "cms.compat.task_leases": "cms.W012",
    "cms.compat.page_search_names": "cms.W013",
    "cms.compat.log_actors": "cms.W014",
    "cms.compat.api_markdown": "cms.E012",
    "cms.compat.search_index": "cms.W015",
}


def test_every_workaround_has_its_check_id():
    assert set(checks.WORKAROUNDS) == set(CHECK_IDS)


@pytest.mark.parametrize("name", checks.WORKAROUNDS)
def test_the_installed_code_is_what_the_workaround_was_checked_against(name):
    reliance = import_module(name).RELIES_ON
    current = reliance.current()
    assert current == reliance.fingerprint, (
        f"{', '.join(reliance.names)} changed (fingerprint {current}, {name} was checked "
        f"against {reliance.fingerprint}). Re-check: {reliance.recheck} Then store the new "
        f"fingerprint in {name}.RELIES_ON."
    )


def test_the_check_passes_with_the_installed_wagtail():
    assert checks.check_wagtail_workarounds(None) == []


def changed(*args, **kwargs):
    """Stands for what a new release has in place of the code a workaround relies on."""
    return None


def new_read_route(api):
    """Wagtail's v3 API with one more anonymous read beside the guarded ones."""
    patterns, app_name, namespace = api.urls
    extra = path("images/find/", changed, name="find_image")
    return SimpleNamespace(urls=([*patterns, extra], app_name, namespace))


@pytest.mark.parametrize("name", checks.WORKAROUNDS)
def test_a_change_in_what_a_workaround_relies_on_is_reported(name, monkeypatch):
    workaround = import_module(name)
    relied_on = workaround.RELIES_ON.names[0]
    owner_name, attribute = relied_on.rsplit(".", 1)
    replacement = new_read_route(resolve(relied_on)) if name.endswith("v3_routes") else changed
    monkeypatch.setattr(resolve(owner_name), attribute, replacement)

    messages = checks.workaround_messages(name)

    assert messages, f"{relied_on} changed and no check said so"
    level = Error if ".E" in CHECK_IDS[name] else Warning
    for message in messages:
        assert (message.id, type(message)) == (CHECK_IDS[name], level)
        assert relied_on in message.msg and name in message.hint


def test_a_wagtail_whose_v3_internals_moved_fails_loudly(monkeypatch):
    """What a Wagtail release that stops reading the replaced global looks like."""

    def get_pages_queryset(request, model=None):
        return model.objects.none()

    monkeypatch.setattr(v3_querysets, "get_pages_queryset", get_pages_queryset)
    messages = checks.check_wagtail_workarounds(None)
    assert {message.id for message in messages} == {"cms.E003"}
    assert "no longer reads get_public_pages_queryset" in messages[0].msg

    monkeypatch.delattr(v3_querysets, "get_public_pages_queryset")
    assert "is gone" in checks.check_wagtail_workarounds(None)[0].msg


def test_a_wagtail_whose_v3_routes_moved_fails_loudly(monkeypatch):
    monkeypatch.setattr(v3_routes, "GUARDED_ROUTES", {*v3_routes.GUARDED_ROUTES, "images/<pk>/"})
    [error] = checks.check_wagtail_workarounds(None)
    assert error.id == "cms.E004"
    assert "images/<pk>/" in error.msg

"""System checks report, with ids and hints, what would otherwise fail later."""

from wagtail.api.v3 import querysets as v3_querysets

from cms import checks


def ids(messages):
    return [message.id for message in messages]


def test_settings_as_the_api_needs_them_pass():
    assert checks.check_api_settings(None) == []
    assert checks.check_api_v3_visibility(None) == []


def test_rich_text_in_any_format_but_html(settings):
    settings.WAGTAILAPI_RICH_TEXT_FORMAT = "draftail"
    [error] = checks.check_api_settings(None)
    assert error.id == "cms.E001" and error.hint


def test_base_urls_must_be_absolute(settings):
    settings.WAGTAILAPI_BASE_URL = "cms.example.org"
    settings.WAGTAIL_FRONTEND_BASE_URL = "/frontend"
    assert ids(checks.check_api_settings(None)) == ["cms.E002", "cms.E002"]
    settings.WAGTAILAPI_BASE_URL = "https://cms.example.org"
    settings.WAGTAIL_FRONTEND_BASE_URL = ""
    assert checks.check_api_settings(None) == []


def test_a_wagtail_whose_v3_internals_moved_fails_loudly(monkeypatch):
    """What a Wagtail release that stops reading the replaced global looks like."""

    def get_pages_queryset(request, model=None):
        return model.objects.none()

    monkeypatch.setattr(v3_querysets, "get_pages_queryset", get_pages_queryset)
    [error] = checks.check_api_v3_visibility(None)
    assert error.id == "cms.E003"
    assert "no longer reads get_public_pages_queryset" in error.msg

    monkeypatch.delattr(v3_querysets, "get_public_pages_queryset")
    [error] = checks.check_api_v3_visibility(None)
    assert "is gone" in error.msg


def test_the_v3_guard_finds_every_route_it_guards():
    assert checks.check_api_v3_guard(None) == []


def test_a_wagtail_whose_v3_routes_moved_fails_loudly(monkeypatch):
    from cms.api import v3

    monkeypatch.setattr(v3, "GUARDED_ROUTES", {*v3.GUARDED_ROUTES, "images/<pk>/"})
    [error] = checks.check_api_v3_guard(None)
    assert error.id == "cms.E004"
    assert "images/<pk>/" in error.msg


def test_wagtails_redirects_need_ours_before_them(settings):
    from cms.redirects import MIDDLEWARE, WAGTAIL_MIDDLEWARE

    assert checks.check_redirects_to_hidden_pages(None) == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    [error] = checks.check_redirects_to_hidden_pages(None)
    assert error.id == "cms.E005" and error.hint
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]  # after Wagtail's: too late
    assert ids(checks.check_redirects_to_hidden_pages(None)) == ["cms.E005"]
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m not in (MIDDLEWARE,
                                                                       WAGTAIL_MIDDLEWARE)]
    assert checks.check_redirects_to_hidden_pages(None) == []

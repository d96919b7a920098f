"""System checks report, with ids and hints, what would otherwise fail later."""

from cms import checks


def ids(messages):
    return [message.id for message in messages]


def test_settings_as_the_api_needs_them_pass():
    assert checks.check_api_settings(None) == []


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

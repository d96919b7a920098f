"""System checks: what would otherwise fail later, or silently, in a host project."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from cms.compat import v3_querysets


def is_absolute_url(value):
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def base_url_errors(setting_names, check_id):
    """Errors for settings that must be absolute URLs when set."""
    return [
        Error(
            f"{name} must be an absolute URL such as https://www.example.org, not {value!r}.",
            hint="Readers and frontends follow these URLs from anywhere; set the scheme and host.",
            obj=name,
            id=check_id,
        )
        for name in setting_names
        if (value := getattr(settings, name, "")) and not is_absolute_url(value)
    ]


@register(Tags.compatibility)
def check_api_settings(app_configs, **kwargs):
    errors = []
    if getattr(settings, "WAGTAILAPI_RICH_TEXT_FORMAT", None) != "html":
        errors.append(
            Error(
                'WAGTAILAPI_RICH_TEXT_FORMAT must be "html".',
                hint="The API's rich text fields are a contract of ready HTML with real URLs; "
                "any other format gives frontends Wagtail's internal link format.",
                obj="WAGTAILAPI_RICH_TEXT_FORMAT",
                id="cms.E001",
            )
        )
    errors += base_url_errors(["WAGTAILAPI_BASE_URL", "WAGTAIL_FRONTEND_BASE_URL"], "cms.E002")
    return errors


@register(Tags.compatibility)
def check_api_v3_visibility(app_configs, **kwargs):
    """The v3 preview offers no hook for the public queryset: ``cms`` replaces
    one of its module globals (see :mod:`cms.compat.v3_querysets`). Fail loudly when
    an upgrade of Wagtail moves what is replaced."""
    problem = v3_querysets.v3_mismatch()
    if problem is None:
        return []
    return [
        Error(
            f"Wagtail's API v3 no longer looks up its public pages the way cms expects: {problem}.",
            hint="Drafts, expired and scheduled pages could reach the public through /api/v3/. "
            "Update cms.compat.v3_querysets for this Wagtail release "
            "(or use a hook it now offers).",
            obj="wagtail.api.v3.querysets",
            id="cms.E003",
        )
    ]


@register(Tags.compatibility)
def check_api_docs_offline(app_configs, **kwargs):
    return api_docs_offline_errors(settings.INSTALLED_APPS)


def api_docs_offline_errors(installed_apps):
    """django-ninja serves the Swagger UI of ``/api/v3/docs/`` from the site's
    static files only when it is in ``INSTALLED_APPS`` (which it reads itself);
    otherwise the page loads it from a public CDN: blank offline, and a privacy
    and Content-Security-Policy problem."""
    if "wagtail.api.v3" in installed_apps and "ninja" not in installed_apps:
        return [
            Warning(
                "/api/v3/docs/ loads Swagger UI from a public CDN.",
                hint='Add "ninja" to INSTALLED_APPS so that the site serves it itself.',
                obj="INSTALLED_APPS",
                id="cms.W001",
            )
        ]
    return []


@register(Tags.compatibility)
def check_api_v3_guard(app_configs, **kwargs):
    """The v3 guard (:mod:`cms.api.v3`) finds Wagtail's routes by their
    paths: fail loudly when an upgrade of Wagtail moves one of them."""
    from cms.api.v3 import unguarded_routes

    missing = sorted(unguarded_routes())
    if not missing:
        return []
    return [
        Error(
            f"Wagtail's API v3 no longer has the routes cms guards: {', '.join(missing)}.",
            hint="Malformed requests could reach the database and files used only by "
            "non-public pages could be listed. Update cms.api.v3 for this Wagtail release.",
            obj="wagtail.api.v3.urls",
            id="cms.E004",
        )
    ]


@register(Tags.security)
def check_redirects_to_hidden_pages(app_configs, **kwargs):
    """With Wagtail's redirect middleware, ours must come before it (:mod:`cms.redirects`)."""
    from cms.redirects import MIDDLEWARE, WAGTAIL_MIDDLEWARE

    middleware = list(settings.MIDDLEWARE)
    if WAGTAIL_MIDDLEWARE not in middleware:
        return []
    if MIDDLEWARE in middleware and middleware.index(MIDDLEWARE) < middleware.index(
        WAGTAIL_MIDDLEWARE
    ):
        return []
    return [
        Error(
            f"{MIDDLEWARE} must be in MIDDLEWARE before {WAGTAIL_MIDDLEWARE}.",
            hint="Without it, a redirect to a draft, private, expired or scheduled page answers "
            "with that page's URL, which gives its slug away.",
            obj="MIDDLEWARE",
            id="cms.E005",
        )
    ]

"""System checks: what would otherwise fail later, or silently, in a host project.

The checks of the workarounds around Wagtail are in :mod:`cms.compat.checks`.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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
            "with that page's URL, which gives its slug away; old links with session ids "
            "are not found and a deleted page's are not Gone.",
            obj="MIDDLEWARE",
            id="cms.E005",
        )
    ]


#: What every page of the website, and its 404 and 500 pages, link to.
STYLESHEET = "cms/site.css"


@register(Tags.staticfiles, deploy=True)
def check_static_files_collected(app_configs, **kwargs):
    """With a manifest storage (hashed names, as in production), a stylesheet that
    ``collectstatic`` never wrote makes every page raise, the 404 page too: every
    answer is a 500, while ``/healthz`` (which links nothing) says ok."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    try:
        staticfiles_storage.url(STYLESHEET)
    except ValueError as exc:
        return [
            Error(
                f"The static files are not collected: {exc}",
                hint="Run python manage.py collectstatic --noinput, with the same STATIC_ROOT "
                "as the site.",
                obj="STATIC_ROOT",
                id="cms.E006",
            )
        ]
    return []

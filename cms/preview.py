"""Drafts shown by a headless frontend, behind short-lived preview tokens.

The admin's preview builds an unsaved page from the editor's form. With a
frontend configured, :meth:`ProjectPage.serve_preview` keeps that draft here
and sends the preview to the frontend with a token; the frontend reads the
draft from ``/api/v2/page_preview/?token=…`` in the shapes of the v2 API.

A token is a random key, signed with a timestamp: it expires by its signature
(whatever the cache does), and the draft is kept in Django's cache (shared by
all workers through Redis) only as long. A page id alone never reads a draft.
"""

import secrets
from urllib.parse import urlencode

from django.apps import apps
from django.core import signing
from django.core.cache import cache

from cms import conf

SALT = "cms.preview"
KEY_PREFIX = "cms:preview:"


def _signer():
    return signing.TimestampSigner(salt=SALT)


def content_type_name(page):
    """``app_label.modelname``, as wagtail-headless-preview's frontends expect it."""
    return page._meta.label_lower


def issue(page):
    """Keep ``page`` (a draft, possibly unsaved) and return a token that reads it."""
    key = secrets.token_urlsafe(24)
    cache.set(
        KEY_PREFIX + key,
        {"model": content_type_name(page), "json": page.to_json()},
        timeout=conf.preview_token_max_age(),
    )
    return _signer().sign(key)


def redeem(token):
    """The draft a valid, unexpired token stands for, or None."""
    try:
        key = _signer().unsign(token, max_age=conf.preview_token_max_age())
    except signing.BadSignature:  # also SignatureExpired
        return None
    stored = cache.get(KEY_PREFIX + key)
    if stored is None:
        return None
    model = apps.get_model(stored["model"])
    page = model.from_json(stored["json"])
    if page.pk is None:
        # A page not saved yet: the API's URLs need some id, and 0 is none.
        page.pk = page.id = 0
    return page


def frontend_preview_url(page, token):
    return (
        f"{conf.frontend_base_url()}{conf.FRONTEND_PREVIEW_PATH}?"
        + urlencode({"content_type": content_type_name(page), "token": token})
    )

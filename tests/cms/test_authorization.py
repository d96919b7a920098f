"""Who you are is never guessed: a malformed ``Authorization`` header is a
401 on every API, never a request served as anonymous; error bodies name no
internal host, port or exception."""

import pytest
from django.core.cache import caches
from wagtail.models import APIToken

from tests.serving import free_port

PATHS = [
    "/api/v2/pages/", "/api/v2/pages/{news}/", "/api/v2/page_preview/?token=x",
    "/api/v3/pages/", "/api/v3/pages/{news}/", "/api/v3/images/",
]
MALFORMED = [
    "Bearer\tx", "Bearer", "Bearer ", "Bearer  x", "Bearer x y", "Token abc",
    "Basic dXNlcjpwYXNzd29yZA==", "x", "Bearer \x7f",
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("header", MALFORMED)
def test_a_malformed_authorization_header_is_401(client, tree, path, header):
    response = client.get(path.format(news=tree.news.pk), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401, response.content[:300]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]
    assert "private" in response["Cache-Control"]


def test_a_well_formed_valid_token_still_reads(client, tree, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    _token, plaintext = APIToken.create_token(user=user, name="frontend")
    response = client.get("/api/v3/pages/", HTTP_AUTHORIZATION=f"bearer {plaintext}")
    assert response.status_code == 200


@pytest.fixture
def cache_down(settings):
    """Django's cache at a port nothing listens on, as when Redis is down."""
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }}
    yield settings.CACHES["default"]["LOCATION"]
    caches["default"].close()


@pytest.mark.parametrize("path", ["/api/v3/pages/", "/api/v3/pages/?child_of=root",
                                  "/api/v2/pages/", "/api/v3/pages/{news}/"])
def test_error_bodies_name_no_internal_host_port_or_exception(client, tree, cache_down, path):
    client.raise_request_exception = False
    response = client.get(path.format(news=tree.news.pk))
    body = response.content.decode()
    port = cache_down.rsplit(":", 1)[1].split("/")[0]
    assert port not in body and "127.0.0.1" not in body
    for internal in ("ConnectionError", "Connection refused", "redis", "Traceback"):
        assert internal not in body, body[:300]

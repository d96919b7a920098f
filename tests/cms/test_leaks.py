"""Nothing about a non-public page leaks through the API or a download:
not its parent's title, not the images and documents only it uses, and an
invalid token is refused rather than served as anonymous."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import APIToken

from cms.models import NewsPage, StandardPage

Document = get_document_model()


def image_file(name):
    from wagtail.images import get_image_model

    return get_image_model().objects.create(title=name, file=get_test_image_file(name + ".png"))


def document_file(name):
    document = Document(title=name)
    document.file.save(f"{name}.txt", ContentFile(b"confidential minutes"))
    return document


def use_files(page, image, document):
    """The page shows the image and links the document, as editors do."""
    page.image = image
    page.body = f'<p><a linktype="document" id="{document.pk}">Minutes</a></p>'
    page.save()
    revision = page.save_revision()
    if page.live:
        revision.publish()


@pytest.fixture
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return {}


@pytest.fixture
def visible_files(files, make_news):
    image, document = image_file("public"), document_file("public")
    use_files(make_news("Visible item"), image, document)
    return image, document


def listed(client, version, endpoint, **headers):
    response = client.get(f"/api/{version}/{endpoint}/", headers=headers)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    "name", ["draft", "unpublished", "private", "password", "groups", "expired", "scheduled",
             "live_but_scheduled"]
)
def test_files_of_non_public_pages_are_not_listed_or_served(
    client, hidden_news, visible_files, name
):
    public_image, public_document = visible_files
    page = NewsPage.objects.get(pk=hidden_news[name].pk)
    image, document = image_file(f"hidden-{name}"), document_file(f"hidden-{name}")
    use_files(page, image, document)
    for version in ("v2", "v3"):
        assert listed(client, version, "images") == {public_image.pk}, version
        assert listed(client, version, "documents") == {public_document.pk}, version
        assert client.get(f"/api/{version}/images/{image.pk}/").status_code == 404
        assert client.get(f"/api/{version}/documents/{document.pk}/").status_code == 404
        assert client.get(f"/api/{version}/images/{public_image.pk}/").status_code == 200
    assert client.get(document.url).status_code == 404
    assert client.get(public_document.url).status_code == 200


def test_unused_files_are_not_listed(client, files, tree):
    image_file("unused"), document_file("unused")
    for version in ("v2", "v3"):
        assert listed(client, version, "images") == set()
        assert listed(client, version, "documents") == set()


def test_editors_still_see_and_download_every_file(client, files, tree, django_user_model):
    image, document = image_file("draft-only"), document_file("draft-only")
    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    _token, plaintext = APIToken.create_token(user=editor, name="frontend")
    assert listed(client, "v3", "images", Authorization=f"Bearer {plaintext}") == {image.pk}
    client.force_login(editor)
    assert client.get(document.url).status_code == 200


def test_v3_parent_is_shown_only_when_public(client, tree, publish):
    secret = StandardPage(title="Secret reorganisation", live=False)
    tree.home.add_child(instance=secret)
    secret.save_revision()
    child = publish(secret, StandardPage(title="Public child"))
    response = client.get(f"/api/v3/pages/{child.pk}/")
    assert response.status_code == 200
    assert response.json()["meta"]["parent"] is None
    assert b"Secret reorganisation" not in response.content
    v2 = client.get(f"/api/v2/pages/{child.pk}/")
    assert b"Secret reorganisation" not in v2.content

    secret.save_revision().publish()
    parent = client.get(f"/api/v3/pages/{child.pk}/").json()["meta"]["parent"]
    assert parent["title"] == "Secret reorganisation"


@pytest.mark.parametrize(
    "path", ["/api/v3/pages/", "/api/v3/pages/{page}/", "/api/v3/images/", "/api/v3/documents/"]
)
@pytest.mark.parametrize("token", ["not-a-token", "", "revoked"])
def test_v3_reads_with_an_invalid_token_are_401(client, tree, django_user_model, path, token):
    if token == "revoked":
        user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
        api_token, token = APIToken.create_token(user=user, name="old")
        api_token.revoke()
    response = client.get(
        path.format(page=tree.news.pk), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401, response.content
    assert response.json()["detail"]

"""The admin sends nothing about its editors to third parties by default:
Wagtail's Gravatar avatars (an MD5 of each editor's e-mail, fetched from
gravatar.com) are off unless the site turns them on."""

import pytest


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/{home}/edit/", "/admin/account/"])
def test_admin_pages_name_no_gravatar_url(tree, admin_client, admin_user, path):
    assert admin_user.email
    response = admin_client.get(path.format(home=tree.home.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "gravatar" not in body.lower()
    assert "/static/wagtailadmin/images/default-user-avatar" in body


def test_gravatar_can_be_turned_on(settings, tree, admin_client):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = "//www.gravatar.com/avatar"
    assert "//www.gravatar.com/avatar/" in admin_client.get("/admin/account/").content.decode()


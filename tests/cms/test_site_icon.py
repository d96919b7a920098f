"""``/favicon.ico`` answers on every site: the icon shipped, or the one an
editor chose in the "site icon" setting."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Site

from cms.models import SiteIcon


def test_the_shipped_icon_answers_on_a_first_visit(client, tree):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=86400" in response["Cache-Control"]
    icon = PILImage.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert client.head("/favicon.ico").status_code == 200


def test_an_editor_replaces_it_in_the_site_setting(client, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    PILImage.new("RGB", (200, 120), "green").save(buffer, "PNG")
    logo = Image.objects.create(title="Logo", file=ImageFile(buffer, name="logo.png"))
    site = Site.objects.get(is_default_site=True)
    SiteIcon.objects.create(site=site, image=logo)
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    rendition = logo.get_rendition("fill-64x64|format-png")
    assert response["Location"] == rendition.url
    with rendition.file.open() as file:
        served = PILImage.open(file)
        assert (served.format, served.size) == ("PNG", (64, 64))
    # Without an image chosen, the shipped icon again.
    SiteIcon.objects.filter(site=site).update(image=None)
    assert client.get("/favicon.ico")["Content-Type"] == "image/x-icon"

"""An image enclosure carries the image file's real length in every format,
however the image was stored: through the admin, by a script with the ORM,
or before its size was recorded."""

import json

from wagtail.images.models import Image

from tests.syndication.conftest import FEED_URLS
from tests.syndication.feedxml import ATOM, xml

Q = f"{{{ATOM}}}"


def file_length(image):
    with image.open_file() as f:
        return len(f.read())


def lengths(client):
    rss = xml(client.get(FEED_URLS["rss"])).find(".//item/enclosure").get("length")
    atom = next(
        link.get("length") for link in xml(client.get(FEED_URLS["atom"])).iter(Q + "link")
        if link.get("rel") == "enclosure"
    )
    [attachment] = json.loads(client.get(FEED_URLS["json"]).content)["items"][0]["attachments"]
    return {rss, atom, str(attachment["size_in_bytes"])}


def test_an_image_saved_by_a_script_records_its_size(make_image):
    image = make_image()
    assert file_length(image) > 0
    assert Image.objects.get(pk=image.pk).file_size == file_length(image)


def test_enclosures_carry_the_image_files_length(client, make_news, make_image):
    image = make_image()
    make_news("With image", image=image)
    assert lengths(client) == {str(file_length(image))}


def test_an_image_stored_without_its_size_gets_it_from_the_storage(
    client, make_news, make_image
):
    image = make_image()
    Image.objects.filter(pk=image.pk).update(file_size=None)
    make_news("With image", image=Image.objects.get(pk=image.pk))
    assert lengths(client) == {str(file_length(image))}


def test_an_image_whose_file_is_gone_gets_no_enclosure_rather_than_length_0(
    client, make_news, make_image
):
    image = make_image()
    Image.objects.filter(pk=image.pk).update(file_size=None)
    image.file.storage.delete(image.file.name)
    make_news("With image", image=Image.objects.get(pk=image.pk))
    item = xml(client.get(FEED_URLS["rss"])).find(".//item")
    assert item.findtext("title") == "With image"
    assert item.find("enclosure") is None

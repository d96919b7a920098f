"""JSON Feed 1.1 documents (https://jsonfeed.org/version/1.1), written directly."""

import json

VERSION = "https://jsonfeed.org/version/1.1"


def json_item(item):
    data = {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "authors": [{"name": item.author}],
    }
    if item.content_html:
        data["content_html"] = item.content_html
    else:
        # JSON Feed requires content; the summary stands in for it.
        data["content_text"] = item.summary
    if item.summary:
        data["summary"] = item.summary
    if item.image is not None:
        data["image"] = item.image.url
        data["attachments"] = [
            {
                "url": item.image.url,
                "mime_type": item.image.mime_type,
                "size_in_bytes": item.image.length,
            }
        ]
    data["date_published"] = item.published.isoformat()
    data["date_modified"] = item.updated.isoformat()
    if item.categories:
        data["tags"] = item.categories
    if item.event is not None:
        # The event as data, as a JSON Feed extension (leading "_").
        data["_event"] = {
            "start": item.event.start.isoformat(),
            "end": item.event.end.isoformat(),
            "location": item.event.location,
        }
    return data


def render_json(document):
    data = {
        "version": VERSION,
        "title": document.title,
        "home_page_url": document.home_url,
        "feed_url": document.self_url,
        "description": document.description,
        "language": document.language,
        "authors": [{"name": document.author}],
    }
    if document.logo_url:
        data["icon"] = document.logo_url
    if document.next_url:
        data["next_url"] = document.next_url
    if document.hub_url:
        data["hubs"] = [{"type": "WebSub", "url": document.hub_url}]
    # RFC 5005 paging beyond next_url, as a JSON Feed extension (leading "_").
    data["_paging"] = {"first": document.first_url, "previous": document.previous_url}
    data["items"] = [json_item(item) for item in document.items]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

"""Fetcher against a real local server: limits, retries, redirects, refusals."""

from __future__ import annotations

import time

import pytest

from importers.decode import decode
from importers.fetch import Fetcher
from importers.mirror import FileReader, MirrorReader
from importers.reader import IMAGE_TYPES, FetchError, Validators, Want

from .conftest import SAMPLE_DIR, SAMPLE_SITE


@pytest.fixture
def fetcher(legacy_server):
    f = Fetcher.for_sources(
        [legacy_server.base_url], timeout=0.2, retries=2, backoff_factor=0.01, max_bytes=100_000
    )
    yield f
    f.close()


def test_fetches_a_mirrored_page(fetcher, legacy_server):
    result = fetcher.fetch(legacy_server.url("index.php?id=209"))
    assert result.status == 200
    assert result.content_type == "text/html"
    assert b"Marketing Strategies" in result.body


def test_session_ids_do_not_change_the_page(fetcher, legacy_server):
    plain = fetcher.fetch(legacy_server.url("index.php?id=12&gid=2&lid=97"))
    with_session = fetcher.fetch(legacy_server.url("index.php?lid=97&PHPSESSID=abc&gid=2&id=12"))
    assert plain.body == with_session.body


def test_5xx_is_retried_until_it_recovers(fetcher, legacy_server):
    result = fetcher.fetch(legacy_server.url("_test/flaky"))
    assert b"Recovered" in result.body
    assert legacy_server.hits("_test/flaky") == 2


def test_permanent_5xx_gives_up_after_retries(fetcher, legacy_server):
    with pytest.raises(FetchError) as err:
        fetcher.fetch(legacy_server.url("_test/always-500"))
    assert "500" in err.value.reason
    assert not err.value.dead
    assert legacy_server.hits("_test/always-500") == 3  # first try + 2 retries


def test_timeout_is_reported(fetcher, legacy_server):
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetcher.fetch(legacy_server.url("_test/slow"))
    assert "timed out" in err.value.reason
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("path", ["_test/huge", "_test/huge-unannounced"])
def test_oversized_body_is_refused(fetcher, legacy_server, path):
    with pytest.raises(FetchError) as err:
        fetcher.fetch(legacy_server.url(path))
    assert "cap" in err.value.reason


@pytest.mark.parametrize("path", ["_test/image.png", "_test/report.pdf"])
def test_non_html_is_refused(fetcher, legacy_server, path):
    with pytest.raises(FetchError) as err:
        fetcher.fetch(legacy_server.url(path))
    assert "not an HTML page" in err.value.reason


def test_redirects_within_limit_are_followed(fetcher, legacy_server):
    result = fetcher.fetch(legacy_server.url("_test/redirect/5"))
    assert result.url == legacy_server.url("_test/landed")
    assert len(result.redirects) == 5


def test_too_many_redirects_are_refused(fetcher, legacy_server):
    with pytest.raises(FetchError) as err:
        fetcher.fetch(legacy_server.url("_test/redirect/6"))
    assert "more than 5 redirects" in err.value.reason
    assert legacy_server.hits("_test/landed") == 0


def test_redirect_to_another_host_is_not_followed(fetcher, legacy_server):
    with pytest.raises(FetchError) as err:
        fetcher.fetch(legacy_server.url("_test/redirect-away"))
    assert "legacy.invalid" in err.value.reason


def test_hosts_outside_the_allow_list_are_never_contacted(fetcher, legacy_server):
    # localhost reaches the same server, but is not the source host
    url = legacy_server.url("index.php?id=209").replace("127.0.0.1", "localhost")
    with pytest.raises(FetchError) as err:
        fetcher.fetch(url)
    assert "not a source host" in err.value.reason
    assert legacy_server.requests == []


def test_redirect_to_a_host_outside_the_allow_list(fetcher, legacy_server):
    away = legacy_server.url("index.php?id=209").replace("127.0.0.1", "localhost")
    legacy_server.set_route("moved", status=302, headers={"Location": away})
    with pytest.raises(FetchError):
        fetcher.fetch(legacy_server.url("moved"))
    assert legacy_server.hits("index.php?id=209") == 0


@pytest.mark.parametrize("path,status", [("index.php?id=999", 404), ("_test/gone", 410)])
def test_dead_links_are_flagged(fetcher, legacy_server, path, status):
    with pytest.raises(FetchError) as err:
        fetcher.fetch(legacy_server.url(path))
    assert err.value.dead
    assert err.value.status == status


def test_other_client_errors_are_not_dead_links(fetcher, legacy_server):
    legacy_server.set_route("private", status=403)
    with pytest.raises(FetchError) as err:
        fetcher.fetch(legacy_server.url("private"))
    assert not err.value.dead


def test_robots_txt_is_honoured_and_read_once(fetcher, legacy_server):
    legacy_server.set_route(
        "/robots.txt", body="User-agent: *\nDisallow: /pub/secret\n", content_type="text/plain"
    )
    legacy_server.set_route("secret", body="<p>secret</p>")
    with pytest.raises(FetchError) as err:
        fetcher.fetch(legacy_server.url("secret"))
    assert "robots.txt" in err.value.reason
    fetcher.fetch(legacy_server.url("index.php?id=209"))
    assert legacy_server.hits("secret") == 0
    assert legacy_server.hits("/robots.txt") == 1


def test_charset_from_header_is_reported(fetcher, legacy_server):
    result = fetcher.fetch(legacy_server.url("_test/latin1"))
    assert result.charset == "iso-8859-1"
    assert "5 € – Tønsberg" in decode(result.body, result.charset).text


def test_lying_utf8_header_still_decodes(fetcher, legacy_server):
    result = fetcher.fetch(legacy_server.url("_test/utf8-lie"))
    text, _, warnings = decode(result.body, result.charset)
    assert "city’s" in text and "Malmö" in text
    assert warnings


def test_politeness_delay_spaces_requests(legacy_server):
    fetcher = Fetcher.for_sources([legacy_server.base_url], delay=0.15, respect_robots=False)
    started = time.monotonic()
    for _ in range(3):
        fetcher.fetch(legacy_server.url("index.php?id=209"))
    assert time.monotonic() - started >= 0.3
    fetcher.close()


def test_mirror_reader_reads_pages_by_canonical_url():
    mirror = MirrorReader(SAMPLE_DIR)
    result = mirror.fetch("http://inno.baltmet.org/pub/index.php?lid=97&gid=2&id=12&PHPSESSID=x")
    assert b"final event conference" in result.body
    assert result.content_type == "text/html"
    assert len(mirror.pages()) == 9
    assert mirror.hosts == {"inno.baltmet.org"}


def test_mirror_reader_without_manifest_guesses_urls(tmp_path):
    site = tmp_path / "inno.baltmet.org" / "pub"
    site.mkdir(parents=True)
    (site / "index.php?id=5.html").write_bytes(b"<p>five</p>")
    (site / "logo.gif").write_bytes(b"GIF89a")
    mirror = MirrorReader(tmp_path)
    assert mirror.pages() == ["http://inno.baltmet.org/pub/index.php?id=5"]
    assert mirror.fetch("http://inno.baltmet.org/pub/index.php?id=5").body == b"<p>five</p>"
    with pytest.raises(FetchError, match="not an HTML page"):
        mirror.fetch("http://inno.baltmet.org/pub/logo.gif")
    with pytest.raises(FetchError) as err:
        mirror.fetch("http://inno.baltmet.org/pub/index.php?id=6")
    assert err.value.dead


def test_mirror_reader_reads_images_when_asked(tmp_path):
    site = tmp_path / "inno.baltmet.org" / "pub"
    (site / "fileadmin").mkdir(parents=True)
    (site / "fileadmin" / "logo.gif").write_bytes(b"GIF89a")
    (site / "index.php?id=5.html").write_bytes(b"<p>five</p>")
    mirror = MirrorReader(tmp_path)
    result = mirror.fetch("http://inno.baltmet.org/pub/fileadmin/logo.gif", Want(IMAGE_TYPES))
    assert result.content_type == "image/gif" and result.body == b"GIF89a"
    with pytest.raises(FetchError, match="not an image"):
        mirror.fetch("http://inno.baltmet.org/pub/index.php?id=5", Want(IMAGE_TYPES))


def test_mirror_reader_takes_a_folder_inside_the_mirror():
    mirror = MirrorReader(SAMPLE_SITE / "pub")
    assert mirror.root == SAMPLE_DIR.resolve()
    assert len(mirror.pages()) == 9
    assert all(u.startswith("http://inno.baltmet.org/pub/") for u in mirror.pages())
    assert mirror.hosts == {"inno.baltmet.org"}


def test_mirror_reader_lists_only_the_folder_asked_for(tmp_path):
    host = tmp_path / "inno.baltmet.org"
    for folder in ("pub", "old"):
        (host / folder).mkdir(parents=True)
        (host / folder / "index.php?id=1.html").write_bytes(f"<p>{folder}</p>".encode())
    mirror = MirrorReader(host / "pub")
    assert mirror.pages() == ["http://inno.baltmet.org/pub/index.php?id=1"]
    assert mirror.fetch("http://inno.baltmet.org/old/index.php?id=1").body == b"<p>old</p>"


def test_file_reader_serves_one_page():
    path = SAMPLE_SITE / "pub" / "index.php?id=208.html"
    reader = FileReader(path, "http://inno.baltmet.org/pub/index.php?id=208")
    assert b"Work Package 2" in reader.fetch("http://inno.baltmet.org/pub/index.php?id=208").body
    with pytest.raises(FetchError):
        reader.fetch("http://inno.baltmet.org/pub/index.php?id=209")


def test_accept_widens_media_types_for_images(fetcher, legacy_server):
    result = fetcher.fetch(legacy_server.url("_test/image.png"), Want(("image/",)))
    assert result.content_type == "image/png"
    assert result.body.startswith(b"\x89PNG")
    with pytest.raises(FetchError):
        fetcher.fetch(legacy_server.url("_test/report.pdf"), Want(("image/",)))


def test_images_keep_the_fetch_rules(fetcher, legacy_server):
    """Images go through the allow-list, robots.txt, size cap and redirect limit too."""
    legacy_server.set_route("/robots.txt", body="User-agent: *\nDisallow: /pub/private/\n",
                            content_type="text/plain")
    legacy_server.set_route("private/logo.png", body=b"\x89PNG", content_type="image/png")
    legacy_server.set_route("big.png", body=b"\x89PNG" + b"x" * 200_000, content_type="image/png")
    legacy_server.set_route("moved.png", status=302,
                            headers={"Location": legacy_server.prefix + "_test/image.png"})
    with pytest.raises(FetchError, match="robots.txt"):
        fetcher.fetch(legacy_server.url("private/logo.png"), Want(IMAGE_TYPES))
    with pytest.raises(FetchError, match="cap"):
        fetcher.fetch(legacy_server.url("big.png"), Want(IMAGE_TYPES))
    with pytest.raises(FetchError, match="not an image"):
        fetcher.fetch(legacy_server.url("index.php?id=209"), Want(IMAGE_TYPES))
    moved = fetcher.fetch(legacy_server.url("moved.png"), Want(IMAGE_TYPES))
    assert moved.body.startswith(b"\x89PNG") and len(moved.redirects) == 1
    away = legacy_server.url("_test/image.png").replace("127.0.0.1", "localhost")
    with pytest.raises(FetchError, match="not a source host"):
        fetcher.fetch(away, Want(IMAGE_TYPES))
    assert legacy_server.hits("private/logo.png") == 0


def test_keep_alive_requests_are_not_held_back(fetcher, legacy_server):
    """The legacy server sends without Nagle's delay: ~40 ms a kept-alive request otherwise."""
    fetcher.fetch(legacy_server.url("index.php?id=209"))  # connection and robots.txt
    started = time.monotonic()
    for _ in range(25):
        fetcher.fetch(legacy_server.url("index.php?id=209"))
    assert time.monotonic() - started < 0.6


def test_a_conditional_get_of_an_unchanged_file_has_no_body(fetcher, legacy_server):
    modified = "Tue, 13 Nov 2007 10:00:00 GMT"
    legacy_server.set_route("files/a.pdf", body=b"%PDF-1.4 a", content_type="application/pdf",
                            headers={"ETag": '"a1"', "Last-Modified": modified})
    url = legacy_server.url("files/a.pdf")
    first = fetcher.fetch(url, Want(("application/",)))
    assert (first.status, first.etag, first.body) == (200, '"a1"', b"%PDF-1.4 a")
    assert first.last_modified == modified and not first.not_modified
    held = Validators(first.etag, first.last_modified)
    again = fetcher.fetch(url, Want(("application/",), validators=held))
    assert again.not_modified and again.body == b"" and again.etag == '"a1"'
    stale = fetcher.fetch(url, Want(("application/",), validators=Validators('"a0"')))
    assert stale.status == 200 and stale.body == b"%PDF-1.4 a"
    assert legacy_server.statuses("files/a.pdf") == [200, 304, 200]


def test_a_larger_cap_for_one_fetch(fetcher, legacy_server):
    legacy_server.set_route("files/big.pdf", body=b"%PDF-" + b"x" * 150_000,
                            content_type="application/pdf")
    url = legacy_server.url("files/big.pdf")
    with pytest.raises(FetchError, match="100000 byte cap"):
        fetcher.fetch(url, Want(("application/",)))
    assert len(fetcher.fetch(url, Want(("application/",), max_bytes=200_000)).body) == 150_005

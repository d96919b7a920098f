"""Benchmark of the legacy importer (not a test): ``python bench/importer/run.py [--pages N]``.

In one run it generates a legacy site of N pages (default 2,000) in the
sample's markup, serves it on 127.0.0.1, and measures, each in a fresh child
process with a fresh SQLite database:

1. the import (crawl over HTTP, decode, extract, load) of the whole site;
2. creating the same pages with Wagtail's page API directly
   (``add_child`` + ``save_revision().publish()``; the site is read and
   extracted first, outside the timing) — target: import ≤ 1.3 × this;
3. a second import over the unchanged site — target: ≥ 20 × faster than 1;
4. peak memory (``ru_maxrss``) of the import at a quarter of the size and at
   full size — target: < 300 MB and about the same at both sizes;
5. the import of the same site from a web archive (a ``.warc.gz`` written
   with warcio, one record per page) against the import from a wget mirror
   folder, both without network — target: archive ≤ 1.0 × mirror (the best
   of ``--repeat`` runs each, interleaved), and its peak memory about the same at both sizes
   (the archive is streamed, not loaded);
6. the import over HTTP from a server that takes 100 ms to answer each request
   (a distant legacy host), read over ``--concurrency`` 4 connections, against
   the import of the same site from a wget mirror folder — target: HTTP ≤ 1.3 ×
   mirror (best of ``--repeat`` each, interleaved), peak memory < 300 MB.

``--case import`` runs only 1–4, ``--case archive`` only 5, ``--case http``
only 6.  ``--case wayback`` runs only the Wayback measure (not in ``all``):
the same ``.warc.gz`` served by a real pywb (from ``.venv-pywb``, ``make
pywb``) on 127.0.0.1 and imported
through its CDX API and raw replay, against the import of the ``.warc.gz``
itself — target: Wayback ≤ 1.5 × archive (best of ``--repeat`` each, interleaved).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ORIGIN = "http://inno.baltmet.org/pub/"
LATENCY = 0.1  # seconds a distant legacy server takes for each request


# -- child processes -------------------------------------------------------------------------


def _django(db: Path, media: Path) -> None:
    os.environ.update(DEBUG="1", DATABASE_URL=f"sqlite:///{db}", MEDIA_ROOT=str(media),
                      DJANGO_SETTINGS_MODULE="config.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_import(source: str) -> dict:
    from importers.pipeline import ImportOptions, run_import

    source, _, wayback = source.partition(" wayback=")  # the site's URL in a Wayback archive
    started = time.perf_counter()
    report = run_import(ImportOptions(sources=[source], origin=ORIGIN, wayback=wayback or None))
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(),
            "totals": report.totals}


def child_baseline(source: str) -> dict:
    """The same pages, created with Wagtail's page API directly (reading not timed)."""
    from cms.site_tree import ensure_site_tree
    from importers.load.content import resolve
    from importers.load.pages import apply_values, readable_slug
    from importers.page_types import model_of
    from importers.pipeline import ImportOptions, SiteRead, open_source
    from importers.records import Kind
    from importers.report import Report

    options = ImportOptions(sources=[source], origin=ORIGIN)
    source = open_source(options)
    plan = SiteRead.of(options, source).read(Report())
    source.close()
    pages = [p for p in plan.ordered() if p.kind != Kind.NEWS_INDEX]
    values = [resolve(p, {}, {}) for p in pages]
    tree = ensure_site_tree()
    parents = {Kind.NEWS: tree.news, Kind.WORK_PACKAGE: tree.work_packages, Kind.PAGE: tree.home}
    created = {}
    slugs: dict[int, set[str]] = {}

    started = time.perf_counter()
    for page, resolved in zip(pages, values, strict=True):
        parent = created[page.parent_url] if page.is_part else parents[page.kind]
        taken = slugs.setdefault(parent.pk, set())
        slug, n = readable_slug(page.title), 2
        while slug in taken:
            slug, n = f"{readable_slug(page.title)}-{n}", n + 1
        taken.add(slug)
        obj = model_of(page.kind)(slug=slug)
        apply_values(obj, resolved.values, resolved.milestones)
        obj.live = page.publish
        parent.add_child(instance=obj)
        revision = obj.save_revision()
        if page.publish:
            revision.publish()
        created[page.url] = obj
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(),
            "pages": len(pages)}


def child_main(argv: list[str]) -> None:
    mode, db, media, source = argv
    _django(Path(db), Path(media))
    result = child_import(source) if mode == "import" else child_baseline(source)
    print(json.dumps(result))


# -- the parent: site, server, runs ------------------------------------------------------------


def _serve(root: Path):
    """The generated mirror on 127.0.0.1, through the tests' legacy server.

    One server for tests and benchmark (keep-alive, no Nagle delay); pages are
    sent as ``text/html; charset=iso-8859-1``, as the legacy site sends them.
    """
    sys.path.insert(0, str(REPO))
    from tests.importers.legacy_server import LegacyServer

    server = LegacyServer()
    server.serve_directory(root, content_type="text/html; charset=iso-8859-1")
    return server


def _run_child(mode: str, db: Path, work: Path, source: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(db), str(work / "media"), source],
        capture_output=True, text=True, check=False, cwd=REPO,
    )
    if out.returncode != 0:
        sys.exit(f"{mode} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fresh_db(template: Path, work: Path, name: str) -> Path:
    db = work / f"{name}.sqlite3"
    shutil.copyfile(template, db)
    return db


def _copies(site: Path, work: Path, name: str) -> tuple[Path, Path]:
    """The generated site as a wget mirror folder and as a WARC of the same pages."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from importers.urls import url_from_mirror_path

    mirror = work / f"{name}-mirror"
    shutil.copytree(site, mirror / "inno.baltmet.org")
    warc = work / f"{name}.warc.gz"
    with warc.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for path in sorted((site / "pub").iterdir()):
            url = url_from_mirror_path("inno.baltmet.org/pub/" + path.name)
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=iso-8859-1")],
                                    protocol="HTTP/1.1")
            with path.open("rb") as body:
                writer.write_record(writer.create_warc_record(
                    url, "response", payload=body, http_headers=http))
    return mirror, warc


def _archive_case(work: Path, template: Path, big: Path, small: Path, repeat: int) -> dict:
    mirror, warc = _copies(big, work, "big")
    _, small_warc = _copies(small, work, "small")
    runs: dict[str, list[dict]] = {"mirror": [], "archive": []}
    for attempt in range(repeat):  # interleaved, so drift on a shared machine hits both
        for kind, source in (("mirror", mirror), ("archive", warc)):
            print(f"import from the {kind}, run {attempt + 1} …", flush=True)
            db = _fresh_db(template, work, f"{kind}-{attempt}")
            runs[kind].append(_run_child("import", db, work, str(source)))
    print("import from the small archive (memory) …", flush=True)
    small_run = _run_child("import", _fresh_db(template, work, "small-warc"), work,
                           str(small_warc))
    best = {kind: min(r["seconds"] for r in results) for kind, results in runs.items()}
    return {"mirror": best["mirror"], "archive": best["archive"],
            "created": runs["archive"][0]["totals"]["created"],
            "created_mirror": runs["mirror"][0]["totals"]["created"],
            "peak_mb": max(r["peak_mb"] for r in runs["archive"]),
            "small_peak_mb": small_run["peak_mb"], "warc_mb": warc.stat().st_size / 2**20}


def _wayback_case(work: Path, template: Path, big: Path, repeat: int) -> dict:
    """The site's ``.warc.gz`` read directly and through a pywb serving it."""
    tools = REPO / ".venv-pywb" / "bin"
    if not (tools / "wayback").is_file():
        sys.exit("pywb is missing: make pywb")
    _, warc = _copies(big, work, "wayback")
    root = work / "pywb"
    root.mkdir()
    (root / "config.yaml").write_text("enable_memento: true\n")
    for step in (["init", "legacy"], ["add", "legacy", str(warc)]):
        subprocess.run([str(tools / "wb-manager"), *step], cwd=root, check=True,
                       capture_output=True)
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    replay = f"http://127.0.0.1:{port}/legacy/"
    server = subprocess.Popen([str(tools / "wayback"), "-b", "127.0.0.1", "-p", str(port)],
                              cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(replay + "cdx?url=x", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        runs: dict[str, list[dict]] = {"archive": [], "wayback": []}
        for attempt in range(repeat):
            for kind, source in (("archive", str(warc)), ("wayback", f"{ORIGIN} wayback={replay}")):
                print(f"import from the {kind}, run {attempt + 1} …", flush=True)
                db = _fresh_db(template, work, f"{kind}-{attempt}")
                runs[kind].append(_run_child("import", db, work, source))
    finally:
        server.terminate()
        server.wait(timeout=10)
    best = {kind: min(r["seconds"] for r in results) for kind, results in runs.items()}
    created = {kind: results[0]["totals"]["created"] for kind, results in runs.items()}
    ratio = best["wayback"] / best["archive"]
    print(f"\n  web archive, {created['archive']} pages: {best['archive']:.1f} s"
          f"\n  Wayback (pywb), {created['wayback']} pages: {best['wayback']:.1f} s"
          f"\n  Wayback / archive: {ratio:.2f} × (target ≤ 1.5 ×)\n", flush=True)
    return {**best, "created": created, "ratio": ratio}


def _http_case(work: Path, template: Path, big: Path, repeat: int) -> None:
    """The site served with ``LATENCY`` a request and read over 4 connections, against the
    same site read from a mirror folder."""
    mirror = work / "http-mirror"
    shutil.copytree(big, mirror / "inno.baltmet.org")
    server = _serve(big)
    server.latency = LATENCY
    runs: dict[str, list[dict]] = {"mirror": [], "http": []}
    with server:
        for attempt in range(repeat):  # interleaved, so drift on a shared machine hits both
            for kind, source in (("mirror", str(mirror)), ("http", server.url("index.php?id=1"))):
                print(f"import from the {kind}, run {attempt + 1} …", flush=True)
                db = _fresh_db(template, work, f"{kind}-{attempt}")
                runs[kind].append(_run_child("import", db, work, source))
        most = server.max_in_flight
    best = {kind: min(r["seconds"] for r in results) for kind, results in runs.items()}
    created = {kind: results[0]["totals"]["created"] for kind, results in runs.items()}
    ratio, peak = best["http"] / best["mirror"], max(r["peak_mb"] for r in runs["http"])
    print(f"\n  mirror folder, {created['mirror']} pages: {best['mirror']:.1f} s"
          f"\n  HTTP, {LATENCY * 1000:.0f} ms a request, {created['http']} pages: "
          f"{best['http']:.1f} s (at most {most} requests answered at once)"
          f"\n  HTTP / mirror: {ratio:.2f} × (target ≤ 1.3 ×)"
          f"\n  peak memory, HTTP: {peak:.0f} MB (target < 300 MB)", flush=True)
    ok = ratio <= 1.3 and peak < 300 and created["http"] == created["mirror"]
    print("  HTTP targets met\n" if ok else "  HTTP TARGET MISSED\n", flush=True)


def _migrated(work: Path) -> Path:
    template = work / "template.sqlite3"
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{template}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=REPO,
                   env=env, check=True)
    return template


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="size of the site (2000)")
    parser.add_argument("--case", default="all",
                        choices=("all", "import", "archive", "wayback", "http"),
                        help="all measures, or only the import against direct creation "
                        "(1-4), or only the web archive against the mirror, "
                        "or only a Wayback archive (pywb) against the web archive, "
                        "or only a slow server over HTTP against the mirror")
    parser.add_argument("--repeat", type=int, default=2, metavar="N",
                        help="imports from the mirror and from the archive, each (2; best taken)")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from sitegen import generate

    small_pages = max(100, args.pages // 4)
    with tempfile.TemporaryDirectory(prefix="bench-importer-") as tmp:
        work = Path(tmp)
        print(f"generating sites of {args.pages} and {small_pages} pages …", flush=True)
        n_big = generate(work / "big", args.pages)
        n_small = generate(work / "small", small_pages)
        template = _migrated(work)
        sys.path.insert(0, str(REPO))
        if args.case == "wayback":
            _wayback_case(work, template, work / "big", args.repeat)
            return
        if args.case in ("all", "http"):
            _http_case(work, template, work / "big", args.repeat)
            if args.case == "http":
                return
        if args.case != "import":
            archive = _archive_case(work, template, work / "big", work / "small", args.repeat)
            _print_archive(n_big, n_small, archive)
            if args.case == "archive":
                return
        big, small = _serve(work / "big"), _serve(work / "small")
        with big, small:
            source = big.url("index.php?id=1")
            print("import, first run …", flush=True)
            first = _run_child("import", _fresh_db(template, work, "import"), work, source)
            print("import, second run (unchanged site) …", flush=True)
            second = _run_child("import", work / "import.sqlite3", work, source)
            print("Wagtail page API directly …", flush=True)
            direct = _run_child("baseline", _fresh_db(template, work, "direct"), work, source)
            print(f"import of {n_small} pages (memory) …", flush=True)
            small_run = _run_child("import", _fresh_db(template, work, "small"), work,
                                   small.url("index.php?id=1"))
    _print(n_big, n_small, first, second, direct, small_run)


def _print_archive(n_big, n_small, archive) -> None:
    ratio = archive["archive"] / archive["mirror"]
    rows = [
        (f"web archive: {n_big} pages, {archive['warc_mb']:.1f} MB .warc.gz",
         f"{archive['created']}", f"(mirror: {archive['created_mirror']})"),
        ("import from the mirror folder", f"{archive['mirror']:.1f} s", ""),
        ("import from the web archive", f"{archive['archive']:.1f} s", ""),
        ("archive / mirror", f"{ratio:.2f} ×", "target ≤ 1.0 ×"),
        (f"peak memory, archive of {n_small} pages", f"{archive['small_peak_mb']:.0f} MB", ""),
        (f"peak memory, archive of {n_big} pages", f"{archive['peak_mb']:.0f} MB",
         "target: about the same"),
    ]
    print()
    for label, value, target in rows:
        print(f"  {label:<45} {value:>10}   {target}")
    flat = archive["peak_mb"] <= 1.15 * archive["small_peak_mb"]
    same = archive["created"] == archive["created_mirror"]
    ok = ratio <= 1.0 and flat and same
    print("  archive targets met\n" if ok else "  ARCHIVE TARGET MISSED\n", flush=True)


def _print(n_big, n_small, first, second, direct, small_run) -> None:
    ratio = first["seconds"] / direct["seconds"]
    speedup = first["seconds"] / second["seconds"]
    peak = max(first["peak_mb"], small_run["peak_mb"])
    rows = [
        (f"site: {n_big} pages generated, written as pages", f"{first['totals']['created']}", ""),
        ("import, first run", f"{first['seconds']:.1f} s", ""),
        ("Wagtail page API directly (same pages)", f"{direct['seconds']:.1f} s", ""),
        ("import / direct", f"{ratio:.2f} ×", "target ≤ 1.3 ×"),
        ("import, second run (unchanged)", f"{second['seconds']:.2f} s", ""),
        ("first / second run", f"{speedup:.0f} ×", "target ≥ 20 ×"),
        (f"peak memory, {n_small} pages", f"{small_run['peak_mb']:.0f} MB", ""),
        (f"peak memory, {n_big} pages", f"{first['peak_mb']:.0f} MB", "target < 300 MB"),
    ]
    print()
    for label, value, target in rows:
        print(f"  {label:<45} {value:>10}   {target}")
    ok = ratio <= 1.3 and speedup >= 20 and peak < 300
    print(f"\n  second run totals: {second['totals']}")
    print("  all targets met" if ok else "  TARGET MISSED")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
    else:
        main()

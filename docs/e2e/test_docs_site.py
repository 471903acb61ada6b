"""Every page of the built docs, opened in Chromium: it loads, shows every image and
diagram, loads nothing from outside 127.0.0.1, and every internal link answers 200
(and every #fragment exists on its page)."""

import re
from urllib.parse import urldefrag, urlsplit

import pytest
from demo_checks import DIAGRAM_PENDING
from support import DOCS_HTML, artifact, screenshot

from demos.catalog import DEMOS

ASSET_DIRS = {"_static", "_sources", "_images", "_downloads"}
PAGES = sorted(
    str(path.relative_to(DOCS_HTML))
    for path in DOCS_HTML.rglob("*.html")
    if not ASSET_DIRS & set(path.relative_to(DOCS_HTML).parts)
)
DIAGRAM = ".graphviz object, .graphviz img"
BROKEN_IMAGES = "() => Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
# An <object> holding an SVG is loaded when its document is an <svg> with drawn nodes.
DIAGRAM_NODES = """(el) => {
    if (el.tagName === 'IMG') return el.complete && el.naturalWidth > 0 ? 1 : 0;
    const svg = el.contentDocument && el.contentDocument.documentElement;
    return svg && svg.nodeName === 'svg' ? svg.querySelectorAll('g.node').length : 0;
}"""
LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"
IDS = re.compile(r"""\sid=["']([^"']+)["']""")


@pytest.fixture(scope="session")
def fetch_cache():
    return {}


def fetch(page, url, cache):
    """(status, set of element ids) for an internal URL, fetched once per run."""
    if url not in cache:
        response = page.request.get(url)
        body = response.text() if "html" in response.headers.get("content-type", "") else ""
        cache[url] = (response.status, set(IDS.findall(body)))
    return cache[url]


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_with_no_broken_image_link_or_outside_request(page, docs_url, fetch_cache, name):
    failures, outside = [], []
    page.on("requestfailed", lambda request: failures.append(f"{request.url} ({request.failure})"))
    page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.url} answered {r.status}"))
    page.on("request", lambda request: not request.url.startswith(docs_url) and outside.append(request.url))

    response = page.goto(docs_url + name, wait_until="load")
    assert response.status == 200
    assert failures == [], "a page asset failed to load"
    assert outside == [], "the docs must load nothing from outside (no CDN)"
    assert page.evaluate(BROKEN_IMAGES) == []
    for diagram in page.locator(DIAGRAM).all():
        assert diagram.evaluate(DIAGRAM_NODES) > 0, "a diagram did not render"
    text = page.inner_text("body")
    assert "{literalinclude}" not in text and "```{" not in text, "a directive was not rendered"

    broken = []
    for href in sorted(set(page.evaluate(LINKS))):
        if not href.startswith(docs_url):
            continue
        url, fragment = urldefrag(href)
        status, ids = fetch(page, url, fetch_cache)
        if status != 200:
            broken.append(f"{href}: {status}")
        elif fragment and urlsplit(url).path.endswith(".html") and fragment not in ids:
            broken.append(f"{href}: no element with id {fragment!r}")
    assert broken == []
    screenshot(page, "docs/" + name.removesuffix(".html").replace("/", "__"))


def test_home_page_lists_every_catalog_demo(page, docs_url):
    page.goto(docs_url + "index.html")
    table = page.locator("table.demo-catalog")
    for demo in DEMOS:
        row = table.locator("tr", has_text=demo.name)
        assert row.locator("a").get_attribute("href") == demo.docs_page.removesuffix(".md") + ".html"
        text = row.inner_text().replace("\u2019", "'")  # Sphinx's smart quotes
        assert demo.concept in text and demo.run in text


def pending(demo):
    reason = DIAGRAM_PENDING.get(demo.name)
    return pytest.param(demo, id=demo.name, marks=[pytest.mark.xfail(reason=reason, strict=True)] if reason else [])


@pytest.mark.parametrize("demo", [pending(demo) for demo in DEMOS])
def test_demo_page_shows_a_rendered_diagram(page, docs_url, demo):
    page.goto(docs_url + demo.docs_page.removesuffix(".md") + ".html", wait_until="load")
    diagrams = page.locator(DIAGRAM)
    assert diagrams.count() >= 1, f"{demo.docs_page} has no diagram"
    first = diagrams.first
    first.scroll_into_view_if_needed()
    assert first.evaluate(DIAGRAM_NODES) > 0
    box = first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    first.screenshot(path=str(artifact(f"diagrams/{demo.name}")))

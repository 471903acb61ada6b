"""Fixtures for the browser tests: the built docs on 127.0.0.1, demo servers, Chromium.

Run by ``nox -s e2e`` (which builds the docs first). Chromium is Debian's, driven by
Playwright through ``executable_path``: the tests never download a browser.
"""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from support import CHROMIUM, CHROMIUM_ARGS, DOCS_HTML, run_demo


def pytest_configure(config):
    if not (DOCS_HTML / "index.html").is_file():
        raise pytest.UsageError(f"no built docs in {DOCS_HTML}: run `nox -s e2e` (it builds them first)")
    if not Path(CHROMIUM).is_file():
        raise pytest.UsageError(f"{CHROMIUM} is missing: apt-get install -y chromium")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def docs_url():
    """The built site, served on a free port of 127.0.0.1 for the whole run."""
    handler = functools.partial(QuietHandler, directory=str(DOCS_HTML))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # 0: a free port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo_server():
    """demo_server(demo, prepare=()) -> a context manager yielding a running DemoServer."""
    return lambda demo, prepare=(): run_demo(demo, prepare)

"""The site follows the teaching order: the catalog's order, which the README table shows."""

import re
from pathlib import Path

from demos import DEMOS

DOCS = Path(__file__).resolve().parents[1]


def test_the_demo_pages_are_listed_in_the_catalogs_order():
    index = (DOCS / "index.md").read_text()
    toctree = re.search(r"```\{toctree\}\n:caption: Demos[^\n]*\n(.*?)```", index, re.S).group(1)
    pages = [line.strip() for line in toctree.splitlines() if line.strip() and not line.startswith(":")]
    assert pages == [demo.docs_page.removesuffix(".md") for demo in DEMOS]


def test_every_demo_page_says_which_versions_it_was_tested_with():
    for demo in DEMOS:
        page = (DOCS / demo.docs_page).read_text()
        assert f"```{{tested-with}} {demo.name}\n```" in page, demo.docs_page

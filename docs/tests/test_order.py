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

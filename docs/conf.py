"""Sphinx configuration: MyST Markdown pages, the furo theme, Graphviz diagrams.

Built by ``nox -s docs``: ``sphinx-build -E -W --keep-going -b html docs docs/_build/html``.
Warnings are errors, so a missing include target, object or marker fails the build.

Diagrams: ``sphinx.ext.graphviz`` runs Graphviz's ``dot`` at build time and writes SVG
files next to the pages. Nothing is fetched when the page is built or viewed (no CDN, no
JavaScript renderer), ``dot`` comes from Debian's ``graphviz`` package, and Graphviz is
maintained. Mermaid was ruled out: sphinxcontrib-mermaid renders in the reader's
browser from a CDN by default, and its build-time mode needs mermaid-cli (Node.js plus a
headless Chromium download).
"""

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))  # demo_catalog: the catalog table, built from demos/catalog.py
sys.path.insert(0, str(DOCS.parent))  # so that the extension can import demos.catalog

project = "Django demos"
author = "Django demos contributors"
copyright = "the Django demos contributors"

extensions = [
    "myst_parser",
    "sphinx.ext.graphviz",
    "sphinx_copybutton",  # a copy button on every code block; prompts and output are not copied
    "demo_catalog",
]

# Copy only the command, never a "$ " prompt or the "# ..." comment after it.
copybutton_prompt_text = r"\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = False

source_suffix = {".md": "markdown"}
root_doc = "index"
# costs/: fragments written by `nox -s bench`, included by costs.md and choosing/tasks.md.
exclude_patterns = ["_build", "README.md", "requirements.txt", "tests", "e2e", "diagrams", "costs"]

# MyST: `#` anchors for headings up to ###, so [text](page.md#a-heading) links are checked.
myst_heading_anchors = 3

# Graphviz: SVG, rendered by `dot` at build time.
graphviz_output_format = "svg"
graphviz_dot_args = ["-Gfontname=Helvetica", "-Nfontname=Helvetica", "-Efontname=Helvetica"]

html_theme = "furo"
html_title = "Django demos"
html_static_path = ["_static"]
# Long code lines wrap instead of hiding past the column; big diagrams scroll sideways at
# their natural size rather than shrinking until their labels cannot be read.
html_css_files = ["legible.css"]

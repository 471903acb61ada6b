"""``{demo-catalog}``: the table of demos, built from ``demos/catalog.py`` at build time.
``{tested-with} NAME``: the versions a demo's tests ran with, read from its requirements.lock.
``{exercises} NAME``: the demo's exercises (demos/exercises/NAME.toml) with their commands.
``{tour-output} NAME``: what ``python -m demos tour NAME`` prints, run while the site is
built (a fresh SQLite database each time), so the page can never show a stale transcript.

The catalog is the single list of demos (the README's table comes from it too), so the
docs never hold a pasted copy. A demo whose ``docs_page`` is missing is a broken
reference, which ``sphinx-build -W`` turns into an error.
"""

import inspect
import subprocess
import sys

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from demos import catalog, exercises

HEADERS = ("Demo", "What it teaches", "Run it")


def _cell(*children):
    entry = nodes.entry()
    entry += nodes.paragraph("", "", *children)
    return entry


def _row(*cells):
    row = nodes.row()
    row.extend(cells)
    return row


class DemoCatalog(SphinxDirective):
    has_content = False

    def run(self):
        self.env.note_dependency(inspect.getfile(catalog))
        table = nodes.table(classes=["demo-catalog"])
        group = nodes.tgroup(cols=len(HEADERS))
        table += group
        group.extend(nodes.colspec(colwidth=width) for width in (2, 6, 3))
        head = nodes.thead()
        head += _row(*(_cell(nodes.Text(title)) for title in HEADERS))
        body = nodes.tbody()
        for demo in catalog.DEMOS:
            link, concept, run = self._page_link(demo), nodes.Text(demo.concept), nodes.literal(text=demo.run)
            body += _row(_cell(link), _cell(concept), _cell(run))
        group += head
        group += body
        return [table]

    def _page_link(self, demo):
        """A :doc: reference to the demo's page, checked like any other reference."""
        target = "/" + demo.docs_page.removesuffix(".md")
        ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=target, refdoc=self.env.docname)
        ref["refexplicit"] = ref["refwarn"] = True
        ref += nodes.literal(text=demo.name)
        return ref


class TestedWith(SphinxDirective):
    """One line: the versions in the demo's lock, which CI installs and tests."""

    required_arguments = 1

    def run(self):
        demo = catalog.get_demo(self.arguments[0])
        self.env.note_dependency(str(demo.path / "requirements.lock"))
        versions = ", ".join(f"{name} {version}" for name, version in demo.tested_with().items())
        text = (
            f"Tested with Python 3.11 and {versions} "
            f"(pinned in {demo.name}/requirements.lock; nox -s tests_latest tries the newest allowed)."
        )
        return [nodes.paragraph("", "", nodes.emphasis(text=text), classes=["tested-with"])]


class TourOutput(SphinxDirective):
    """The demo's tour, run now; a tour that fails fails the build."""

    required_arguments = 1

    def run(self):
        demo = catalog.get_demo(self.arguments[0])
        command = [sys.executable, "-m", "demos", "tour", demo.name]
        result = subprocess.run(command, cwd=catalog.REPO_ROOT, capture_output=True, text=True, timeout=600)  # noqa: S603
        if result.returncode:
            raise self.error(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        block = nodes.literal_block(result.stdout, result.stdout, classes=["tour-output"])
        block["language"] = "text"
        return [block]


class Exercises(SphinxDirective):
    """One entry per exercise: number, title, minutes, the lesson and the start command."""

    required_arguments = 1

    def run(self):
        demo = catalog.get_demo(self.arguments[0])
        self.env.note_dependency(str(exercises.EXERCISES_DIR / f"{demo.name}.toml"))
        items = nodes.enumerated_list()
        for exercise in exercises.load(demo.name):
            item = nodes.list_item()
            title = nodes.strong(text=f"{exercise.title}")
            item += nodes.paragraph("", "", title, nodes.Text(f" (about {exercise.minutes} minutes). "))
            item += nodes.paragraph("", exercise.lesson.strip())
            command = f"nox -s exercise -- start {demo.name} {exercise.number}"
            item += nodes.paragraph("", "", nodes.Text("Start: "), nodes.literal(text=command))
            items += item
        if not items.children:
            return [nodes.paragraph("", "No exercise for this demo yet.")]
        return [items]


def setup(app):
    app.add_directive("exercises", Exercises)
    app.add_directive("tour-output", TourOutput)
    app.add_directive("demo-catalog", DemoCatalog)
    app.add_directive("tested-with", TestedWith)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

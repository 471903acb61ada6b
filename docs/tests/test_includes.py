"""Every include in the docs points at something that exists.

Parses each ``{literalinclude}`` / ``{include}`` (and ``{graphviz}`` with a file) in
docs/**/*.md and fails when the file is missing, when the ``:pyobject:`` (``name`` or
``Class.method``) is not defined in it, or when a ``:start-after:`` / ``:end-before:``
(``:start-at:`` / ``:end-at:``) marker is not found in order. Needs only pytest:

    python3 -m pytest docs/tests
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent
DIRECTIVES = ("literalinclude", "include", "graphviz")
# ```{literalinclude} path   (also ~~~ fences, and indented inside list items)
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\{(?P<name>[\w-]+)\}[ \t]*(?P<arg>.*?)[ \t]*$")
OPTION = re.compile(r"^[ \t]*:(?P<key>[\w-]+):[ \t]*(?P<value>.*?)[ \t]*$")
MARKERS = ("start-after", "start-at", "end-before", "end-at")


@dataclass
class Include:
    doc: Path
    line: int
    directive: str
    target: str
    options: dict = field(default_factory=dict)

    def where(self):
        return f"{self.doc}:{self.line}: {{{self.directive}}} {self.target}"


def find_includes(doc):
    """The include directives of one MyST page, with their options."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    found = []
    for number, line in enumerate(lines, start=1):
        match = FENCE.match(line)
        if not match or match["name"] not in DIRECTIVES or not match["arg"]:
            continue  # {graphviz} without an argument holds its source inline
        options = {}
        for option_line in lines[number:]:
            option = OPTION.match(option_line)
            if not option:
                break
            options[option["key"]] = option["value"]
        found.append(Include(doc, number, match["name"], match["arg"], options))
    return found


def resolve(include, docs_root):
    """Sphinx's rule: relative to the page, or to the docs root when it starts with /."""
    if include.target.startswith("/"):
        return docs_root / include.target.lstrip("/")
    return include.doc.parent / include.target


def defined_names(source, filename):
    """'name' for each module-level def/class, 'Class.name' for what classes define (nested too)."""
    names = set()

    def visit(body, prefix):
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(prefix + node.name)
                if isinstance(node, ast.ClassDef):
                    visit(node.body, f"{prefix}{node.name}.")

    visit(ast.parse(source, filename).body, "")
    return names


def problems_of(include, docs_root):
    path = resolve(include, docs_root)
    if not path.is_file():
        return [f"{include.where()}: file not found ({path})"]
    text = path.read_text(encoding="utf-8")
    problems = []
    pyobject = include.options.get("pyobject")
    if pyobject:
        try:
            names = defined_names(text, str(path))
        except SyntaxError as error:
            names = set()
            problems.append(f"{include.where()}: cannot parse {path.name}: {error}")
        if pyobject not in names:
            problems.append(f"{include.where()}: :pyobject: {pyobject} is not defined in {path.name}")
    # Markers are searched line by line, in order: the end is looked for after the start.
    lines = text.splitlines()
    start = 0
    for key in MARKERS:
        marker = include.options.get(key)
        if marker is None:
            continue
        hit = next((n for n in range(start, len(lines)) if marker in lines[n]), None)
        if hit is None:
            problems.append(f"{include.where()}: :{key}: {marker!r} not found in {path.name}")
        elif key.startswith("start"):
            start = hit + 1
    return problems


def check_docs(docs_root=DOCS):
    """Every problem of every include under docs_root (excluding the build output)."""
    problems = []
    for doc in sorted(docs_root.rglob("*.md")):
        if "_build" in doc.relative_to(docs_root).parts:
            continue
        for include in find_includes(doc):
            problems.extend(problems_of(include, docs_root))
    return problems


# --- the docs themselves --------------------------------------------------------------------
def test_every_include_in_the_docs_resolves():
    assert check_docs() == []


def test_the_checker_sees_the_docs_includes():
    includes = [inc for doc in DOCS.rglob("*.md") for inc in find_includes(doc)]
    assert any(inc.options.get("pyobject") for inc in includes)
    assert any(inc.directive == "graphviz" for inc in includes)


# --- the checker catches each kind of break ----------------------------------------------------
SOURCE = """
MARKER = 1  # begin-example
def helper():
    pass
# end-example

class Service:
    async def run(self):
        pass
"""


def write_docs(tmp_path, directive_block):
    (tmp_path / "code.py").write_text(SOURCE)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text(f"# Page\n\nSome text.\n\n{directive_block}\n")
    return docs


def test_a_good_include_passes(tmp_path):
    docs = write_docs(
        tmp_path,
        "```{literalinclude} ../code.py\n:pyobject: Service.run\n```\n\n"
        "1. In a list:\n\n   ```{literalinclude} /../code.py\n   :start-after: begin-example\n"
        "   :end-before: end-example\n   ```",
    )
    assert check_docs(docs) == []


def test_a_removed_file_is_reported(tmp_path):
    docs = write_docs(tmp_path, "```{literalinclude} ../gone.py\n:pyobject: helper\n```")
    [problem] = check_docs(docs)
    assert "page.md:5" in problem and "file not found" in problem


def test_a_removed_object_is_reported(tmp_path):
    docs = write_docs(tmp_path, "```{literalinclude} ../code.py\n:pyobject: removed_function\n```")
    [problem] = check_docs(docs)
    assert ":pyobject: removed_function is not defined in code.py" in problem


def test_a_removed_method_is_reported(tmp_path):
    docs = write_docs(tmp_path, "```{literalinclude} ../code.py\n:pyobject: Service.stop\n```")
    [problem] = check_docs(docs)
    assert "Service.stop" in problem


def test_a_removed_marker_is_reported(tmp_path):
    docs = write_docs(
        tmp_path, "```{literalinclude} ../code.py\n:start-after: begin-example\n:end-before: no-such-marker\n```"
    )
    [problem] = check_docs(docs)
    assert ":end-before: 'no-such-marker' not found" in problem


def test_an_end_marker_before_the_start_is_reported(tmp_path):
    docs = write_docs(
        tmp_path, "```{literalinclude} ../code.py\n:start-after: end-example\n:end-before: begin-example\n```"
    )
    [problem] = check_docs(docs)
    assert "begin-example" in problem


def test_a_missing_markdown_include_and_diagram_are_reported(tmp_path):
    docs = write_docs(tmp_path, "```{include} snippet.md\n```\n\n```{graphviz} flow.dot\n```")
    problems = check_docs(docs)
    assert len(problems) == 2
    assert "{include} snippet.md" in problems[0] and "{graphviz} flow.dot" in problems[1]


def test_removing_a_real_include_target_fails_the_check(tmp_path):
    """The acceptance test: copy a real page, drop its first :pyobject:, the check fails."""
    page = DOCS / "demos" / "signals_demo.md"
    first = next(inc for inc in find_includes(page) if inc.options.get("pyobject"))
    source = resolve(first, DOCS)
    # Rebuild the same relative layout in tmp_path, with the included object renamed away.
    docs = tmp_path / "repo" / "docs"
    (docs / "demos").mkdir(parents=True)
    directive = f"```{{literalinclude}} {first.target}\n:pyobject: {first.options['pyobject']}\n```\n"
    (docs / "demos" / page.name).write_text(directive)
    copy = (docs / "demos" / first.target).resolve()
    copy.parent.mkdir(parents=True, exist_ok=True)
    name = first.options["pyobject"].split(".")[-1]
    copy.write_text(re.sub(rf"\b(def|class) {name}\b", r"\1 renamed_away", source.read_text()))
    [problem] = check_docs(docs)
    assert first.options["pyobject"] in problem
    copy.unlink()
    [problem] = check_docs(docs)
    assert "file not found" in problem

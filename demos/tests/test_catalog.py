"""The catalog is the single list of demos: everything else must agree with it."""

import ast
import functools
import re
from pathlib import Path

import pytest

from demo_harness.walkthrough import helpers_of, readme_walkthrough, requests_of
from demos import DEMOS, REPO_ROOT
from demos.__main__ import main
from demos.catalog import get_demo, readme_table

DEMO_NAMES = [demo.name for demo in DEMOS]
REQUIRED_FILES = ["manage.py", "README.md", "requirements.txt", "pytest.ini", "config/settings.py"]


def test_every_demo_folder_is_in_the_catalog():
    folders = sorted(p.name for p in REPO_ROOT.glob("*_demo") if p.is_dir())
    assert folders == sorted(DEMO_NAMES)


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_demo_folder_is_complete(demo):
    missing = [name for name in REQUIRED_FILES if not (demo.path / name).is_file()]
    assert not missing, f"{demo.name} lacks {missing}"
    assert list((demo.path / "tests").glob("test_*.py")), f"{demo.name} has no tests"
    requirements = (demo.path / "requirements.txt").read_text()
    assert re.search(r"^Django>=5\.2,<", requirements, re.MULTILINE), "Django needs a version range"


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_demo_imports_nothing_outside_itself_at_runtime(demo):
    forbidden = {"demo_harness", "demos", *DEMO_NAMES}
    for path in demo.path.rglob("*.py"):
        if "tests" in path.relative_to(demo.path).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert not roots & forbidden, f"{path} imports {roots & forbidden}"


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_docs_page_exists_and_names_the_tour(demo):
    page = REPO_ROOT / "docs" / demo.docs_page
    assert page.is_file(), f"missing docs page {page}"
    assert demo.run in page.read_text()


def test_readme_table_matches_catalog():
    readme = (REPO_ROOT / "README.md").read_text()
    block = re.search(r"<!-- catalog:start[^>]*-->\n(.*?)\n<!-- catalog:end -->", readme, re.DOTALL)
    assert block, "README lacks the catalog markers"
    assert block.group(1) == readme_table(), "README catalog is stale: paste `python -m demos readme-table`"


def test_readme_opens_with_exactly_two_commands():
    readme = (REPO_ROOT / "README.md").read_text()
    first_block = re.search(r"```sh\n(.*?)\n```", readme, re.DOTALL).group(1).splitlines()
    assert len(first_block) == 2
    assert first_block[0].endswith(f"nox -s tour -- {DEMO_NAMES[0]}")
    assert first_block[1].endswith("nox -s tests")
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert "nox -s tests$" in ci, ".ci/run must pick the README's test command"


def test_noxfile_reads_the_catalog_and_hard_codes_no_demo():
    noxfile = (REPO_ROOT / "noxfile.py").read_text()
    assert "from demos.catalog import DEMOS" in noxfile
    for name in DEMO_NAMES:
        assert name not in noxfile.split('"""', 2)[2], f"noxfile hard-codes {name}"


def test_launcher_lists_every_demo(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for demo in DEMOS:
        assert demo.name in out and demo.run in out


def test_unknown_demo_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["tour", "no_such_demo"])
    assert exit_info.value.code == 2
    assert "known demos" in capsys.readouterr().err
    with pytest.raises(KeyError):
        get_demo("no_such_demo")


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_the_lock_pins_every_package_the_demo_requires(demo):
    """requirements.lock (nox -s lock) holds the versions CI tests; a package added to
    requirements.txt without a new lock would be installed unpinned."""
    unpinned = [name for name, version in demo.tested_with().items() if version is None]
    assert not unpinned, f"{demo.name}/requirements.lock lacks {unpinned}: run `nox -s lock`"
    assert demo.tested_with()["django"].startswith("5.2."), "the lock is for the default combination"


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_the_readme_shows_the_walkthrough_that_the_tests_run(demo):
    """walkthrough.sh is what tests/test_walkthrough.py runs against a fresh server; the
    README shows its requests verbatim, so no pasted copy can drift."""
    script = (demo.path / "walkthrough.sh").read_text()
    assert readme_walkthrough((demo.path / "README.md").read_text()) == requests_of(script), demo.name
    assert helpers_of(script) == helpers_of((DEMOS[0].path / "walkthrough.sh").read_text()), "helpers drifted"
    assert (demo.path / "tests" / "test_walkthrough.py").is_file()


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_the_readme_has_standalone_commands_that_isolated_runs(demo):
    readme = (demo.path / "README.md").read_text()
    block = re.search(r"<!-- standalone:start -->\s*```sh\n(.*?)```\s*<!-- standalone:end -->", readme, re.S)
    assert block, f"{demo.name}/README.md has no standalone block (nox -s isolated runs it)"
    commands = block.group(1)
    assert "requirements-test.txt" in commands and "pytest" in commands and "tour" in commands


# Plumbing each demo carries a copy of (a demo imports nothing outside itself): the
# folder headed "identical in every demo; not the lesson". Its copies may not drift apart.
PLUMBING = Path("config/plumbing")


def plumbing_files(demo):
    folder = demo.path / PLUMBING
    return {path.relative_to(folder).as_posix(): path.read_text() for path in sorted(folder.rglob("*.py"))}


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_plumbing_is_identical_in_every_demo(demo):
    """config/plumbing/ is the same, file for file and byte for byte, as signals_demo's."""
    model = plumbing_files(DEMOS[0])
    assert "settings.py" in model and "throttling.py" in model
    copy = plumbing_files(demo)
    assert copy.keys() == model.keys(), f"{demo.name}/{PLUMBING} has other files"
    drifted = [name for name in model if copy[name] != model[name]]
    assert not drifted, f"{demo.name}/{PLUMBING}: {drifted} drifted from {DEMOS[0].name}'s copy"


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_settings_open_with_the_plumbing_then_the_lesson(demo):
    """config/settings.py starts from the plumbing's settings, and holds none of it again."""
    settings = (demo.path / "config" / "settings.py").read_text()
    assert "from config.plumbing.settings import *" in settings, demo.name
    for plumbing_only in ("SECURE_HSTS_SECONDS", "AUTH_PASSWORD_VALIDATORS", "TEMPLATES =", "dj_database_url"):
        assert plumbing_only not in settings, f"{demo.name}/config/settings.py repeats {plumbing_only}"
    loose = [
        name
        for name in ("openapi", "parsers", "middleware", "exceptions")
        if (demo.path / f"config/{name}.py").exists()
    ]
    assert not loose, f"{demo.name}/config/{loose}: plumbing belongs in {PLUMBING}"


CITED_TEST = re.compile(r"(?<![\w.*])(test_[a-z0-9_]+)(?![\w*]|\.\.\.|\.py)")


def defined_names(demo):
    """Every function and class defined in the demo's tests and in the repo's own tooling."""
    return names_defined_in(demo.path / "tests") | names_defined_in(REPO_ROOT / "shared")


@functools.cache  # twelve tests ask; each folder is parsed once per run
def names_defined_in(folder):
    names = set()
    for path in folder.rglob("*.py"):
        if {".venv", "build"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
    return frozenset(names)


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_the_readme_and_the_docs_page_cite_only_tests_that_exist(demo):
    """A renamed test leaves its README citing nothing; a name cut short (``test_x_``,
    ``..._fix``) is a family of tests and is not checked."""
    names = defined_names(demo)
    for page in (demo.path / "README.md", REPO_ROOT / "docs" / demo.docs_page):
        cited = set(CITED_TEST.findall(page.read_text()))
        missing = sorted(name for name in cited if name not in names and not name.endswith("_"))
        assert not missing, f"{page.relative_to(REPO_ROOT)} cites tests that do not exist: {missing}"


PAGES_ABOUT_EVERY_DEMO = [
    "original-tutorials.md",
    "instructors/index.md",
    "costs.md",
    "choosing/auth.md",
    "choosing/tasks.md",
]


@pytest.mark.parametrize("page", PAGES_ABOUT_EVERY_DEMO)
def test_the_pages_about_every_demo_cite_only_tests_that_exist(page):
    names = set().union(*(defined_names(demo) for demo in DEMOS))
    cited = set(CITED_TEST.findall((REPO_ROOT / "docs" / page).read_text()))
    missing = sorted(name for name in cited if name not in names and not name.endswith("_"))
    assert not missing, f"docs/{page} cites tests that do not exist: {missing}"


# --- The demo template (CONTRIBUTING.md): what a test can check -------------------------

README_MAX_LINES = 250
FUNCTION_MAX_LINES = 40
LESSON_MAX_FILES = 3
STEP_MAX_LINES = 25


def what_is_where(demo):
    """The README's "What is where" section: its text up to the next heading."""
    readme = (demo.path / "README.md").read_text()
    section = re.search(r"^## What is where\n(.*?)(?=^## )", readme, re.S | re.M)
    assert section, f"{demo.name}/README.md has no '## What is where' section"
    return section.group(1)


def table_rows(text):
    """The first cell of each row of each Markdown table in ``text``, table by table."""
    tables, rows = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            if not set(line) <= set("|- "):  # not the |---| line under the header
                rows.append(line.split("|")[1])
        elif rows:
            tables.append(rows[1:])  # without the header row
            rows = []
    return tables


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_the_readme_is_a_lesson_short_enough_to_read(demo):
    lines = (demo.path / "README.md").read_text().count("\n")
    assert lines <= README_MAX_LINES, f"{demo.name}/README.md: {lines} lines (at most {README_MAX_LINES})"


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_what_is_where_names_the_lesson_files_first_and_only_files_that_exist(demo):
    """The first table holds the files that carry the concept (at most three); every path
    any table names exists."""
    tables = table_rows(what_is_where(demo))
    assert tables, f"{demo.name}: the 'What is where' section has no table"
    lesson = [path for cell in tables[0] for path in re.findall(r"`([^`]+)`", cell)]
    assert 1 <= len(lesson) <= LESSON_MAX_FILES, f"{demo.name}: the lesson's table names {lesson}"
    for rows in tables:
        for path in (p for cell in rows for p in re.findall(r"`([^`]+)`", cell)):
            assert (demo.path / path.rstrip("/")).exists(), f"{demo.name}/README.md names {path}, which is not there"


def long_functions(demo):
    """Functions and methods over FUNCTION_MAX_LINES lines in the demo's teaching code."""
    found = []
    for path in sorted(demo.path.rglob("*.py")):
        if {"tests", "migrations", ".venv"} & set(path.relative_to(demo.path).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > FUNCTION_MAX_LINES:
                    found.append(f"{path.relative_to(demo.path)}:{node.lineno} {node.name} ({length} lines)")
    return found


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_no_function_in_the_teaching_code_is_over_forty_lines(demo):
    assert not long_functions(demo), long_functions(demo)


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_the_tour_speaks_the_shared_vocabulary(demo):
    """`manage.py tour` is a config.plumbing.tour.Tour: step(), say(), expect(), mask()."""
    tours = list(demo.path.glob("*/management/commands/tour.py"))
    assert len(tours) == 1, f"{demo.name}: one tour command, in the concept app ({tours})"
    tree = ast.parse(tours[0].read_text())
    command = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Command")
    assert [base.id for base in command.bases if isinstance(base, ast.Name)] == ["Tour"], demo.name
    assert "from config.plumbing.tour import" in tours[0].read_text()
    methods = {node.name: node for node in command.body if isinstance(node, ast.FunctionDef)}
    steps = [node.attr for node in ast.walk(methods["steps"]) if isinstance(node, ast.Attribute)]
    assert steps, f"{demo.name}: steps() names no step"
    long_steps = [
        f"{name} ({methods[name].end_lineno - methods[name].lineno + 1} lines)"
        for name in steps
        if name in methods and methods[name].end_lineno - methods[name].lineno + 1 > STEP_MAX_LINES
    ]
    assert not long_steps, f"{demo.name}: tour steps over {STEP_MAX_LINES} lines: {long_steps}"


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_tests_take_shared_values_from_fixtures_not_from_conftest_imports(demo):
    """A reader of a test sees where ``password`` comes from: a fixture, not an import."""
    importers = [
        path.name
        for path in (demo.path / "tests").rglob("*.py")
        if re.search(r"^\s*from (\.|tests\.)?conftest import", path.read_text(), re.M)
    ]
    assert not importers, f"{demo.name}: {importers} import from conftest"


def test_no_text_speaks_of_documents_a_reader_does_not_have():
    """Name the original tutorial or project a fact comes from, never a document no reader has."""
    texts = [REPO_ROOT / "README.md", REPO_ROOT / "CONTRIBUTING.md", *(REPO_ROOT / "docs").rglob("*.md")]
    for demo in DEMOS:
        texts += [path for path in demo.path.rglob("*") if path.suffix in {".py", ".md", ".sh", ".toml", ".txt"}]
    texts += list((REPO_ROOT / "demos" / "exercises").glob("*.toml"))
    # Words for the source documents instead of their names, in prose or in identifiers.
    unnamed_sources = ["seed", "issue"]
    wording = re.compile(rf"\bthe ({'|'.join(unnamed_sources)})s?\b|\bseed_\w|_seed_|\bthe original project\b", re.I)
    texts = [path for path in texts if "_build" not in path.parts]
    found = [str(path.relative_to(REPO_ROOT)) for path in texts if wording.search(path.read_text())]
    assert not found, found

"""The catalog is the single list of demos: everything else must agree with it."""

import ast
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
    sources = [*(demo.path / "tests").rglob("*.py"), *(REPO_ROOT / "shared").rglob("*.py")]
    names = set()
    for path in sources:
        if {".venv", "build"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
    return names


@pytest.mark.parametrize("demo", DEMOS, ids=DEMO_NAMES)
def test_the_readme_and_the_docs_page_cite_only_tests_that_exist(demo):
    """A renamed test leaves its README citing nothing; a name cut short (``test_x_``,
    ``..._fix``) is a family of tests and is not checked."""
    names = defined_names(demo)
    for page in (demo.path / "README.md", REPO_ROOT / "docs" / demo.docs_page):
        cited = set(CITED_TEST.findall(page.read_text()))
        missing = sorted(name for name in cited if name not in names and not name.endswith("_"))
        assert not missing, f"{page.relative_to(REPO_ROOT)} cites tests that do not exist: {missing}"

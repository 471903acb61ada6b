"""Every command the READMEs and the docs show names something that exists: a nox session
of the noxfile, a subcommand of the launcher, a demo of the catalog. (What the commands
print is checked where they run: the walkthroughs, the tours, the standalone blocks.)"""

import ast
import re
from pathlib import Path

import pytest

from demos import DEMOS

ROOT = Path(__file__).resolve().parents[2]
DEMO_NAMES = {demo.name for demo in DEMOS}
PAGES = sorted(
    [ROOT / "README.md", *ROOT.glob("*_demo/README.md"), *(ROOT / "docs").rglob("*.md")],
    key=str,
)
PAGES = [page for page in PAGES if "_build" not in page.parts]
NOX = re.compile(r"\bnox (?:-r )?(?:-s|--session) ([\w-]+)(?: -- ([\w-]+))?")
LAUNCHER = re.compile(r"python3? -m demos (\w[\w-]*)(?: ([\w-]+))?")


def nox_sessions():
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) == "nox.session":
                    names.add(node.name)
    return names


def launcher_commands():
    source = (ROOT / "demos" / "__main__.py").read_text()
    return set(re.findall(r'add_parser\("([\w-]+)"', source))


@pytest.mark.parametrize("page", PAGES, ids=[str(page.relative_to(ROOT)) for page in PAGES])
def test_every_nox_and_launcher_command_shown_exists(page):
    text = page.read_text()
    sessions, commands = nox_sessions(), launcher_commands()
    for session, argument in NOX.findall(text):
        assert session in sessions, f"{page.name}: nox -s {session} is not a session of the noxfile"
        if session in ("tour", "serve") and argument and not argument.startswith(("-", "NAME", "DEMO")):
            assert argument in DEMO_NAMES, f"{page.name}: nox -s {session} -- {argument}: no such demo"
    for command, argument in LAUNCHER.findall(text):
        assert command in commands, f"{page.name}: python -m demos {command} is not a launcher command"
        if command in ("tour", "serve", "copy") and argument and argument.isidentifier():
            assert argument in DEMO_NAMES | {"NAME", "DEMO"}, f"{page.name}: {command} {argument}: no such demo"


def test_the_checks_see_the_commands_and_the_sessions():
    """The patterns above must find what the README shows, or the test above checks nothing."""
    shown = NOX.findall((ROOT / "README.md").read_text())
    assert len(shown) >= 10 and ("tour", "signals_demo") in shown
    assert {"tests", "tests_latest", "isolated", "copy", "lock", "tour", "serve"} <= nox_sessions()
    assert {"list", "tour", "serve", "copy"} <= launcher_commands()

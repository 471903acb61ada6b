"""Exercises: every taught pitfall, put back into a demo's real code for a learner to fix.

    python -m demos exercise list
    python -m demos exercise start DEMO N    # the trap goes into the demo's files
    python -m demos exercise check DEMO N    # the demo's own fix tests grade it
    python -m demos exercise hint DEMO N     # one hint at a time
    python -m demos exercise solve DEMO N    # the reference solution back, with the diff
    python -m demos exercise reset           # every started exercise restored

Each demo's exercises are in ``demos/exercises/DEMO.toml``: a title, the lesson, the files
to read, graded hints, the tests that grade it, and the trap as exact text to find in the
reference solution (the demo's current code) and the text that replaces it, or (``create``)
a whole file the reference does not have: a trap that is about where code lives, such as a
task in a module the worker never imports. ``start`` keeps a copy of the demo's source
files in ``.exercises/`` (git-ignored); ``solve`` and ``reset`` put back every file the
exercise or the learner changed and remove the files the trap or the learner added, so
afterwards ``git status`` is clean. The checkers are
behaviour tests (signals sent, queries run, rows written, status codes), so any correct
solution passes, not only the reference one.
"""

import difflib
import json
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import DEMOS, REPO_ROOT, get_demo

EXERCISES_DIR = Path(__file__).resolve().parent / "exercises"
# The demo's source, as start() keeps it: not its database, uploads or virtual environment.
SOURCE_SUFFIXES = {".py", ".toml", ".ini", ".txt", ".md", ".sh", ".html", ".json", ".lock"}
NOT_SOURCE = {".venv", "__pycache__", "media", "staticfiles", "test-harness", ".pytest_cache"}


def write_source(path, text):
    """Write a source file and forget its cached bytecode. Python (and pytest, for a test
    module) trusts a ``.pyc`` that records the source's modification second and size, and an
    exercise rewrites a file within the second it was last run, at the same size as often as
    not: start, check, solve, check in a row would then run the trap's code after the fix."""
    path.write_text(text)
    for cached in path.parent.glob(f"__pycache__/{path.stem}.*.pyc"):
        cached.unlink(missing_ok=True)


def demos_root():
    """Where the demo folders are: the repository, or (DEMOS_ROOT) a folder of copies, which
    is how the tests run every exercise without touching the checkout."""
    return Path(os.environ.get("DEMOS_ROOT") or REPO_ROOT)


def demo_path(demo_name):
    get_demo(demo_name)  # a clear error for an unknown demo
    return demos_root() / demo_name


@dataclass
class Trap:
    file: str  # relative to the demo folder
    find: str = ""  # exact text of the reference solution, found once
    replace: str = ""  # what the exercise puts there instead
    create: str | None = None  # or: the text of a new file, which the reference does not have

    def __post_init__(self):
        if (self.create is None) == (not self.find):
            raise ValueError(f"a trap in {self.file} needs either find (and replace) or create")
        path = Path(self.file)
        if self.create is not None and (path.suffix not in SOURCE_SUFFIXES or NOT_SOURCE & set(path.parts)):
            # solve() removes only the source files start() did not see: this one must be one.
            raise ValueError(f"a created trap file must be a source file: {self.file}")

    def applies_to(self, root):
        """Whether ``root`` holds the reference solution here: the text found once, or no file yet."""
        path = root / self.file
        if self.create is not None:
            return not path.exists()
        return path.is_file() and path.read_text().count(self.find) == 1

    def apply(self, root):
        path = root / self.file
        if self.create is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_source(path, self.create)
        else:
            write_source(path, path.read_text().replace(self.find, self.replace, 1))


@dataclass
class Exercise:
    demo: str
    number: int
    title: str
    lesson: str
    minutes: int
    read: list
    check: list  # pytest node ids, relative to the demo folder
    hints: list
    traps: list = field(default_factory=list)

    @property
    def key(self):
        return f"{self.demo}/{self.number}"

    @property
    def state(self):
        return demos_root() / ".exercises" / self.demo / str(self.number)

    @property
    def started(self):
        return (self.state / "started.json").is_file()


def load(demo_name):
    """The exercises of one demo, in order (none when it has no exercises file)."""
    path = EXERCISES_DIR / f"{demo_name}.toml"
    if not path.is_file():
        return []
    entries = tomllib.loads(path.read_text())["exercise"]
    return [
        Exercise(
            demo=demo_name,
            traps=[Trap(**trap) for trap in entry.pop("trap")],
            **entry,
        )
        for entry in entries
    ]


def everything():
    return [exercise for demo in DEMOS for exercise in load(demo.name)]


def find(demo_name, number):
    get_demo(demo_name)  # a clear error for an unknown demo
    for exercise in load(demo_name):
        if exercise.number == int(number):
            return exercise
    raise KeyError(f"{demo_name} has no exercise {number}; `python -m demos exercise list` lists them")


# --- the commands ------------------------------------------------------------------------------
def source_files(root):
    """The demo's source files, by path relative to its folder, with their text."""
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.suffix in SOURCE_SUFFIXES and path.is_file() and not NOT_SOURCE & set(relative.parts):
            files[relative.as_posix()] = path.read_text()
    return files


def list_all():
    for exercise in everything():
        mark = "  (started)" if exercise.started else ""
        print(f"{exercise.key:<18} {exercise.title}{mark}")
    return 0


def start(exercise):
    if exercise.started:
        print(f"{exercise.key} is already started: `check`, `hint`, or `solve` it.")
        return 1
    # One at a time in a demo: solve() puts the whole demo back as start() found it.
    other = next((other for other in load(exercise.demo) if other.started), None)
    if other:
        print(f"{other.key} is started: solve it (or `reset`) before starting {exercise.key}.")
        return 1
    root = demo_path(exercise.demo)
    changed = list(dict.fromkeys(trap.file for trap in exercise.traps))
    for trap in exercise.traps:  # check them all before changing anything
        if not trap.applies_to(root):
            found = "exists already" if trap.create is not None else "does not hold the reference solution"
            print(f"{trap.file} {found} (already changed?): `reset` first.")
            return 1
    exercise.state.mkdir(parents=True, exist_ok=True)
    (exercise.state / "reference.json").write_text(json.dumps(source_files(root)))
    (exercise.state / "started.json").write_text(json.dumps({"files": changed, "hints": 0}))
    for trap in exercise.traps:
        trap.apply(root)
    print(f"{exercise.key}: {exercise.title}\n\n{exercise.lesson.strip()}\n")
    pitfalls = sorted(set(re.findall(r"test_pitfall_(\d+)_", " ".join(exercise.check))), key=int)
    if pitfalls:  # the README and the tests number pitfalls, not exercises
        print(f"In {exercise.demo}'s README and tests: pitfall {' and '.join(pitfalls)}.")
    print(f"Read, in {exercise.demo}/: " + ", ".join(exercise.read))
    print(f"Change: {', '.join(changed)} (the trap is in place there now) until the checks pass.")
    work = f"about {exercise.minutes} minutes' work"
    print(f"Check: nox -s exercise -- check {exercise.demo} {exercise.number}   ({work})")
    return 0


def check(exercise):
    root = demo_path(exercise.demo)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-header", "-rf", "--tb=short"]
    result = subprocess.run([*command, *exercise.check], cwd=root, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode == 0:
        passed = re.search(r"(\d+) passed", result.stdout)
        count = passed.group(1) if passed else len(exercise.check)  # a parametrized check is several tests
        print(f"✓ {exercise.key} solved: {count} check(s) pass; the trap ({exercise.title}) is fixed.")
        return 0
    print(f"✗ {exercise.key} is not solved yet. What is still wrong:")
    for line in _failures(result.stdout):
        print(f"  - {line}")
    print(f"A hint: nox -s exercise -- hint {exercise.demo} {exercise.number}")
    return 1


def hint(exercise):
    if not exercise.started:
        print(f"{exercise.key} is not started: nox -s exercise -- start {exercise.demo} {exercise.number}")
        return 1
    state = json.loads((exercise.state / "started.json").read_text())
    shown = min(state["hints"], len(exercise.hints) - 1)
    print(f"Hint {shown + 1} of {len(exercise.hints)}: {exercise.hints[shown]}")
    if shown + 1 == len(exercise.hints):
        print(f"That was the last hint; the reference: nox -s exercise -- solve {exercise.demo} {exercise.number}")
    state["hints"] = shown + 1
    (exercise.state / "started.json").write_text(json.dumps(state))
    return 0


def solve(exercise, show_diff=True):
    """Put the reference solution back; show how it differs from the learner's files."""
    if not exercise.started:
        print(f"{exercise.key} is not started.")
        return 1
    root = demo_path(exercise.demo)
    reference = json.loads((exercise.state / "reference.json").read_text())
    yours = source_files(root)
    for name in sorted(set(reference) | set(yours)):
        if reference.get(name) == yours.get(name):
            continue
        if show_diff:
            lines = (yours.get(name) or "").splitlines(True), (reference.get(name) or "").splitlines(True)
            sys.stdout.writelines(difflib.unified_diff(*lines, f"yours/{name}", f"reference/{name}"))
        if name in reference:
            write_source(root / name, reference[name])
        else:
            (root / name).unlink()  # a file the trap or the learner added (shown in the diff above)
            if not show_diff:
                print(f"removed {exercise.demo}/{name}: the reference solution has no such file")
            _remove_empty_folders((root / name).parent, root)
    for path in exercise.state.iterdir():
        path.unlink()
    exercise.state.rmdir()
    print(f"{exercise.key}: the reference solution is back.")
    return 0


def reset():
    started = [exercise for exercise in everything() if exercise.started]
    for exercise in started:
        solve(exercise, show_diff=False)
    print(f"{len(started)} exercise(s) reset." if started else "No exercise was started.")
    return 0


def _remove_empty_folders(folder, root):
    """The folders a removed file leaves empty (or holding only its bytecode), up to ``root``."""
    while folder != root and folder.is_dir():
        cache = folder / "__pycache__"
        if any(path != cache for path in folder.iterdir()):
            return
        if cache.is_dir():
            for path in cache.iterdir():
                path.unlink()
            cache.rmdir()
        folder.rmdir()
        folder = folder.parent


def _failures(output):
    """One entry per failing check: the test's name and what it found (its assertion's
    message and pytest's explanation, a few lines), never the traceback."""
    sections = re.split(r"^_{3,} (\S+) _{3,}$", output, flags=re.MULTILINE)
    found = {}
    for name, body in zip(sections[1::2], sections[2::2], strict=False):
        explanation = [line[1:].strip() for line in body.splitlines() if line.startswith("E ")]
        # Neither pytest's "+ where ..." lines nor its advice about its own flags.
        explanation = [line for line in explanation if line and not line.startswith(("+", "Use -v"))]
        found[name.split("::")[-1]] = " / ".join(explanation[:3]) or "failed"
    if not found:  # an error before the tests ran (a syntax error in the changed file, say)
        return [line for line in output.splitlines() if line.strip()][-5:]
    return [f"{test}: {message}"[:400] for test, message in found.items()]


def main(args):
    """``args``: the words after ``exercise`` (argparse has parsed them into a namespace)."""
    if args.action == "list":
        return list_all()
    if args.action == "reset":
        return reset()
    if args.demo is None or args.number is None:
        print(f"usage: python -m demos exercise {args.action} DEMO N", file=sys.stderr)
        return 2
    exercise = find(args.demo, args.number)
    return {"start": start, "check": check, "hint": hint, "solve": solve}[args.action](exercise)

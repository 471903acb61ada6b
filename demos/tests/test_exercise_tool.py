"""The exercise tool itself, on a small stand-in demo folder (fast: no demo's tests run).
Every real exercise's round trip is demos/tests/test_exercises.py."""

import os
import subprocess
import sys

import pytest

from demos import exercises
from demos.exercises import Exercise, Trap

DEMO = "scheduler_demo"  # any catalogued name: the folder is a stand-in under DEMOS_ROOT


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("DEMOS_ROOT", str(tmp_path))
    (tmp_path / DEMO / "app").mkdir(parents=True)
    (tmp_path / DEMO / "app" / "engine.py").write_text("def enqueue():\n    task()\n")
    return tmp_path / DEMO


def exercise(*traps):
    return Exercise(DEMO, 99, "A stand-in", "lesson", 5, read=[], check=[], hints=["h"], traps=list(traps))


def files(folder):
    """Every file and folder, bytecode included: what `git status` would see, and more."""
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))


MOVED = Trap(file="app/engine.py", find="    task()\n", replace="    from app.jobs.misplaced import task\n")
CREATED = Trap(file="app/jobs/misplaced.py", create="def task():\n    pass\n")


def test_a_created_file_is_there_once_started_and_gone_once_solved(root, capsys):
    before = files(root)
    started = exercise(MOVED, CREATED)
    assert exercises.start(started) == 0
    assert (root / "app/jobs/misplaced.py").read_text() == "def task():\n    pass\n"
    assert "from app.jobs.misplaced" in (root / "app/engine.py").read_text()
    assert "Change: app/engine.py, app/jobs/misplaced.py" in capsys.readouterr().out
    (root / "app/jobs/__pycache__").mkdir()  # the learner ran the tests: bytecode beside it
    (root / "app/jobs/__pycache__/misplaced.cpython-312.pyc").write_bytes(b"")
    assert exercises.solve(started) == 0
    assert files(root) == before, "solve left a file or a folder the trap created"
    assert "-def task():" in capsys.readouterr().out  # the diff shows the file going


def test_a_file_the_learner_added_in_its_own_folder_goes_too(root):
    before = files(root)
    started = exercise(CREATED)
    exercises.start(started)
    (root / "app/tasks").mkdir()
    (root / "app/tasks/__init__.py").write_text("from app.jobs.misplaced import task  # noqa\n")
    exercises.solve(started, show_diff=False)
    assert files(root) == before


def test_start_refuses_when_the_file_to_create_exists(root, capsys):
    (root / "app/jobs").mkdir()
    (root / "app/jobs/misplaced.py").write_text("# the learner's own\n")
    assert exercises.start(exercise(MOVED, CREATED)) == 1
    assert "app/jobs/misplaced.py exists already" in capsys.readouterr().out
    assert (root / "app/jobs/misplaced.py").read_text() == "# the learner's own\n"
    assert "from app.jobs" not in (root / "app/engine.py").read_text()  # nothing changed


@pytest.mark.parametrize(
    "fields",
    [
        {"file": "a.py"},  # neither find nor create
        {"file": "a.py", "find": "x", "replace": "y", "create": "z"},  # both
        {"file": "notes.rst", "create": "z"},  # solve() would not remove it
        {"file": "media/a.py", "create": "z"},
    ],
)
def test_a_trap_is_either_a_replacement_or_a_new_source_file(fields):
    with pytest.raises(ValueError, match="trap"):
        Trap(**fields)


def answer_of(demo_folder):
    """``answer()`` of ``app/engine.py``, from a new Python that keeps and trusts bytecode."""
    code = "from app.engine import answer; print(answer())"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    return subprocess.run([sys.executable, "-c", code], cwd=demo_folder, env=env, capture_output=True, text=True).stdout


SAME_SIZE = Trap(file="app/engine.py", find="return 'fixed'", replace="return 'trap!'")


def test_a_rewritten_module_runs_its_new_code_even_within_the_second_it_was_compiled(root):
    engine = root / "app/engine.py"
    engine.write_text("def answer():\n    return 'fixed'\n")
    second = os.stat(engine).st_mtime
    assert answer_of(root) == "fixed\n"  # app/__pycache__/engine.*.pyc records that second and size
    # The trap: a rewrite of the same size within the same second (a quick start, then
    # check): the cached bytecode passes for current, and Python runs the old code.
    engine.write_text("def answer():\n    return 'trap!'\n")
    os.utime(engine, (second, second))
    assert answer_of(root) == "fixed\n"
    # The fix: the exercise tool forgets a file's bytecode whenever it writes the file.
    engine.write_text("def answer():\n    return 'fixed'\n")
    started = exercise(SAME_SIZE)
    assert exercises.start(started) == 0
    os.utime(engine, (second, second))
    assert answer_of(root) == "trap!\n"
    assert exercises.solve(started, show_diff=False) == 0
    os.utime(engine, (second, second))
    assert answer_of(root) == "fixed\n"

"""Every exercise's round trip, on copies of the demos (the checkout is never touched):
start -> check fails -> solve -> check passes -> the files are the reference again;
and a started exercise leaves the demo's other exercises' checks passing.

It starts a few hundred pytest processes, so it runs as its own session
(`nox -s exercise_checks`, in CI), not inside `nox -s tests`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from demos import DEMOS
from demos.exercises import everything, load, source_files

EXERCISES = everything()


def exercise_command(root, *words):
    env = {**os.environ, "DEMOS_ROOT": str(root)}
    command = [sys.executable, "-m", "demos", "exercise", *map(str, words)]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    root = tmp_path_factory.mktemp("exercises")
    for demo in DEMOS:
        if load(demo.name):
            subprocess.run([sys.executable, "-m", "demos", "copy", demo.name, str(root / demo.name)], check=True)
    return root


def snapshot(folder):
    """Every file an exercise may change (code, requirements, settings files)."""
    return source_files(Path(folder))


def test_every_demo_with_pitfalls_has_exercises():
    assert [exercise.key for exercise in EXERCISES], "no exercise at all"


@pytest.mark.parametrize("exercise", EXERCISES, ids=[exercise.key for exercise in EXERCISES])
def test_start_check_solve_round_trip(copies, exercise):
    folder = copies / exercise.demo
    before = snapshot(folder)
    started = exercise_command(copies, "start", exercise.demo, exercise.number)
    assert started.returncode == 0, started.stdout + started.stderr
    assert snapshot(folder) != before, "start changed no file"
    unsolved = exercise_command(copies, "check", exercise.demo, exercise.number)
    assert unsolved.returncode == 1, unsolved.stdout + unsolved.stderr
    assert "not solved yet" in unsolved.stdout and "Traceback" not in unsolved.stdout
    # The trap is local: every other exercise's checks still pass (one pytest run for all).
    others = sorted({test for other in load(exercise.demo) if other.number != exercise.number for test in other.check})
    if others:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=line", *others]
        passed = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
        assert passed.returncode == 0, f"other exercises fail while {exercise.key} is started:\n{passed.stdout[-2000:]}"
    solved = exercise_command(copies, "solve", exercise.demo, exercise.number)
    assert solved.returncode == 0, solved.stdout + solved.stderr
    assert snapshot(folder) == before, "solve did not restore the reference solution"
    graded = exercise_command(copies, "check", exercise.demo, exercise.number)
    assert graded.returncode == 0 and "solved" in graded.stdout, graded.stdout

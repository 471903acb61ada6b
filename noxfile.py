"""The one entry point for learners and CI.

    nox -s tour -- signals_demo        # a guided walkthrough of one demo
    nox -s tests                       # every demo's suite (Python 3.11, Django 5.2 LTS)
    nox -s tests -- jwt_demo -k login  # one demo; other arguments go to pytest
    nox -s tests_postgres              # the same suites on PostgreSQL (DATABASE_URL)
    nox -s tests_matrix                # every (Python, Django) combination
    nox -s isolated                    # each demo copied out, its README's standalone commands run
    nox -s copy -- jwt_demo ~/jwt      # a demo folder that runs and tests outside the repository
    nox -t jwt_demo                    # every session tagged with one demo
    nox -s lint

Each demo runs in its own pytest process: one Django settings module per process.
"""

import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from demos.catalog import DEMOS  # noqa: E402  (the single list of demos)

nox.options.default_venv_backend = "uv|virtualenv"
# uv installs without compiling bytecode, and where PYTHONDONTWRITEBYTECODE is set (as on
# CI's machines) every process then compiles Django, DRF and Celery from source again: about
# a second of CPU for each manage.py, server or worker start-up, most of a suite's CPU.
# Compiling once at install time takes that second off every start (`nox -s bench` shows it).
os.environ.setdefault("UV_COMPILE_BYTECODE", "1")
nox.options.sessions = ["lint", "tests"]
# That covers the venv, not the demos' own modules and tests, compiled where they are imported.
# Where PYTHONDONTWRITEBYTECODE is set (CI's machines), every server, manage.py and worker a
# session starts compiled them from source again: the warm `nox -r -s tests` took 286 s of CPU,
# 225 s with their bytecode kept. An empty value is "unset" to Python. The exercises rewrite
# files and run them again within the second: the exercise tool forgets a file's bytecode
# whenever it writes one (demos/exercises.py, write_source), or a stale one would pass for current.
os.environ["PYTHONDONTWRITEBYTECODE"] = ""

DEMO_NAMES = [demo.name for demo in DEMOS]
DEFAULT_PYTHON = "3.11"
DEFAULT_DJANGO = "5.2"
# (Python, Django): the LTS on the machine's Python, the newest Django on the newer ones.
COMBINATIONS = [("3.11", "5.2"), ("3.12", "6.1"), ("3.13", "6.1")]
HARNESS = str(ROOT / "shared")
COVERAGE_CONFIG = str(ROOT / "pyproject.toml")
POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def select_demos(session):
    """Leading demo names in the posargs narrow the run; the rest go to pytest."""
    demos = [arg for arg in session.posargs if arg in DEMO_NAMES]
    rest = [arg for arg in session.posargs if arg not in DEMO_NAMES]
    return demos or DEMO_NAMES, rest


def install(session, demos, django=None, locked=None):
    """Each demo's requirements.txt, pinned by its requirements.lock (the exact versions CI
    tested, `nox -s lock`) on the default combination; `django` picks another series,
    which the locks do not cover, so it resolves the newest allowed versions."""
    locked = django in (None, DEFAULT_DJANGO) if locked is None else locked
    requirements = [arg for demo in demos for arg in ("-r", f"{ROOT / demo}/requirements.txt")]
    constraints = [arg for demo in demos for arg in ("-c", f"{ROOT / demo}/requirements.lock")] if locked else []
    pins = [f"django~={django}.0"] if django else []
    session.install(*requirements, *constraints, HARNESS, *pins)


def suite_size(demo):
    return sum(path.stat().st_size for path in (ROOT / demo / "tests").glob("*.py"))


def pytest_command(demo, pytest_args):
    """Coverage and its 90 % gate on a full run; a narrowed run (`-k refresh`, one file)
    covers only part of the code by design, so it runs without them."""
    if pytest_args:
        return ["pytest", *pytest_args]
    coverage = [f"--cov={ROOT / demo}", f"--cov-config={COVERAGE_CONFIG}", "--cov-report=term:skip-covered"]
    return ["pytest", *coverage, "--cov-fail-under=90"]


def coverage_core(session):
    """coverage's sys.monitoring core where Python has it (3.12+): its C tracer, the only
    core on 3.11, is called at every function call in Django too, sys.monitoring only where
    the demo's own code runs. The JWT demo on Python 3.12: 51 s of CPU with the C tracer, 39 s
    with sys.monitoring, the same lines measured."""
    version = tuple(int(part) for part in str(session.python or DEFAULT_PYTHON).split("."))
    return {"COVERAGE_CORE": "sysmon"} if version >= (3, 12) else {}


def outcome(output):
    """pytest's closing counts ("149 passed, 8 skipped") from its output."""
    for line in reversed(output.splitlines()):
        counts = re.findall(r"(\d+ (?:passed|failed|skipped|errors?|xfailed|xpassed|deselected))", line)
        if counts:
            return ", ".join(counts)
    return "no test summary"


def run_suites(session, demos, pytest_args, database_url=None, repo_checks=False):
    """Each demo in its own pytest process, one more at a time than cores (DEMOS_JOBS overrides),
    the largest suite first so that they finish together. Each suite's output is printed
    whole as soon as it ends, with a progress line; a summary table closes the run.
    ``repo_checks`` adds the harness's, the catalog's and the docs includes' tests."""
    venv = {"PATH": f"{session.bin}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": session.virtualenv.location}
    venv.update(coverage_core(session))
    jobs = {}
    for demo in sorted(demos, key=suite_size, reverse=True):
        env = {**os.environ, **venv}
        if database_url:
            env["DATABASE_URL"] = f"{database_url}/{demo}"
            env["DEMOS_EXPECT_POSTGRES"] = "1"
        jobs[demo] = (ROOT / demo, pytest_command(demo, pytest_args), env)
    if repo_checks:
        # The exercises' round trips start hundreds of pytest runs: `nox -s exercise_checks`.
        repo_checks_command = ["pytest", "shared/tests", "demos/tests", "docs/tests", f"--ignore={EXERCISE_CHECKS}"]
        jobs["repo checks"] = (ROOT, repo_checks_command, {**os.environ, **venv})

    def run(name):
        cwd, command, env = jobs[name]
        started = time.monotonic()
        result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        return name, result, time.monotonic() - started

    # One more suite than cores: a suite spends part of its time waiting on the real
    # processes it starts (the task demo's: 53 s wall for 31 s of CPU), and a third suite
    # fills those waits. Measured warm on 2 cores: 2 at a time 91 s, 3 at a time 79 s, 4: 84 s.
    workers = int(os.environ.get("DEMOS_JOBS") or (os.cpu_count() or 1) + 1)
    gate = "" if pytest_args else ", coverage gate 90 %"
    session.log(f"{len(jobs)} suites, {workers} at a time{gate}: {', '.join(jobs)}")
    summary = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done, future in enumerate(as_completed([pool.submit(run, name) for name in jobs]), start=1):
            name, result, seconds = future.result()
            print(result.stdout + result.stderr, flush=True)
            verdict = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
            summary.append((name, verdict, outcome(result.stdout), seconds))
            session.log(f"[{done}/{len(jobs)}] {name}: {verdict}, {outcome(result.stdout)} in {seconds:.1f} s")
    width = max(len(name) for name, *_ in summary)
    for name, verdict, counts, seconds in summary:
        print(f"{name:<{width}}  {verdict:<18} {counts}  ({seconds:.1f} s)")
    failed = [name for name, verdict, *_ in summary if verdict != "ok"]
    if failed:
        session.error(f"failed: {', '.join(failed)}")


def run_tests(session, django, database_url=None):
    demos, pytest_args = select_demos(session)
    install(session, demos, django)
    run_suites(session, demos, pytest_args, database_url, repo_checks=demos == DEMO_NAMES)


@nox.session(python=DEFAULT_PYTHON)
def tests(session):
    """Every demo's suite on the default combination (Python 3.11, Django 5.2 LTS), SQLite."""
    run_tests(session, django="5.2")


@nox.session(python=DEFAULT_PYTHON)
def tests_latest(session):
    """Every demo's suite with the newest versions its requirements.txt allows (no lock):
    a new release that changes a taught behaviour fails here before a learner meets it."""
    demos, pytest_args = select_demos(session)
    install(session, demos, locked=False)
    run_suites(session, demos, pytest_args, repo_checks=demos == DEMO_NAMES)


@nox.session(python=DEFAULT_PYTHON)
def lock(session):
    """Write each demo's requirements.lock: one resolution of every demo's requirements and
    the harness on Python 3.11 + Django 5.2, so the locks agree where demos share a package."""
    session.install("uv")
    everything = ROOT / ".nox" / "lock-everything.txt"
    inputs = [f"{demo}/requirements.txt" for demo in DEMO_NAMES] + ["shared/pyproject.toml"]
    compile_ = [
        "uv",
        "pip",
        "compile",
        "--quiet",
        "--no-annotate",
        "--python-version",
        DEFAULT_PYTHON,
        "--custom-compile-command",
        "nox -s lock",
    ]
    with session.chdir(ROOT):
        pin = ROOT / ".nox" / "lock-django.txt"
        pin.write_text(f"django~={DEFAULT_DJANGO}.0\n")
        session.run(*compile_, *inputs, str(pin), "-o", str(everything))
        for demo in DEMO_NAMES:
            output = f"{demo}/requirements.lock"
            session.run(
                *compile_, f"{demo}/requirements.txt", "shared/pyproject.toml", "-c", str(everything), "-o", output
            )


@nox.session(python=DEFAULT_PYTHON)
def tests_postgres(session):
    """Every demo's suite on PostgreSQL (POSTGRES_URL, default postgres://postgres@127.0.0.1:5432)."""
    run_tests(session, django="5.2", database_url=POSTGRES_URL)


@nox.session
@nox.parametrize(
    "python,django",
    [nox.param(py, dj, id=f"py{py}-django{dj}") for py, dj in COMBINATIONS],
)
def tests_matrix(session, django):
    """Every demo's suite on one (Python, Django) combination."""
    run_tests(session, django=django)


@nox.session(python=DEFAULT_PYTHON)
@nox.parametrize("demo", [nox.param(name, id=name, tags=[name, "isolated"]) for name in DEMO_NAMES])
def isolated(session, demo):
    """One demo copied out of the repository (`python -m demos copy`), then its README's
    standalone commands run there as written: a fresh venv with only its own requirements
    and the harness, migrate, the tour twice, runserver, its whole test suite."""
    with session.chdir(ROOT):
        session.run("python", "shared/standalone/check_readme.py", demo)


@nox.session(python=DEFAULT_PYTHON, reuse_venv=True)
def exercise(session):
    """`nox -s exercise -- list | start DEMO N | check DEMO N | hint DEMO N | solve DEMO N | reset`."""
    install(session, DEMO_NAMES)
    with session.chdir(ROOT):
        session.run("python", "-m", "demos", "exercise", *(session.posargs or ["list"]))


EXERCISE_CHECKS = "demos/tests/test_exercises.py"


@nox.session(python=DEFAULT_PYTHON)
def exercise_checks(session):
    """Every exercise's round trip (start, check fails, solve, check passes), on copies."""
    install(session, DEMO_NAMES)
    with session.chdir(ROOT):
        session.run("pytest", EXERCISE_CHECKS, "-q", *session.posargs)


@nox.session(python=DEFAULT_PYTHON)
def copy(session):
    """`nox -s copy -- NAME DEST`: a folder outside the repository that runs and tests alone."""
    with session.chdir(ROOT):
        session.run("python", "-m", "demos", "copy", *session.posargs)


@nox.session(python=DEFAULT_PYTHON)
def tour(session):
    """`nox -s tour -- NAME [tour options]`; with no NAME, every demo's tour."""
    if session.posargs and session.posargs[0] in DEMO_NAMES:
        demos, extra = [session.posargs[0]], list(session.posargs[1:])
    elif session.posargs:
        session.error(f"unknown demo {session.posargs[0]!r}; known demos: {', '.join(DEMO_NAMES)}")
    else:
        demos, extra = DEMO_NAMES, []
    install(session, demos)
    for demo in demos:
        session.run("python", "-m", "demos", "tour", demo, *extra)


@nox.session(python=DEFAULT_PYTHON)
def serve(session):
    """`nox -s serve -- NAME [--port 8000]`: migrate, dev data, runserver on 127.0.0.1."""
    if not session.posargs or session.posargs[0] not in DEMO_NAMES:
        session.error(f"name a demo: nox -s serve -- NAME ({', '.join(DEMO_NAMES)})")
    install(session, [session.posargs[0]])
    session.run("python", "-m", "demos", "serve", *session.posargs)


SECURITY_DEPENDENCIES = ["pyjwt>=2.8", "requests>=2.32"]


@nox.session(python=DEFAULT_PYTHON)
def security(session):
    """Black-box attacks, secret leaks, production settings, throttles, PostgreSQL races and
    load over every demo served on 127.0.0.1 (shared/security/README.md)."""
    install(session, DEMO_NAMES)
    session.install(*SECURITY_DEPENDENCIES)
    with session.chdir(ROOT):
        session.run("pytest", "shared/security", *session.posargs, env={"POSTGRES_URL": POSTGRES_URL})


@nox.session(python=DEFAULT_PYTHON)
def bench(session):
    """What each concept costs: `nox -s bench` (publishes to docs/costs/) or `-- --quick`."""
    install(session, DEMO_NAMES)
    session.install("matplotlib>=3.8", *SECURITY_DEPENDENCIES)
    with session.chdir(ROOT):
        # The load test (2,000 requests at concurrency 16 per demo) writes its latencies
        # to bench-results/security-load.json; the report publishes them.
        session.run("pytest", "shared/security", "-m", "load", "-q")
        if "--quick" not in session.posargs:
            time_the_warm_test_run(session)
            time_every_exercise_check(session)
        session.run("python", "-m", "demo_harness.bench.report", *session.posargs)


def time_the_warm_test_run(session):
    """`nox -r -s tests` as a contributor runs it (coverage, suites in parallel), warm: its
    virtual environment and the served demos' migrated templates exist (a first run makes
    them, untimed). Wall and CPU seconds go to bench-results/test-run.json for the report."""
    import json
    import resource

    command = [sys.executable, "-m", "nox", "-r", "-s", "tests"]
    session.run(*command, external=True, silent=True)  # warm-up: the venv, the templates

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    before, started = cpu(), time.monotonic()
    session.run(*command, external=True, silent=True)
    wall, cpu_s = time.monotonic() - started, cpu() - before
    measured = {"wall_s": round(wall, 1), "cpu_s": round(cpu_s, 1), "cores": os.cpu_count()}
    (ROOT / "bench-results").mkdir(exist_ok=True)
    (ROOT / "bench-results" / "test-run.json").write_text(json.dumps(measured))
    session.log(f"warm `nox -r -s tests`: {measured['wall_s']} s wall, {measured['cpu_s']} s CPU")


def time_every_exercise_check(session):
    """`nox -s exercise -- check DEMO N` for every exercise, on the reference solution (what a
    learner's finished fix runs): seconds each, to bench-results/exercise-checks.json."""
    import json

    from demos.exercises import everything

    seconds = {}
    for exercise in everything():
        started = time.monotonic()
        session.run("python", "-m", "demos", "exercise", "check", exercise.demo, str(exercise.number), silent=True)
        seconds[exercise.key] = round(time.monotonic() - started, 1)
    (ROOT / "bench-results" / "exercise-checks.json").write_text(json.dumps(seconds))


@nox.session(python=DEFAULT_PYTHON)
def fuzz(session):
    """schemathesis against every API demo's own OpenAPI schema, served by gunicorn.

    `nox -s fuzz -- DEMO -n 200 --seed 1234`; the seed is fixed when CI is set and
    random (and printed) otherwise.
    """
    install(session, DEMO_NAMES)
    session.install("schemathesis>=4.3,<5")
    with session.chdir(ROOT):
        session.run("python", "shared/fuzz/run_fuzz.py", *session.posargs)


@nox.session(python=DEFAULT_PYTHON)
def lint(session):
    session.install("ruff>=0.8")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


# --- the docs site (docs/README.md) ---------------------------------------------------------
DOCS = ROOT / "docs"
DOCS_HTML = DOCS / "_build" / "html"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def build_docs(session):
    from shutil import which

    if not which("dot"):
        session.error("Graphviz's `dot` renders the diagrams and is missing: apt-get install -y graphviz")
    # The pages run each demo's tour while they are built ({tour-output}): every demo's requirements.
    install(session, DEMO_NAMES)
    session.install("-r", str(DOCS / "requirements.txt"))
    # -E: an incremental build would hide a broken include; -W: every warning is an error.
    session.run("sphinx-build", "-E", "-W", "--keep-going", "-b", "html", str(DOCS), str(DOCS_HTML))


@nox.session(python=DEFAULT_PYTHON)
def docs(session):
    """Build the docs site into docs/_build/html (warnings are errors)."""
    build_docs(session)


@nox.session(python=DEFAULT_PYTHON)
def e2e(session):
    """Build the docs, then drive Debian's Chromium over the site and the demos' admin."""
    if not Path(CHROMIUM).is_file():
        session.error(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    build_docs(session)  # installs every demo's requirements and the harness: the tests serve the demos
    session.install("-r", str(DOCS / "e2e" / "requirements.txt"))
    with session.chdir(ROOT):
        session.run("pytest", "docs/e2e", *session.posargs, env={"DOCS_HTML": str(DOCS_HTML), "CHROMIUM": CHROMIUM})

"""The launcher.

    python -m demos list
    python -m demos tour NAME [tour options]
    python -m demos serve NAME [--port 8000]
    python -m demos copy NAME DEST
    python -m demos exercise list | start DEMO N | check DEMO N | hint DEMO N | solve DEMO N | reset

It only runs each demo's own ``manage.py`` in a child process (one Django project per
process), so the demos stay self-contained: copy a folder out and the same
``manage.py tour`` / ``manage.py runserver`` commands work there.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import exercises
from .catalog import DEMOS, REPO_ROOT, get_demo, readme_table

# Run inside the demo by ``serve``: the development superuser exists only when DEBUG.
DEV_SUPERUSER = """
from django.conf import settings
from django.contrib.auth import get_user_model
if not settings.DEBUG:
    print("DEBUG is off: no development superuser is created.")
else:
    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(username="admin", email="admin@example.com", password="admin")
    print("WARNING: development superuser admin / admin exists (DEBUG only; never in production).")
"""


def manage(demo, *args, env=None):
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=demo.path, env=env, check=False).returncode


def cmd_list(_args):
    width = max(len(d.name) for d in DEMOS)
    for demo in DEMOS:
        print(f"{demo.name:<{width}}  {demo.concept}")
        print(f"{'':<{width}}  run: {demo.run}   docs: docs/{demo.docs_page}")
    return 0


def cmd_readme_table(_args):
    print(readme_table())
    return 0


def cmd_tour(args):
    demo = get_demo(args.name)
    with tempfile.TemporaryDirectory(prefix=f"{demo.name}-tour-") as tmp:
        env = dict(os.environ)
        # A fresh SQLite database every time: the tour starts from nothing and migrates.
        env["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'tour.sqlite3'}"
        env.pop("DJANGO_ENV", None)  # the tour is a development walkthrough
        return manage(demo, "tour", *args.extra, env=env)


def cmd_serve(args):
    demo = get_demo(args.name)
    for step in (("migrate", "--no-input"), ("shell", "-c", DEV_SUPERUSER)):
        code = manage(demo, *step)
        if code:
            return code
    site = f"http://127.0.0.1:{args.port}"
    beside = [
        subprocess.Popen([sys.executable, "manage.py", command, "--site", site], cwd=demo.path)  # noqa: S603
        for command in demo.serve_beside
    ]
    try:
        print(f"Serving {demo.name} on {site}/ (Ctrl+C to stop)")
        return manage(demo, "runserver", f"127.0.0.1:{args.port}")
    finally:
        for process in beside:  # Ctrl+C reached them too; wait, or stop them if it did not
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.terminate()
                process.wait()


# Never copied: local state a run leaves behind.
LOCAL_STATE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.sqlite3*", "media", "staticfiles", ".venv", ".pytest_cache", ".coverage*", "*.egg-info"
)
HARNESS_DIR = "test-harness"


def cmd_copy(args):
    """A folder that installs, runs, tours and tests on its own: the demo, plus a copy of
    the test harness (its tests' only requirement outside the demo) as ./test-harness."""
    demo = get_demo(args.name)
    dest = Path(args.dest).resolve()
    if dest.exists() and any(dest.iterdir()):
        print(f"{dest} exists and is not empty: name a new folder.", file=sys.stderr)
        return 2
    shutil.copytree(demo.path, dest, ignore=LOCAL_STATE, dirs_exist_ok=True)
    harness = REPO_ROOT / "shared"
    shutil.copytree(harness / "demo_harness", dest / HARNESS_DIR / "demo_harness", ignore=LOCAL_STATE)
    shutil.copy2(harness / "pyproject.toml", dest / HARNESS_DIR / "pyproject.toml")
    requirements = dest / "requirements-test.txt"
    requirements.write_text(requirements.read_text().replace("../shared", f"./{HARNESS_DIR}"))
    print(f"Copied {demo.name} to {dest} (the test harness is in ./{HARNESS_DIR}).")
    print(f"Next: cd {dest}, then follow the README's standalone commands.")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m demos", description="Run the Django demos.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="print the catalog").set_defaults(func=cmd_list)
    commands.add_parser("readme-table", help="the README's catalog table").set_defaults(func=cmd_readme_table)
    tour = commands.add_parser("tour", help="guided walkthrough on a fresh SQLite database")
    tour.add_argument("name")
    tour.add_argument("extra", nargs=argparse.REMAINDER, help="options passed to the demo's tour")
    tour.set_defaults(func=cmd_tour)
    serve = commands.add_parser("serve", help="migrate, create dev data, runserver")
    serve.add_argument("name")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)
    copy = commands.add_parser("copy", help="copy a demo out of the repository, ready to run and test alone")
    copy.add_argument("name")
    copy.add_argument("dest")
    copy.set_defaults(func=cmd_copy)
    exercise = commands.add_parser("exercise", help="fix a pitfall in a demo's real code; its tests grade it")
    exercise.add_argument("action", choices=["list", "start", "check", "hint", "solve", "reset"])
    exercise.add_argument("demo", nargs="?")
    exercise.add_argument("number", nargs="?", type=int)
    exercise.set_defaults(func=exercises.main)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyError as error:
        parser.error(error.args[0])


if __name__ == "__main__":
    sys.exit(main())

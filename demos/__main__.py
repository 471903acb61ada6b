"""The launcher.

    python -m demos list
    python -m demos tour NAME [tour options]
    python -m demos serve NAME [--port 8000]

It only runs each demo's own ``manage.py`` in a child process (one Django project per
process), so the demos stay self-contained: copy a folder out and the same
``manage.py tour`` / ``manage.py runserver`` commands work there.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .catalog import DEMOS, get_demo, readme_table

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
    print(f"Serving {demo.name} on http://127.0.0.1:{args.port}/ (Ctrl+C to stop)")
    return manage(demo, "runserver", f"127.0.0.1:{args.port}")


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
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyError as error:
        parser.error(error.args[0])


if __name__ == "__main__":
    sys.exit(main())

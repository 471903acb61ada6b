"""A demo's walkthrough, run as a learner runs it: ``walkthrough.sh`` in the demo folder
holds the requests its README and docs page show, in order, each answer checked; this
starts the demo's development server on a fresh database and runs the script against it.

    result = run_walkthrough(demo_dir)
    assert result.returncode == 0, result.stdout + result.stderr

The README shows the script's requests (what follows its helper section) between
``<!-- walkthrough:start -->`` and ``<!-- walkthrough:end -->``; ``readme_walkthrough``
reads that copy so a test can compare it with the file.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

from .server import serve_demo

SCRIPT = "walkthrough.sh"
HELPERS = re.compile(r"# ---- helpers: .*?# ---- the walkthrough -+\n", re.S)
# As in a shell with the demo's virtual environment activated: `python` is this one.
ACTIVATED_PATH = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
README_COPY = re.compile(r"<!-- walkthrough:start -->\s*```sh\n(.*?)```\s*<!-- walkthrough:end -->", re.S)


def run_walkthrough(demo_dir, *, runs=2, timeout=300, **serve_options):
    """Serve the demo with ``runserver`` (DEBUG on, as a learner runs it) and run the
    walkthrough ``runs`` times in a row against the same database: it must not depend
    on a fresh one. Returns the last run's CompletedProcess (output of every run)."""
    demo_dir = Path(demo_dir)
    outputs = []
    with serve_demo(demo_dir, server="runserver", **serve_options) as served:
        for _ in range(runs):
            # In the demo folder with the server's database, like a second terminal there:
            # a `python manage.py ...` line in the script reaches the same data.
            result = subprocess.run(
                ["bash", SCRIPT],
                cwd=demo_dir,
                env={**os.environ, **served.env, "BASE": served.url, "PATH": ACTIVATED_PATH},
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            outputs.append(result.stdout + result.stderr)
            if result.returncode:
                break
    result.stdout = "\n".join(outputs)
    return result


def helpers_of(script_text):
    """The shared helper section of a walkthrough (identical in every demo)."""
    match = HELPERS.search(script_text)
    return match.group(0) if match else None


def requests_of(script_text):
    """The walkthrough itself: what follows the helper section (what the README shows)."""
    match = HELPERS.search(script_text)
    return script_text[match.end() :] if match else None


def readme_walkthrough(readme_text):
    """The copy of walkthrough.sh the README shows (None when it shows none)."""
    match = README_COPY.search(readme_text)
    return match.group(1) if match else None

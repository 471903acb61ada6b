"""Run a demo README's standalone commands, as written, in a copy outside the repository.

    python shared/standalone/check_readme.py DEMO

1. ``python -m demos copy DEMO <a new temporary folder>``: the demo plus ./test-harness.
2. Take the ``sh`` block between ``<!-- standalone:start -->`` and ``<!-- standalone:end -->``
   in the copy's README.md.
3. Run it there with ``bash -e``, line by line as a learner would. One change: a line
   that runs ``python manage.py runserver`` would never end, so it is started in the
   background on a free port, asked for /api/schema/ (must answer 200), and stopped.

Exit status: 0 when every command succeeded. The environment is the caller's, less the
variables that would point the copy at the repository's databases or settings.
"""

import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"<!-- standalone:start -->\s*```sh\n(.*?)```\s*<!-- standalone:end -->", re.S)
RUNSERVER = "python manage.py runserver"

# Started in the background, probed, stopped: a long-running server in a script.
RUNSERVER_BRIEFLY = r"""
runserver_briefly() {
    python manage.py runserver "127.0.0.1:$PORT" --noreload >runserver.log 2>&1 &
    local pid=$!
    for _ in $(seq 60); do
        if python -c "import sys, urllib.request as u; u.urlopen(sys.argv[1], timeout=2)" \
            "http://127.0.0.1:$PORT/api/schema/" 2>/dev/null; then
            # Another suite's server may have taken the port first: then runserver has
            # exited ("That port is already in use") and the answer was not ours.
            sleep 1
            if ! kill -0 "$pid" 2>/dev/null; then
                cat runserver.log
                echo "runserver exited: the answer on 127.0.0.1:$PORT came from another process" >&2
                return 1
            fi
            kill "$pid"; wait "$pid" 2>/dev/null || true
            echo "runserver answered on 127.0.0.1:$PORT (then stopped by the check)"
            return 0
        fi
        sleep 1
    done
    kill "$pid" 2>/dev/null || true
    cat runserver.log
    echo "runserver did not answer /api/schema/ within 60 s" >&2
    return 1
}
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def standalone_script(readme):
    match = BLOCK.search(readme)
    if not match:
        raise SystemExit("README.md has no ```sh block between <!-- standalone:start --> and <!-- standalone:end -->")
    lines = []
    for line in match.group(1).splitlines():
        lines.append(f"echo {shlex.quote('$ ' + line)}")  # show each command before it runs
        lines.append(line.replace(RUNSERVER, "runserver_briefly"))
    return "set -euo pipefail\n" + RUNSERVER_BRIEFLY + "\n".join(lines) + "\n"


def main(demo):
    with tempfile.TemporaryDirectory(prefix=f"{demo}-copied-") as tmp:
        folder = Path(tmp) / demo
        subprocess.run([sys.executable, "-m", "demos", "copy", demo, str(folder)], cwd=REPO_ROOT, check=True)
        script = standalone_script((folder / "README.md").read_text())
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ENV", "VIRTUAL_ENV")}
        env["PORT"] = str(free_port())
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        env["PIP_QUIET"] = "1"  # the log shows each command and the tests, not every download
        result = subprocess.run(["bash", "-c", script], cwd=folder, env=env, check=False)
        verdict = "passed" if result.returncode == 0 else "FAILED"
        print(f"{demo}: the README's standalone commands {verdict} in {folder}")
        return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

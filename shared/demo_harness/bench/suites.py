"""How long each demo's test suite takes: wall and CPU seconds, one suite at a time.

Each suite runs as a learner or a contributor runs it (``pytest`` in the demo's folder,
warm: the virtual environment exists), without the coverage tracing that the full
``nox -s tests`` adds. CPU seconds count the pytest process and every process it waited
for (served demos, workers).
"""

import resource
import subprocess
import sys
import time


def cpu_seconds_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_suite(folder):
    before, start = cpu_seconds_of_children(), time.perf_counter()
    done = subprocess.run(  # noqa: S603 (our own interpreter, our own tests)
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-header"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    wall, cpu = time.perf_counter() - start, cpu_seconds_of_children() - before
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "green": done.returncode == 0,
        "summary": lines[-1].strip("= ") if lines else done.stderr[-200:],
    }


def measure(root, demos):
    return {demo: measure_suite(root / demo) for demo in demos}

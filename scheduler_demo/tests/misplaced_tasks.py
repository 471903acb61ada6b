"""A @background task in a module that is NOT an app's tasks.py (pitfall 1's trap).

The test process imports this module, so enqueueing works; the worker process never
imports it, so it never learns the task name and skips its rows forever, silently.

It stays in tests/, not in an app's pitfalls.py, because where it lives is the trap: a
module outside every <app>/tasks.py, which only a process that imports it by hand (this
test's) ever registers. Moved into an app's tasks.py, the trap would be gone.
"""

from pathlib import Path

from background_task import background


@background(name="tests.misplaced_tasks.write_marker")
def write_marker(path):
    Path(path).write_text("ran")

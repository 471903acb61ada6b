"""A @background task in a module that is NOT an app's tasks.py (pitfall 1's trap).

The test process imports this module, so enqueueing works; the worker process never
imports it, so it never learns the task name and skips its rows forever, silently.
"""

from pathlib import Path

from background_task import background


@background(name="tests.misplaced_tasks.write_marker")
def write_marker(path):
    Path(path).write_text("ran")

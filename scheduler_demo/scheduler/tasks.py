"""What ``process_tasks`` (background_task's worker) imports: it looks for ``<app>.tasks``
in every installed app, and nowhere else. Importing the engine's module here registers
its task names in the worker (tests/test_pitfalls.py, pitfall 1)."""

from scheduler.engines.background_task import (  # noqa: F401 - imported to register them
    cleanup_old_imports,
    noop,
    prune_task_log,
    run_import_task,
    send_invite_reminders,
)

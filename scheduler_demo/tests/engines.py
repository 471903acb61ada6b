"""A running worker of one engine, and each engine's own log of the import task's runs."""

import json

from django.utils import timezone

from tests.helpers import wait_until

IMPORT_TASK = "contacts.import_contacts"


class RunningEngine:
    def __init__(self, name, process, log):
        self.name, self.process, self.log = name, process, log

    def wait_for(self, condition, message, timeout=60):
        """wait_until(condition), failing early with the worker's log if it died."""

        def check():
            if self.process.poll() is not None:
                self.log.seek(0)
                raise AssertionError(f"the {self.name} worker exited:\n{self.log.read()[-3000:]}")
            self.hurry_retries()
            return condition()

        return wait_until(check, timeout=timeout, message=message)

    def hurry_retries(self):
        """background_task waits at least 6 s before a retry (attempts ** 4 + 5): move a
        rescheduled, unlocked task's run_at to now, as if the time had passed. The real
        worker still does the retry. (Celery's backoff is capped at 1 s for the tests.)"""
        if self.name == "background_task":
            from background_task.models import Task

            Task.objects.filter(attempts__gt=0, locked_by=None).update(run_at=timezone.now())

    def forget_runs(self):
        """The database engines' logs are emptied with the test database; Celery's
        results live in Redis: delete them (not the queue, the worker is listening)."""
        if self.name == "celery":
            from config.celery import app
            from scheduler.worker import private_celery_prefix

            client = app.backend.client
            for key in client.scan_iter(match=f"{private_celery_prefix()}celery-task-meta-*"):
                client.delete(key)

    def wait_for_runs(self, count, message="the engine to record the import task"):
        """The engine writes its log after the task body returned (and so after the
        import record says done): wait until it holds at least ``count`` runs, all finished."""

        def finished():
            runs = self.import_runs()
            return len(runs) >= count and all(run["state"] in ("succeeded", "failed") for run in runs) and runs

        return self.wait_for(finished, message)

    def import_runs(self):
        """The import task as the engine recorded it: [{import_id, state, attempts, error}]."""
        return sorted(RUNS[self.name](), key=lambda run: run["import_id"])


def background_task_runs():
    from background_task.models import CompletedTask, Task

    runs = []
    for row in [*Task.objects.filter(task_name=IMPORT_TASK), *CompletedTask.objects.filter(task_name=IMPORT_TASK)]:
        if isinstance(row, CompletedTask):
            state = "failed" if row.failed_at else "succeeded"
        else:
            state = "retrying" if row.attempts else "queued"
        import_id = json.loads(row.task_params)[0][0]
        runs.append({"import_id": import_id, "state": state, "attempts": row.attempts, "error": row.last_error})
    return runs


def django_tasks_runs():
    from django_tasks_db.models import DBTaskResult

    from scheduler.engines.django_tasks import run_import_task

    states = {"SUCCESSFUL": "succeeded", "FAILED": "failed", "READY": "queued", "RUNNING": "running"}
    return [
        {
            "import_id": row.args_kwargs["args"][0],
            "state": states[row.status],
            "attempts": len(row.worker_ids),
            "error": row.traceback,
        }
        for row in DBTaskResult.objects.filter(task_path=run_import_task.module_path)
    ]


def celery_runs():
    """The results in Redis (result_extended: name, args and retries are kept)."""
    from config.celery import app
    from scheduler.worker import private_celery_prefix

    states = {"SUCCESS": "succeeded", "FAILURE": "failed", "RETRY": "retrying", "STARTED": "running"}
    client, runs = app.backend.client, []
    for key in client.scan_iter(match=f"{private_celery_prefix()}celery-task-meta-*"):
        meta = json.loads(client.get(key))
        if meta.get("name") == IMPORT_TASK:
            error = meta["traceback"] or ""
            attempts = (meta.get("retries") or 0) + 1
            runs.append(
                {"import_id": meta["args"][0], "state": states[meta["status"]], "attempts": attempts, "error": error}
            )
    return runs


RUNS = {"background_task": background_task_runs, "django_tasks": django_tasks_runs, "celery": celery_runs}

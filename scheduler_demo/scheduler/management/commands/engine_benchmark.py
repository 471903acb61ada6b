"""``manage.py engine_benchmark --engine E --tasks N --rows M``: one worker, two loads, one JSON line.

Starts one worker process of engine E on the current DATABASE_URL (and Redis for
Celery), then times, from the first enqueue to the last task done:

- N no-op tasks (the engine's own cost per task: enqueue, pick up, record the result);
- one contacts import of M rows (the job itself, ``run_import``, in the worker).
"""

import json
import os
import platform
import tempfile
import time

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from contacts.management.commands.import_benchmark import benchmark_row
from contacts.models import UserContactsImport
from contacts.services import enqueue_import
from scheduler.engines import background_task, celery, django_tasks
from scheduler.worker import delete_celery_keys, start_engine_worker, stop_worker

BENCH_USER = "engine-benchmark"


class Command(BaseCommand):
    help = "Throughput of one worker of an engine: N no-op tasks, then an import of M rows; prints JSON."

    def add_arguments(self, parser):
        parser.add_argument("--engine", choices=settings.TASKS_ENGINES, default=settings.TASKS_ENGINE)
        parser.add_argument("--tasks", type=int, default=1000, help="no-op tasks (default 1000)")
        parser.add_argument("--rows", type=int, default=10_000, help="rows of the import (default 10000)")
        parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for each load")

    def handle(self, *args, engine, tasks, rows, timeout, **options):
        call_command("migrate", verbosity=0)
        self.engine, self.timeout = engine, timeout
        queue = ENGINE_QUEUES[engine]()
        queue.clear()
        with tempfile.NamedTemporaryFile("w+", prefix="bench-worker-", suffix=".log") as log:
            worker = start_engine_worker(engine, output=log)
            try:
                self.wait("the worker to start", queue.done, [queue.enqueue()], started=time.perf_counter())
                queue.clear()
                noop = self.time_noops(queue, tasks)
                imported = self.time_import(rows)
            except CommandError:
                log.seek(0)
                self.stderr.write("worker log:\n" + log.read()[-3000:])
                raise
            finally:
                stop_worker(worker, engine=engine)
                queue.clear()
        self.stdout.write(json.dumps({**self.machine(), **noop, **imported}))

    def time_noops(self, queue, count):
        started = time.perf_counter()
        handles = [queue.enqueue() for _ in range(count)]
        enqueued = time.perf_counter() - started
        wall = self.wait(f"{count} no-op tasks", queue.done, handles, started)
        return {
            "noop_tasks": count,
            "noop_enqueue_s": round(enqueued, 3),
            "noop_wall_s": round(wall, 3),
            "noop_tasks_per_s": round(count / wall, 1),
        }

    def time_import(self, rows):
        user_model = get_user_model()
        user_model.objects.filter(username=BENCH_USER).delete()
        user = user_model.objects.create_user(username=BENCH_USER)  # unusable password
        data = [benchmark_row(n, rows) for n in range(rows)]
        record = UserContactsImport.objects.create(user=user, rows=data, total=len(data))
        started = time.perf_counter()
        with override_settings(TASKS_ENGINE=self.engine):  # what enqueue_import reads
            enqueue_import(record.pk)  # no transaction open: queued at once
        finished = UserContactsImport.Status.DONE, UserContactsImport.Status.FAILED
        query = UserContactsImport.objects.filter(pk=record.pk, status__in=finished)
        wall = self.wait(f"the import of {rows} rows", lambda _: query.exists(), None, started)
        record.refresh_from_db()
        user.delete()
        if record.status != UserContactsImport.Status.DONE:
            raise CommandError(f"the import failed: {record}")
        return {"import_rows": rows, "import_wall_s": round(wall, 3), "import_rows_per_s": round(rows / wall)}

    def wait(self, what, done, handles, started):
        deadline = started + self.timeout
        while not done(handles):
            if time.perf_counter() > deadline:
                raise CommandError(f"timed out waiting for {what}")
            time.sleep(0.02)
        return time.perf_counter() - started

    def machine(self):
        return {
            "engine": self.engine,
            "database": database_version(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "django": django.get_version(),
        }


def database_version():
    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.pg_version // 10000}"
    return f"{connection.display_name} {connection.Database.sqlite_version}"


# --- each engine's no-op queue: enqueue one, tell when all are done, clear the log ----


class BackgroundTaskQueue:
    def __init__(self):
        from background_task.models import CompletedTask, Task

        self.done_log = CompletedTask.objects.filter(task_name="scheduler.noop")
        self.queued = Task.objects.filter(task_name="scheduler.noop")

    def enqueue(self):
        return background_task.noop()

    def done(self, handles):
        return self.done_log.count() >= len(handles)

    def clear(self):
        self.queued.delete()
        self.done_log.delete()


class DjangoTasksQueue:
    def __init__(self):
        from django_tasks_db.models import DBTaskResult

        self.results = DBTaskResult.objects.filter(task_path=django_tasks.noop.module_path)

    def enqueue(self):
        return django_tasks.noop.enqueue()

    def done(self, handles):
        return self.results.filter(status="SUCCESSFUL").count() >= len(handles)

    def clear(self):
        self.results.delete()


class CeleryQueue:
    def enqueue(self):
        return celery.noop.delay()

    def done(self, handles):
        # One GET per result until it is ready (a ready result is cached); stops at the
        # first one still pending.
        return all(handle.ready() for handle in handles)

    def clear(self):
        delete_celery_keys()


ENGINE_QUEUES = {"background_task": BackgroundTaskQueue, "django_tasks": DjangoTasksQueue, "celery": CeleryQueue}

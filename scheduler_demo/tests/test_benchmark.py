"""`manage.py engine_benchmark`: one worker of an engine, timed on no-op tasks and an import."""

import io
import json

import pytest
from django.core.management import call_command

from contacts.models import UserContactsImport
from scheduler.management.commands.engine_benchmark import BackgroundTaskQueue


@pytest.mark.django_db(transaction=True)
def test_engine_benchmark_prints_one_json_object():
    """One engine here (each start costs a worker boot); tests/test_engines.py runs the
    same worker command of every engine."""
    engine = "django_tasks"
    out = io.StringIO()
    call_command("engine_benchmark", engine=engine, tasks=5, rows=300, stdout=out)
    result = json.loads(out.getvalue())
    assert (result["engine"], result["noop_tasks"], result["import_rows"]) == (engine, 5, 300)
    assert result["noop_wall_s"] > 0 and result["noop_tasks_per_s"] > 0 and result["import_rows_per_s"] > 0
    assert {"database", "cpus", "python", "django"} <= result.keys()
    assert not UserContactsImport.objects.exists()  # the benchmark user and its import are removed


@pytest.mark.django_db
def test_the_background_task_queue_of_the_benchmark_counts_the_library_log(run_tasks):
    queue = BackgroundTaskQueue()
    handles = [queue.enqueue(), queue.enqueue()]
    assert not queue.done(handles)
    assert run_tasks() == 2
    assert queue.done(handles)
    queue.clear()
    assert not queue.done(handles)

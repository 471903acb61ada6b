import pytest
from background_task.tasks import autodiscover, tasks
from rest_framework.test import APIClient

from contacts.models import UserContactsImport
from scheduler.worker import start_worker


@pytest.fixture
def alice(user_factory):
    return user_factory(username="alice")


@pytest.fixture
def client_for():
    """``client_for(user)``: an APIClient authenticated with the user's DRF token."""
    from rest_framework.authtoken.models import Token

    def make(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return client

    return make


@pytest.fixture
def alice_client(alice, client_for):
    return client_for(alice)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...``: run the on_commit callbacks (the enqueue) as a real
    commit would; a test's transaction is rolled back, so they never run by themselves."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def run_tasks():
    """Run every due task in this process, as the worker would (the library's own loop)."""

    def run(limit=100):
        autodiscover()  # what process_tasks does first: import every <app>.tasks
        ran = 0
        while ran < limit and tasks.run_next_task():
            ran += 1
        return ran

    return run


@pytest.fixture
def make_import():
    def make(user, rows, source="phone"):
        return UserContactsImport.objects.create(user=user, source=source, rows=rows, total=len(rows))

    return make


@pytest.fixture
def corrupted_import():
    """An import record whose rows are not a list: run_import raises TypeError, every time."""

    def make(user):
        return UserContactsImport.objects.create(user=user, rows=42, total=1)

    return make


@pytest.fixture
def worker(tmp_path):
    """``worker(*args, env=...)`` starts ``manage.py process_tasks`` in a child process
    on the test database; every worker still running is killed after the test."""
    started = []

    def start(*args, env=None):
        log = open(tmp_path / f"worker-{len(started)}.log", "w+")  # noqa: SIM115 - closed below
        process = start_worker(*args, env=env, output=log)
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()

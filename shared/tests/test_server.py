import json
import socket
import subprocess
import sys
import urllib.request

import pytest

from demo_harness import serve_demo, server
from demo_harness.server import PortTaken, wait_for_port
from demos import DEMOS


def test_serve_demo_migrates_and_serves_on_loopback_then_stops():
    demo = DEMOS[0]
    with serve_demo(demo.path, superuser=("admin", "a long admin passphrase")) as served:
        assert served.url.startswith("http://127.0.0.1:")
        # The first request builds the schema: slow on a busy machine, hence the minute.
        with urllib.request.urlopen(served.url + "/api/schema/?format=json", timeout=60) as response:
            assert response.status == 200
            assert "paths" in json.loads(response.read())
        count = served.manage("shell", "-c", "from django.contrib.auth.models import User; print(User.objects.count())")
        assert count.stdout.strip().splitlines()[-1] == "1"
        url = served.url
    try:
        urllib.request.urlopen(url + "/api/schema/", timeout=2)
        raise AssertionError("the server still answers after the block")
    except OSError:
        pass


def test_a_template_database_is_named_by_everything_that_changes_what_migrate_writes(tmp_path):
    """Kept between runs (``migrated_template``), so its name must change with the code,
    the environment and the interpreter, and not with tests or per-run secrets."""
    from demo_harness.server import template_name

    demo = tmp_path / "some_demo"
    (demo / "app" / "migrations").mkdir(parents=True)
    (demo / "tests").mkdir()
    migration = demo / "app" / "migrations" / "0001_initial.py"
    migration.write_text("operations = []\n")
    receivers = demo / "app" / "receivers.py"
    receivers.write_text("# runs on post_migrate\n")
    env = {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "one"}
    name = template_name(demo, env)
    assert name.startswith("some_demo-") and name == template_name(demo, env)

    (demo / "tests" / "test_app.py").write_text("def test(): pass\n")
    assert template_name(demo, {**env, "DJANGO_SECRET_KEY": "another"}) == name  # tests, secrets: same
    per_run = {"DJANGO_STATIC_ROOT": str(tmp_path / "static"), "GUNICORN_CMD_ARGS": "--threads 8"}
    assert template_name(demo, {**env, **per_run}) == name  # a test's folder, the server's options: same

    assert template_name(demo, {**env, "REDIS_URL": "redis://127.0.0.1:6379/0"}) != name
    receivers.write_text("# runs on post_migrate, now creating a row\n")
    edited = template_name(demo, env)
    assert edited != name
    migration.write_text("operations = ['changed']\n")
    assert template_name(demo, env) not in (name, edited)


def test_a_port_taken_by_another_server_is_never_mistaken_for_ours(monkeypatch):
    """free_port() says only that a port was free a moment ago. A suite beside this one
    once started its server there first, and scheduler_demo's schema test read
    auditlog_demo's schema: a connection alone proved nothing. The listening socket must
    be our process's; otherwise serve_demo moves to another port."""
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", 0))
    squatter.listen()
    taken = squatter.getsockname()[1]
    ports = iter([taken])
    real_free_port = server.free_port
    monkeypatch.setattr(server, "free_port", lambda: next(ports, None) or real_free_port())
    try:
        with serve_demo(DEMOS[0].path, server="runserver") as served:
            assert served.url != f"http://127.0.0.1:{taken}"
            with urllib.request.urlopen(served.url + "/api/schema/?format=json", timeout=60) as response:
                assert response.status == 200
    finally:
        squatter.close()


def test_waiting_for_a_port_that_another_process_holds_raises_port_taken():
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        try:
            with pytest.raises(PortTaken):
                wait_for_port(squatter.getsockname()[1], sleeper, timeout=5)
        finally:
            sleeper.kill()
            sleeper.wait()

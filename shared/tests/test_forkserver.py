"""run_manage forks its commands from a warm interpreter (forkserver.py): each command must
still behave as ``python manage.py ...`` started anew does. Every test runs a small script
both ways, forked and as a new interpreter (DEMO_HARNESS_FORK=0), and compares."""

import json
import os
import subprocess
import sys
import textwrap
import threading

import pytest

from demo_harness import forkserver, run_manage

pytestmark = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="no fork server on this platform")


@pytest.fixture(autouse=True)
def forked(monkeypatch):
    """As in a demo's suite (the plugin's default there); these repo checks are not one."""
    monkeypatch.setenv(forkserver.SWITCH, "1")


REPORT = """
import json, os, sys
report = {
    "parent": os.getppid(),
    "cwd": os.getcwd(),
    "argv": sys.argv[1:],
    "path0": sys.path[0],
    "color": os.environ.get("COLOR"),
    "settings_module": os.environ.get("DJANGO_SETTINGS_MODULE"),
    "own_modules": sorted(name for name in sys.modules if name.startswith("fake_app")),
    "django_configured": "django.conf" in sys.modules and sys.modules["django.conf"].settings.configured,
}
print(json.dumps(report))
"""


def make_demo(folder, script):
    folder.mkdir(exist_ok=True)
    (folder / "manage.py").write_text(textwrap.dedent(script))
    (folder / "fake_app.py").write_text("VALUE = 1\n")
    return folder


def both_ways(monkeypatch, folder, *args, **kwargs):
    """(forked, new interpreter): run_manage's results either way."""
    forked = run_manage(folder, *args, **kwargs)
    with monkeypatch.context() as plain:
        plain.setenv(forkserver.SWITCH, "0")
        started = run_manage(folder, *args, **kwargs)
    return forked, started


def test_a_forked_command_sees_its_own_folder_arguments_and_environment(monkeypatch, tmp_path):
    demo = make_demo(tmp_path / "demo", REPORT)
    forked, started = both_ways(monkeypatch, demo, "check", "--deploy", env={"COLOR": "green"})
    forked_report, started_report = json.loads(forked.stdout), json.loads(started.stdout)
    # Forked: its parent is the fork server's supervisor, not this test process.
    assert forked_report.pop("parent") != os.getpid()
    assert started_report.pop("parent") == os.getpid()
    assert forked_report == started_report
    assert forked_report["argv"] == ["check", "--deploy"]
    assert forked_report["cwd"] == str(demo.resolve())
    assert forked_report["color"] == "green"
    # Nothing of the demo's own code, and no Django settings, come from the server.
    assert forked_report["own_modules"] == []
    assert forked_report["django_configured"] is False
    assert (forked.returncode, forked.stderr) == (started.returncode, started.stderr) == (0, "")


def test_an_exit_code_an_exception_and_stderr_are_reported_as_a_new_interpreter_reports_them(monkeypatch, tmp_path):
    demo = make_demo(
        tmp_path / "demo",
        """
        import sys
        print("to stdout"); print("to stderr", file=sys.stderr)
        if sys.argv[1] == "exit":
            sys.exit(3)
        raise ValueError("refused: the line names the field")
        """,
    )
    for forked, started in (both_ways(monkeypatch, demo, "exit"), both_ways(monkeypatch, demo, "raise")):
        assert forked.returncode == started.returncode
        assert forked.stdout == started.stdout == "to stdout\n"
        assert forked.stderr.startswith("to stderr\n")
        assert forked.stderr.splitlines()[-1] == started.stderr.splitlines()[-1]
    assert forked.returncode == 1
    assert forked.stderr.splitlines()[-1] == "ValueError: refused: the line names the field"


def test_a_command_ends_as_python_ends_threads_joined_atexit_run_children_waited_for(monkeypatch, tmp_path):
    demo = make_demo(
        tmp_path / "demo",
        """
        import atexit, subprocess, sys, threading, time
        atexit.register(print, "atexit ran")
        threading.Thread(target=lambda: (time.sleep(0.3), print("thread finished"))).start()
        # A child of the command: its exit status is the command's to collect (SIGCHLD default).
        print("child exit", subprocess.run([sys.executable, "-c", "raise SystemExit(4)"]).returncode)
        """,
    )
    forked, started = both_ways(monkeypatch, demo)
    assert forked.stdout == started.stdout == "child exit 4\nthread finished\natexit ran\n"
    assert forked.returncode == started.returncode == 0


def test_pythonpath_and_the_settings_module_of_the_command_are_its_own(monkeypatch, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "extra_settings.py").write_text("NAME = 'from PYTHONPATH'\n")
    demo = make_demo(tmp_path / "demo", "import extra_settings, os, sys\nprint(extra_settings.NAME, sys.path[1])\n")
    forked, started = both_ways(monkeypatch, demo, env={"PYTHONPATH": str(extra)})
    assert forked.stdout == started.stdout == f"from PYTHONPATH {extra}\n"


def test_a_rewritten_script_runs_its_new_code(tmp_path):
    """The server never imports the demo's code: an exercise's edit counts at the next run."""
    demo = make_demo(tmp_path / "demo", "import fake_app; print(fake_app.VALUE)\n")
    assert run_manage(demo).stdout == "1\n"
    # Another size: a same-size rewrite within the second fools the bytecode cache itself,
    # a new interpreter too (demos/exercises.py, write_source, deals with that).
    (demo / "fake_app.py").write_text("VALUE = 22\n")
    assert run_manage(demo).stdout == "22\n"


def test_a_command_past_its_timeout_is_killed_and_reported_as_subprocess_reports_it(monkeypatch, tmp_path):
    demo = make_demo(tmp_path / "demo", "import time; print('started', flush=True); time.sleep(60)\n")
    with pytest.raises(subprocess.TimeoutExpired) as timed_out:
        run_manage(demo, timeout=1)
    assert timed_out.value.timeout == 1
    assert timed_out.value.output == b"started\n"  # bytes, as from subprocess.run


def test_commands_run_in_parallel_from_several_threads(tmp_path):
    demo = make_demo(tmp_path / "demo", "import sys, time; time.sleep(0.5); print(sys.argv[1])\n")
    results = {}

    def run(number):
        results[number] = run_manage(demo, str(number)).stdout

    threads = [threading.Thread(target=run, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {number: f"{number}\n" for number in range(6)}


def test_an_environment_the_interpreter_reads_at_start_up_gets_a_new_interpreter(tmp_path):
    """A fork cannot change what an interpreter read while it started (PYTHONHASHSEED here)."""
    demo = make_demo(tmp_path / "demo", "import os, sys; print(os.getppid(), sys.flags.hash_randomization)\n")
    assert not forkserver.can_fork([sys.executable, "manage.py"], {**os.environ, "PYTHONHASHSEED": "0"})
    parent, hash_randomization = run_manage(demo, env={"PYTHONHASHSEED": "0"}).stdout.split()
    assert (int(parent), hash_randomization) == (os.getpid(), "0")


def test_the_server_preloads_without_configuring_django_settings():
    """A module in PRELOAD that read settings at import would configure Django in the server
    (its assertion) and hand every command settings it did not ask for."""
    preloaded = subprocess.run(
        [sys.executable, "-c", "import demo_harness.forkserver as f; f.preload(); print('ok')"],
        env={name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert preloaded.stdout == "ok\n", preloaded.stderr


def test_a_forked_server_is_watched_and_stopped_as_a_popen_is(tmp_path):
    """serve_demo's servers: output in the log while they run (PYTHONUNBUFFERED), poll(),
    terminate(), wait() and the exit status a signal leaves, as subprocess.Popen gives them."""
    demo = make_demo(tmp_path / "demo", "import sys, time\nprint('listening', sys.argv[1])\ntime.sleep(60)\n")
    command = [sys.executable, "manage.py", "8000"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    forked_log, started_log = tmp_path / "forked.log", tmp_path / "started.log"
    with open(started_log, "wb") as log:
        started = subprocess.Popen(command, cwd=demo, env=env, stdout=log, stderr=subprocess.STDOUT)
    forked = forkserver.start(command, cwd=demo, env=env, log=forked_log)
    for process, log in ((forked, forked_log), (started, started_log)):
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=1)
        assert process.poll() is None
        assert log.read_text() == "listening 8000\n"  # while it runs
        process.terminate()
        assert process.wait(timeout=10) == -15
        assert process.poll() == -15


def test_the_cpu_time_of_forked_commands_counts_as_the_test_processs_children(tmp_path):
    """`time` and `nox -s bench` read a suite's CPU from getrusage: the server is waited for
    when the test process exits, and it waits for each command, so none of it goes missing."""
    demo = make_demo(
        tmp_path / "demo", "import time\nend = time.process_time() + 1\nwhile time.process_time() < end: pass\n"
    )
    test_process = subprocess.Popen(
        [sys.executable, "-c", f"import demo_harness; demo_harness.run_manage({str(demo)!r})"]
    )
    _, status, usage = os.wait4(test_process.pid, 0)
    test_process.returncode = os.waitstatus_to_exitcode(status)
    assert test_process.returncode == 0
    assert usage.ru_utime + usage.ru_stime >= 1.0

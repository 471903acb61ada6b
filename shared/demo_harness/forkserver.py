"""Start the Django processes of a demo's suite from a warm interpreter: a fork of a
process that has imported Django and DRF already (Linux). ``run_manage`` uses it for
``manage.py`` commands, ``serve_demo`` for its servers.

Why: a new Django process spends most of its start-up importing the framework. ``manage.py
check`` took 0.95 s of CPU as a new interpreter and 0.14 s forked from this server, a
gunicorn master 0.7 s and 0.2 s, and a suite starts dozens of them. Whole suites, alone,
without coverage, forked and not (``DEMO_HARNESS_FORK=0``): tokenauth_demo 24.6 and 31.4 s
of CPU, scheduler_demo 47 and 57 s, jwt_demo 44.7 and 48.6 s; the rest is real work.

What a process shares with the server is only what the server imported with no Django
settings at all: it runs without DJANGO_SETTINGS_MODULE, so a module that reads settings
at import fails there and is imported by the process, under its own settings. The demo's
own code is never imported here (an exercise rewrites it between two runs). Everything
else is the process's own: its environment, working directory, ``sys.path`` (PYTHONPATH
included), standard streams, settings, database connections and caches. It ends as a
Python process ends (threads joined, ``atexit`` run); its exit code, output and timeout are
reported as ``subprocess.run`` and ``Popen`` report them, and its CPU time counts as the
test process's children's (the server waits for each; the test process for the server).

Only inside a demo's suite: the plugin sets ``DEMO_HARNESS_FORK=1`` there. The bench and
the black-box sessions (``shared/security``, fuzz, e2e) start their servers as an operator
does, and ``DEMO_HARNESS_FORK=0`` does so in a suite too (to compare, or to rule the fork
out). A process whose environment changes what an interpreter reads at start-up (a
PYTHON* or COVERAGE_* variable, the locale) is always started as a new interpreter.

The server is started by the first process it is asked for, and ends with the test process.
"""

import atexit
import contextlib
import importlib
import io
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

# Imported once, in the server. A module here that needs settings fails and is skipped.
PRELOAD = (
    "django.core.management",
    "django.core.checks",
    "django.core.handlers.wsgi",
    "django.db.models",
    "django.db.migrations",
    "django.db.backends.sqlite3.base",
    "django.db.backends.postgresql.base",
    "django.http",
    "django.urls",
    "django.forms",
    "django.template",
    "django.test",
    "rest_framework.serializers",
    "phonenumbers",
)
# What an interpreter reads from the environment while it starts, before any code runs;
# a fork applies these three itself (run_command).
APPLIED_AT_FORK = {"PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"}


def read_at_startup(env):
    return {
        name: value
        for name, value in env.items()
        if name not in APPLIED_AT_FORK
        and (name.startswith(("PYTHON", "COVERAGE_", "LC_")) or name in ("LANG", "LANGUAGE"))
    }


# --- the client side: the test process's ---

SWITCH = "DEMO_HARNESS_FORK"  # "1": fork (the plugin's default in a demo's suite)

_lock = threading.Lock()
_server = {}  # "pid" (of the test process that started it), "process", "address"


def can_fork(command, env):
    """True when ``command`` (``[sys.executable, SCRIPT, ...]`` or ``[sys.executable, "-m",
    MODULE, ...]``) with this environment may come from the fork server."""
    if not hasattr(os, "pidfd_open") or os.environ.get(SWITCH) != "1":
        return False
    runs_python = command[0] == sys.executable and (command[1] == "-m" or command[1].endswith(".py"))
    return runs_python and read_at_startup(env) == read_at_startup(os.environ)


def run(command, *, cwd, env, timeout):
    """``subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
    timeout=timeout)``, forked."""
    with tempfile.TemporaryDirectory(prefix="demo-harness-fork-") as tmp:
        stdout, stderr = Path(tmp) / "stdout", Path(tmp) / "stderr"
        stdout.touch()
        stderr.touch()
        with send(command, cwd=cwd, env=env, stdout=stdout, stderr=stderr, timeout=timeout) as connection:
            connection.reply()  # first its pid
            ended = connection.reply()
        output, errors = stdout.read_bytes(), stderr.read_bytes()
    if ended["timed_out"]:  # bytes, as subprocess.run's (its documentation says so)
        raise subprocess.TimeoutExpired(command, timeout, output=output, stderr=errors)
    return subprocess.CompletedProcess(command, ended["returncode"], output.decode(), errors.decode())


def start(command, *, cwd, env, log):
    """``subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)``
    for a server, forked: its output goes to the file ``log``."""
    connection = send(command, cwd=cwd, env=env, stdout=log, stderr=log, timeout=None)
    return ForkedProcess(connection)


class ForkedProcess:
    """What serve_demo uses of a Popen (pid, poll, wait, terminate, kill, returncode), for a
    forked command. Signals go straight to its pid; its exit status comes from its supervisor."""

    def __init__(self, connection):
        self._connection = connection
        self.pid = connection.reply()["pid"]
        self.returncode = None

    def poll(self):
        try:
            return self.wait(timeout=0)
        except subprocess.TimeoutExpired:
            return None

    def wait(self, timeout=None):
        if self.returncode is None:
            self.returncode = self._connection.reply(timeout=timeout, command=self.pid)["returncode"]
            self._connection.close()
        return self.returncode

    def send_signal(self, number):
        if self.poll() is None:  # never a signal to a pid that may have been reused
            os.kill(self.pid, number)

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


class Connection:
    """One request to the fork server and its replies, a JSON object per line."""

    def __init__(self, sock):
        self._sock = sock
        self._received = b""

    def reply(self, timeout=None, command=None):
        while b"\n" not in self._received:
            if not select.select([self._sock], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(command, timeout)
            chunk = self._sock.recv(65536)
            if not chunk:
                raise RuntimeError("the fork server ended before the command did")
            self._received += chunk
        line, self._received = self._received.split(b"\n", 1)
        return json.loads(line)

    def close(self):
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def send(command, *, cwd, env, stdout, stderr, timeout):
    request = {
        "argv": [*command[1:]],
        "cwd": str(Path(cwd).resolve()),
        "env": dict(env),
        "stdout": str(stdout),
        "stderr": str(stderr),
        "timeout": timeout,
    }
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(server_address())
    sock.sendall(json.dumps(request).encode() + b"\n")
    return Connection(sock)


def server_address():
    """The running server's socket, started first by this process if need be."""
    with _lock:
        if _server.get("pid") != os.getpid() or _server["process"].poll() is not None:
            _server.update(start_server())
        return _server["address"]


def start_server():
    folder = tempfile.mkdtemp(prefix="demo-harness-forkserver-")
    address = str(Path(folder) / "socket")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)  # connections queue here while the server is still importing
    # The server runs while this process holds the pipe's other end open: closed at exit,
    # or by the kernel when this process dies, whichever comes first.
    lifeline, held_open = os.pipe()
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-c",
            f"from demo_harness import forkserver; forkserver.main({listener.fileno()}, {lifeline})",
        ],
        pass_fds=[listener.fileno(), lifeline],
        env=env,
        cwd="/",
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    listener.close()
    os.close(lifeline)
    atexit.register(stop_server, process, held_open, folder)
    return {"pid": os.getpid(), "process": process, "address": address}


def stop_server(process, held_open, folder):
    """Waited for, so that the CPU time of every command it ran counts as this process's
    children's (``time``, getrusage): the server waits for each of its own children too."""
    os.close(held_open)
    try:
        process.wait(timeout=10)  # longer only for a server a crashed test left running
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(folder, ignore_errors=True)


# --- the server side ---

# sys.path without the server's own first entry and PYTHONPATH: a command's starts with its own.
INTERPRETER_PATH = []


def serve(listener, lifeline):
    """Accept requests until the test process that started the server closes the lifeline,
    then wait for the commands still running."""
    while lifeline not in (ready := select.select([listener, lifeline], [], [])[0]):
        if listener in ready:
            connection, _ = listener.accept()
            if os.fork() == 0:
                listener.close()
                os.close(lifeline)
                supervise(connection)  # exits
            connection.close()
        reap(os.WNOHANG)
    reap(0)


def reap(options):
    """Wait for the supervisors that have ended (every one, with ``options=0``)."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, options)[0]:
            pass


def supervise(connection):
    """In a fork of the server: run one command in a fork of its own; report its pid, then
    how it ended."""
    request = json.loads(connection.makefile("rb").readline())
    pid = os.fork()
    if pid == 0:
        connection.close()
        run_command(request)  # exits
    reply(connection, {"pid": pid})
    returncode, timed_out = wait(pid, connection, request["timeout"])
    reply(connection, {"returncode": returncode, "timed_out": timed_out})
    os._exit(0)


def reply(connection, message):
    with contextlib.suppress(OSError):  # the test process stopped waiting: wait() sees it
        connection.sendall(json.dumps(message).encode() + b"\n")


def wait(pid, connection, timeout):
    """(returncode as subprocess reports it, timed out?); a command that outlives its
    timeout, or whose caller hangs up, is killed, as subprocess.run kills it."""
    process = os.pidfd_open(pid)
    ready = select.select([process, connection], [], [], timeout)[0]
    timed_out = process not in ready
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return (-os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)), timed_out


def run_command(request):
    """Become ``python ARGV`` (a script, or ``-m MODULE``) in the request's folder and
    environment."""
    for fd, path, flags in (
        (0, os.devnull, os.O_RDONLY),
        (1, request["stdout"], os.O_WRONLY | os.O_APPEND | os.O_CREAT),
        (2, request["stderr"], os.O_WRONLY | os.O_APPEND | os.O_CREAT),
    ):
        opened = os.open(path, flags, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.dont_write_bytecode = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
    open_standard_streams(unbuffered=bool(os.environ.get("PYTHONUNBUFFERED")))
    pythonpath = [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry]
    is_module = request["argv"][0] == "-m"
    first = request["cwd"] if is_module else os.path.dirname(os.path.realpath(request["argv"][0]))
    sys.path[:] = [first, *pythonpath, *INTERPRETER_PATH]
    importlib.invalidate_caches()
    import runpy

    # Run as `python ARGV` runs: an exception or sys.exit() leaves through the top of this
    # process (nothing above catches it), so the interpreter ends the command as its own.
    if is_module:
        sys.argv = [request["argv"][1], *request["argv"][2:]]  # run_module puts its file first
        runpy.run_module(request["argv"][1], run_name="__main__", alter_sys=True)
    else:
        script = os.path.abspath(request["argv"][0])
        sys.argv = [script, *request["argv"][1:]]
        runpy.run_path(script, run_name="__main__")
    sys.exit(0)


def open_standard_streams(*, unbuffered):
    """stdout and stderr on files as an interpreter opens them at start-up: buffered (stderr
    by line), or with PYTHONUNBUFFERED every write in the file at once (a server's log)."""
    encoding, errors = sys.stdout.encoding, sys.stdout.errors

    def stream(fd, **options):
        raw = io.FileIO(fd, "w", closefd=False)
        return io.TextIOWrapper(raw if unbuffered else io.BufferedWriter(raw), encoding, **options)

    sys.stdout = sys.__stdout__ = stream(1, errors=errors, write_through=unbuffered)
    sys.stderr = sys.__stderr__ = stream(2, errors="backslashreplace", line_buffering=not unbuffered)


def preload():
    for module in PRELOAD:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001, S112 (not installed here, or needs settings: the command imports it)
            continue
    from django.conf import settings

    assert not settings.configured, "a preloaded module configured Django settings"
    sys.stdout.flush()  # or a fork would write what is left in the buffer to its own output
    sys.stderr.flush()


def main(listener, lifeline):
    """The server: ``listener`` and ``lifeline`` are the file descriptors start_server passed."""
    own_pythonpath = {entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry}
    INTERPRETER_PATH[:] = [entry for entry in sys.path[1:] if entry not in own_pythonpath]
    preload()
    serve(socket.socket(fileno=listener), lifeline)

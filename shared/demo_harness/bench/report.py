"""nox -s bench: run every probe, then write results.json, results.md and costs.png.

    python -m demo_harness.bench.report [--quick] [--out DIR]

Each probe runs in a child process inside its demo (one Django project per process) on
a fresh SQLite file. The full run writes to docs/costs/ (the docs page includes it);
--quick is a smoke run written to bench-results/quick/.
"""

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

from ..manage import run_manage
from ..services import postgres_reachable, redis_url, scratch_postgres_database, tcp_reachable
from . import probe_http, suites

REPO_ROOT = Path(__file__).resolve().parents[3]


def repo_root():
    """The checkout holding the demos: the installed harness may live in a venv."""
    for candidate in (Path.cwd(), *Path.cwd().parents, REPO_ROOT):
        if (candidate / "demos" / "catalog.py").is_file():
            return candidate
    raise SystemExit("run from the repository (demos/catalog.py not found)")


def run_probe(root, demo, module, quick, env=None):
    with tempfile.TemporaryDirectory() as tmp:
        full_env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", **(env or {})}
        full_env.pop("DJANGO_ENV", None)
        args = [sys.executable, "-m", f"demo_harness.bench.{module}", *(["--quick"] if quick else [])]
        done = subprocess.run(args, cwd=root / demo, env=full_env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{module} in {demo} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def engine_benchmarks(root, quick, redis):
    """scheduler_demo's engine_benchmark: one worker per engine, N no-ops and one import."""
    tasks, rows = (50, 1000) if quick else (500, 10_000)
    engines = ["background_task", "django_tasks"] + (["celery"] if redis else [])
    databases = ["sqlite"] + ([] if quick or not postgres_reachable() else ["postgresql"])
    results = []
    for database in databases:
        for engine in engines:
            with tempfile.TemporaryDirectory() as tmp:
                scratch = (
                    scratch_postgres_database(f"bench_{engine}")
                    if database == "postgresql"
                    else nullcontext(f"sqlite:///{Path(tmp) / 'engine.sqlite3'}")
                )
                with scratch as database_url:
                    env = {"DATABASE_URL": database_url, "DATABASE_CONN_MAX_AGE": "60", "REDIS_URL": redis_url()}
                    done = run_manage(
                        root / "scheduler_demo",
                        "engine_benchmark",
                        f"--engine={engine}",
                        f"--tasks={tasks}",
                        f"--rows={rows}",
                        env=env,
                        timeout=900,
                    )
            if done.returncode:
                raise SystemExit(f"engine_benchmark --engine={engine} on {database} failed:\n{done.stderr}")
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def machine():
    import django

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown CPU",
    )
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"SQLite {sqlite3.sqlite_version} (a fresh file per probe)",
        "load_average": os.getloadavg()[0],
    }


def wait_for_a_quiet_machine(below=0.5, at_most_s=180):
    """The timed test runs just before leave every core busy for minutes, and the 1-minute
    load average says so: the probes start once it has settled (or after ``at_most_s``)."""
    deadline = time.monotonic() + at_most_s
    while os.getloadavg()[0] >= below and time.monotonic() < deadline:
        time.sleep(5)


def collect(root, quick):
    per_round, rounds = (100, 3) if quick else (500, 7)
    if not quick:
        wait_for_a_quiet_machine()
    redis = tcp_reachable(redis_url(), 6379)
    persistent = {"DATABASE_CONN_MAX_AGE": "60"}  # as production runs: no new connection per request
    results = {"machine": machine(), "quick": quick}
    results["signals"] = run_probe(root, "signals_demo", "probe_signals", quick)
    results["auth_in_process"] = {
        demo: run_probe(root, demo, "probe_auth", quick) for demo in ("jwt_demo", "tokenauth_demo")
    }
    if redis:
        results["auth_in_process"]["jwt_demo (Redis cache)"] = run_probe(
            root, "jwt_demo", "probe_auth", quick, env={"REDIS_URL": redis_url()}
        )
    http_env = {**persistent, **({"REDIS_URL": redis_url()} if redis else {})}
    results["auth_http"] = {
        demo: probe_http.measure(root / demo, per_round, rounds, env=http_env)
        for demo in ("jwt_demo", "tokenauth_demo")
    }
    results["audit"] = run_probe(root, "auditlog_demo", "probe_audit", quick)
    results["engines"] = engine_benchmarks(root, quick, redis)
    # The suites take minutes: a quick smoke run leaves them out.
    demos = [path.name for path in sorted(root.glob("*_demo")) if (path / "tests").is_dir()]
    results["suites"] = {} if quick else suites.measure(root, demos)
    load = root / "bench-results" / "security-load.json"  # written by `pytest shared/security -m load`
    results["load"] = json.loads(load.read_text()) if load.is_file() else {}
    chat_load = root / "bench-results" / "chat-load.json"  # shared/security/test_chat_load.py
    results["chat_load"] = json.loads(chat_load.read_text()) if chat_load.is_file() else {}
    test_run = root / "bench-results" / "test-run.json"  # written by the noxfile's bench session
    results["test_run"] = json.loads(test_run.read_text()) if test_run.is_file() and not quick else {}
    checks = root / "bench-results" / "exercise-checks.json"  # likewise
    results["exercise_checks"] = json.loads(checks.read_text()) if checks.is_file() and not quick else {}
    return results


def targets(results):
    jwt_http = results["auth_http"]["jwt_demo"]
    jwt_best = max(
        (name for name in jwt_http if name.startswith("SimpleJWT")), key=lambda name: jwt_http[name]["ratio"]
    )
    in_process = results["auth_in_process"].get("jwt_demo (Redis cache)") or results["auth_in_process"]["jwt_demo"]
    check, plain = in_process["reads"]["SimpleJWT + revocation check"], in_process["reads"]["SimpleJWT"]
    hits = results["audit"]["hits"]
    logger_queries = hits["hit logger on"]["queries"] - hits["hit logger off"]["queries"]
    return suite_targets(results.get("suites") or {}, results.get("test_run") or {}) + [
        exercise_check_target(results.get("exercise_checks") or {}),
        (
            "JWT-authenticated reads ≥ 0.9× the unauthenticated baseline (HTTP)",
            f"{jwt_best}: {jwt_http[jwt_best]['ratio']:.2f}×",
            jwt_http[jwt_best]["ratio"] >= 0.9,
        ),
        (
            "JWT + revocation check ≥ 0.85× the baseline (HTTP)",
            f"{jwt_http['SimpleJWT + revocation check']['ratio']:.2f}×",
            jwt_http["SimpleJWT + revocation check"]["ratio"] >= 0.85,
        ),
        (
            # With Redis (measured when it answers): the mirror answers, a subscription says when to sync.
            "revocation check: 0 database queries per request",
            f"{check['queries']} queries, {check['cache_reads']} cache lookups per request "
            f"(SimpleJWT's own: {plain['queries']} query; {in_process['cache']})",
            check["queries"] == 0,
        ),
        ("API hit logger: ≤ 1 insert per request", f"{logger_queries} extra query", logger_queries <= 1),
        (
            "audited endpoint (PATCH a note) keeps ≥ 85% throughput with the hit logger",
            f"{hits['hit logger on']['ratio']:.0%}",
            hits["hit logger on"]["ratio"] >= 0.85,
        ),
    ]


def suite_targets(measured, test_run):
    """The test suites' targets: each suite alone (no coverage), and the warm `nox -r -s
    tests` as a whole (coverage, suites in parallel), when the bench session timed it."""
    if not measured:
        return [("test suites (not measured in a quick run)", "-", False)]
    slowest = max(measured, key=lambda demo: measured[demo]["wall_s"])
    slowest_s = measured[slowest]["wall_s"]
    green = all(suite["green"] for suite in measured.values())
    rows = [
        ("every demo's suite green", ", ".join(s["summary"] for s in measured.values())[:200], green),
        ("one demo's suite ≤ 15 s (wall)", f"slowest: {slowest}, {measured[slowest]['wall_s']} s", slowest_s <= 15),
    ]
    if not test_run:
        return [*rows, ("warm `nox -r -s tests` (not timed: run `nox -s bench`)", "-", False)]
    wall, cpu = test_run["wall_s"], test_run["cpu_s"]
    return [
        *rows,
        (f"warm `nox -r -s tests`: ≤ 60 s wall on {test_run['cores']} cores", f"{wall:.0f} s", wall <= 60),
        ("warm `nox -r -s tests`: ≤ 100 s CPU", f"{cpu:.0f} s", cpu <= 100),
    ]


def exercise_check_target(seconds):
    if not seconds:
        return ("`nox -s exercise -- check DEMO N` ≤ 10 s (not timed: run `nox -s bench`)", "-", False)
    slowest = max(seconds, key=seconds.get)
    return (
        "`nox -s exercise -- check DEMO N` ≤ 10 s",
        f"{len(seconds)} exercises, slowest {slowest}: {seconds[slowest]} s",
        seconds[slowest] <= 10,
    )


def suites_markdown(measured):
    if not measured:
        return []
    rows = [(demo, m["wall_s"], m["cpu_s"], m["summary"]) for demo, m in measured.items()]
    return [
        "### Test suites (one after another, warm, without coverage)",
        "",
        table(["Demo", "wall s", "CPU s", "pytest says"], rows),
        "",
    ]


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(results):
    m = results["machine"]
    out = [
        f"Measured {m['date']} on {m['cpus']} CPUs ({m['cpu']}), Python {m['python']}, Django {m['django']}, "
        f"{m['database']}; load average at the start {m['load_average']:.2f}."
        + (" **Quick smoke run: too short to quote.**" if results["quick"] else ""),
        "",
        "### Targets",
        "",
        table(["Target", "Measured", "Holds"], [(t, v, "yes" if ok else "**no**") for t, v, ok in targets(results)]),
        "",
        *suites_markdown(results.get("suites") or {}),
        "### Signals (signals_demo)",
        "",
        table(
            ["Model save", "saves/s", "× no receiver", "queries"],
            [
                (name, v["ops_per_s"], f"{v['ratio']:.2f}", v["queries"])
                for name, v in results["signals"]["save"].items()
            ],
        ),
        "",
    ]
    bulk = results["signals"]["bulk"]
    out += [
        table(
            [f"{bulk['rows']} rows", "seconds", "queries"],
            [
                ("save() each", bulk["save_each"]["seconds"], bulk["save_each"]["queries"]),
                ("bulk_create()", bulk["bulk_create"]["seconds"], bulk["bulk_create"]["queries"]),
            ],
        ),
        "",
        f"`bulk_create` is {bulk['speedup']}× faster here, and sends no save signals. "
        f"`Signal.send` costs about {results['signals']['send_us_per_receiver']} µs per connected receiver.",
        "",
        "### One authenticated read request",
        "",
        "In-process (Django's test client through the full middleware stack; the same tiny view, "
        "only the authentication class differs):",
        "",
    ]
    rows = []
    for demo, probe in results["auth_in_process"].items():
        for name, v in probe["reads"].items():
            rows.append((demo, name, v["ops_per_s"], f"{v['ratio']:.2f}", v["queries"], v.get("cache_reads", "-")))
    out += [table(["Demo", "Authentication", "req/s", "× no auth", "queries", "cache reads"], rows), ""]
    out += ["Over HTTP (gunicorn, 2 workers, persistent database connections, 16 client threads on loopback):", ""]
    rows = []
    for demo, variants in results["auth_http"].items():
        for name, v in variants.items():
            rows.append((demo, name, v["requests_per_s"], f"{v['ratio']:.2f}", v["p50_ms"], v["p99_ms"], v["errors"]))
    out += [table(["Demo", "Authentication", "req/s", "× no auth", "p50 ms", "p99 ms", "errors"], rows), ""]
    out += ["### Logging in", ""]
    rows = [
        (
            demo,
            probe["login"]["hasher"],
            probe["login"]["authenticate_per_s"],
            f"{probe['login']['share_in_hasher']:.0%}",
        )
        for demo, probe in results["auth_in_process"].items()
    ]
    out += [table(["Demo", "Password hasher", "logins/s", "share of a login spent hashing"], rows), ""]
    audit = results["audit"]
    out += [
        "### Auditing (auditlog_demo)",
        "",
        table(
            ["Measurement", "ops/s", "× baseline", "queries"],
            [
                (name, v["ops_per_s"], f"{v['ratio']:.2f}", v["queries"])
                for part in ("save", "hits")
                for name, v in audit[part].items()
            ],
        ),
        "",
    ]
    out += ["### Background tasks: one worker per engine (scheduler_demo)", "", engines_markdown(results), ""]
    if results["load"]:
        out += [
            "### Load: each demo's main authenticated read",
            "",
            "Production settings, gunicorn with 2 sync workers, SQLite; 2,000 requests at concurrency 16 "
            "from the same machine (`shared/security/test_load.py`).",
            "",
            table(
                ["Demo", "Endpoint", "requests", "errors", "req/s", "p50 ms", "p99 ms"],
                [
                    (
                        demo,
                        r["endpoint"],
                        r["requests"],
                        r["errors"],
                        r["requests_per_second"],
                        r["p50_ms"],
                        r["p99_ms"],
                    )
                    for demo, r in sorted(results["load"].items())
                ],
            ),
            "",
        ]
    if results.get("chat_load"):
        out += chat_load_markdown(results["chat_load"])
    return "\n".join(out)


def chat_load_markdown(chat):
    return [
        "### Load: one chat room (chat_demo)",
        "",
        f"{chat['server']}; {chat['clients']} WebSocket clients in one room on the same machine, one of "
        f"them sending {chat['messages']} messages {chat['pause_ms']} ms apart (`shared/security/test_chat_load.py`). "
        "Each client must receive every message, once and in order; the latency runs from the send to the receipt.",
        "",
        table(
            ["Clients", "Messages", "Deliveries", "p50 ms", "p99 ms"],
            [(chat["clients"], chat["messages"], chat["delivered"], chat["p50_ms"], chat["p99_ms"])],
        ),
        "",
    ]


def engines_markdown(results):
    """The engines table alone: docs/choosing/tasks.md includes it too."""
    rows = [
        (
            e["engine"],
            e["database"],
            e["noop_tasks"],
            e["noop_tasks_per_s"],
            e["noop_wall_s"],
            e["import_rows"],
            e["import_rows_per_s"],
            e["import_wall_s"],
        )
        for e in results["engines"]
    ]
    header = ["Engine", "Database", "no-op tasks", "tasks/s", "wall s", "import rows", "rows/s", "wall s"]
    m = results["machine"]
    return (
        f"One worker process per engine, from the first enqueue to the last task done, with persistent "
        f"database connections (`CONN_MAX_AGE=60`); Celery uses Redis as broker and result backend. "
        f"Measured {m['date']} on {m['cpus']} CPUs, Python {m['python']}, Django {m['django']}.\n\n"
        + table(header, rows)
    )


def chart(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bars = [(f"save, {name}", v["ratio"]) for name, v in results["signals"]["save"].items()]
    bars += [(f"HTTP read, {name}", v["ratio"]) for name, v in results["auth_http"]["jwt_demo"].items()]
    bars += [("HTTP read, DRF Token", results["auth_http"]["tokenauth_demo"]["DRF Token"]["ratio"])]
    bars += [(name, v["ratio"]) for part in ("save", "hits") for name, v in results["audit"][part].items()]
    labels, values = zip(*reversed(bars), strict=True)
    figure, axis = plt.subplots(figsize=(8, 0.35 * len(bars) + 1.2))
    axis.barh(labels, values, color="#4c72b0")
    axis.axvline(1.0, color="black", linewidth=0.8)
    axis.axvline(0.9, color="#c44e52", linewidth=0.8, linestyle="--", label="0.9× target")
    axis.set_xlabel("throughput relative to its baseline in the same run (1.0 = no cost)")
    axis.set_title("What each concept costs")
    axis.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short smoke run (not for publishing)")
    parser.add_argument("--out", type=Path, help="where to write (default: docs/costs or bench-results/quick)")
    args = parser.parse_args(argv)
    root = repo_root()
    out = args.out or (root / ("bench-results/quick" if args.quick else "docs/costs"))
    out.mkdir(parents=True, exist_ok=True)
    results = collect(root, args.quick)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "results.md").write_text(markdown(results) + "\n")
    (out / "engines.md").write_text(engines_markdown(results) + "\n")
    chart(results, out / "costs.png")
    print(markdown(results))
    print(f"\nwritten: {out / 'results.md'}, {out / 'results.json'}, {out / 'costs.png'}")


if __name__ == "__main__":
    main()

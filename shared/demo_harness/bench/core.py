"""Measuring tools shared by the probes.

Absolute times on a shared 2-core machine are noise; ratios against a baseline measured
in the *same* process, in short alternating rounds, are not. Every probe therefore
reports ops/s per variant, the median of per-round ratios to its baseline, and exact
query counts.
"""

import json
import os
import statistics
import sys
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path


def setup_django():
    """Configure the demo in the current directory (python -m ... run with cwd=<demo>)."""
    sys.path.insert(0, str(Path.cwd()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.conf import settings

    # Measure as production runs: with DEBUG on, Django also logs every query it runs.
    # (count_queries still counts: its capture turns query logging on for itself.)
    settings.DEBUG = False


def rate(operation, count):
    """Operations per second for ``count`` calls of ``operation``."""
    started = time.perf_counter()
    for _ in range(count):
        operation()
    return count / (time.perf_counter() - started)


def alternating(variants, per_round, rounds, baseline):
    """Run each variant ``per_round`` times per round, in alternating order.

    ``variants`` maps a name to an operation, or to ``(operation, make_context)`` where
    ``make_context()`` returns a context manager entered around each round (e.g. one
    that connects receivers). Returns {name: {"ops_per_s": median, "ratio": median of
    the per-round ratios to ``baseline``}}.
    """
    names = list(variants)
    rates = {name: [] for name in names}
    for name in names:  # warm-up round, not recorded
        operation, make_context = variants[name] if isinstance(variants[name], tuple) else (variants[name], nullcontext)
        with make_context():
            rate(operation, max(1, per_round // 10))
    for number in range(rounds):
        for name in names if number % 2 == 0 else reversed(names):
            operation, make_context = (
                variants[name] if isinstance(variants[name], tuple) else (variants[name], nullcontext)
            )
            with make_context():
                rates[name].append(rate(operation, per_round))
    return {
        name: {
            "ops_per_s": round(statistics.median(values), 1),
            "ratio": round(statistics.median(v / b for v, b in zip(values, rates[baseline], strict=True)), 3),
        }
        for name, values in rates.items()
    }


def count_queries(operation):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # With DEBUG on, every timed query went into the connection's query log, a deque
    # capped at 9,000: once full it no longer grows, and a capture would count zero.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        operation()
    return len(captured)


@contextmanager
def counting_cache_reads(cache):
    """Count get()/get_many() calls on one cache instance (round trips to the cache)."""
    calls = {"reads": 0}
    originals = {name: getattr(cache, name) for name in ("get", "get_many")}

    def counted(original):
        def wrapper(*args, **kwargs):
            calls["reads"] += 1
            return original(*args, **kwargs)

        return wrapper

    for name, original in originals.items():
        setattr(cache, name, counted(original))
    try:
        yield calls
    finally:
        for name in originals:
            delattr(cache, name)  # back to the class's methods


def emit(result):
    """The probe's only stdout line that matters: one JSON object, last."""
    print(json.dumps(result))

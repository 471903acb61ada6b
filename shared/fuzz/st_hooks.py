"""Schemathesis hooks for run_fuzz.py (loaded through SCHEMATHESIS_HOOKS; test-time only).

Counts the requests sent per operation, so the runner can report (and enforce) how many
generated cases each operation got. The counts go to the JSON file FUZZ_COUNTS_FILE.
"""

import atexit
import json
import os
import threading
from collections import Counter

import schemathesis

_counts = Counter()
_lock = threading.Lock()  # schemathesis runs operations in worker threads


@schemathesis.hook
def after_call(context, case, response):
    with _lock:
        _counts[f"{case.method.upper()} {case.operation.path}"] += 1


@atexit.register
def _write_counts():
    path = os.environ.get("FUZZ_COUNTS_FILE")
    if path:
        with open(path, "w") as out:
            json.dump(dict(_counts), out, indent=1, sort_keys=True)

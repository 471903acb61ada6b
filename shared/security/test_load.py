"""Load: 2,000 requests at concurrency 16 on each demo's main authenticated read endpoint.

Each demo runs in production mode behind gunicorn (2 sync workers, the machine has 2
cores) on 127.0.0.1. The only assertion is zero errors; the figures (p50/p99 latency,
requests per second) go to bench-results/security-load.json for the benchmark session,
which can run these tests alone with ``pytest shared/security -m load``.
"""

import json
import platform
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import requests

from .api import READ_PATH, sign_up
from .support import DEMOS, HTTPS, ROOT, password

REQUESTS, CONCURRENCY = 2000, 16
RESULTS = ROOT / "bench-results" / "security-load.json"


def record(demo, figures):
    RESULTS.parent.mkdir(exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[demo] = figures
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


@pytest.mark.load
@pytest.mark.parametrize("demo", DEMOS)
def test_two_thousand_requests_at_concurrency_16_without_an_error(server, demo):
    served = server(demo)
    account = sign_up(demo, served, f"load-{int(time.time() * 1000)}", password())
    url = served.url + READ_PATH[demo]
    headers = {**HTTPS, **account.headers}
    assert requests.get(url, headers=headers, timeout=30).status_code == 200  # warm, and authenticated

    def client(count):
        """One client: ``count`` requests in a row on its own session; (latencies, errors)."""
        latencies, errors = [], []
        with requests.Session() as session:
            for _ in range(count):
                started = time.perf_counter()
                try:
                    response = session.get(url, headers=headers, timeout=30)
                    if response.status_code != 200:
                        errors.append(f"{response.status_code} {response.text[:200]}")
                except requests.RequestException as error:
                    errors.append(repr(error))
                latencies.append(time.perf_counter() - started)
        return latencies, errors

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        results = list(pool.map(client, [REQUESTS // CONCURRENCY] * CONCURRENCY))
    elapsed = time.perf_counter() - started
    latencies = [value for values, _ in results for value in values]
    errors = [error for _, found in results for error in found]

    record(
        demo,
        {
            "endpoint": f"GET {READ_PATH[demo]}",
            "server": "gunicorn, 2 sync workers, production settings, SQLite",
            "requests": len(latencies),
            "concurrency": CONCURRENCY,
            "errors": len(errors),
            "p50_ms": round(statistics.median(latencies) * 1000, 2),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
            "requests_per_second": round(len(latencies) / elapsed, 1),
            "python": platform.python_version(),
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    assert len(latencies) == REQUESTS
    assert not errors, f"{len(errors)} errors, e.g. {errors[:3]}"

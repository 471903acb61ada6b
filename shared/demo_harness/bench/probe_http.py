"""End-to-end throughput of one authenticated read over HTTP, per authentication variant.

The demo runs under gunicorn (2 workers) with ``probe_settings`` (its own settings plus
/probe/<variant>/ views); 16 client threads send GETs on loopback, variant after variant
in alternating rounds, so each ratio compares requests made under the same machine load.
"""

import http.client
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from ..server import serve_demo

CREDENTIALS = """
import json
from django.test import Client
from demo_harness.bench.probe_auth import credentials, make_user, variant_classes
user = make_user()
headers = credentials(user)
client = Client()
client.force_login(user)
session = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
out = {}
for slug, (name, _classes) in variant_classes().items():
    found = headers[slug]
    out[slug] = {"name": name, "headers": session if found == "session" else
                 {"Authorization": found["HTTP_AUTHORIZATION"]} if found else {}}
print(json.dumps(out))
"""


def get(host, port, path, headers):
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = None
    finally:
        connection.close()
    return status, time.perf_counter() - started


def burst(url, path, headers, count, concurrency):
    """``count`` GETs over ``concurrency`` threads: (requests/s, latencies, errors)."""
    host, port = url.removeprefix("http://").split(":")
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda _: get(host, int(port), path, headers), range(count)))
    elapsed = time.perf_counter() - started
    errors = sum(1 for status, _ in results if status != 200)
    return count / elapsed, [latency for _, latency in results], errors


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(demo_dir, per_round, rounds, concurrency=16, env=None):
    env = {**(env or {}), "DJANGO_SETTINGS_MODULE": "demo_harness.bench.probe_settings"}
    with serve_demo(demo_dir, server="gunicorn", workers=2, env=env) as served:
        made = served.manage("shell", "-c", CREDENTIALS)
        if made.returncode:
            raise RuntimeError(made.stderr)
        variants = json.loads(made.stdout.strip().splitlines()[-1])
        slugs = list(variants)
        for slug in slugs:  # warm-up, not recorded: workers import, connect and cache first
            burst(served.url, f"/probe/{slug}/", variants[slug]["headers"], 2 * concurrency, concurrency)
        rates = {slug: [] for slug in slugs}
        latencies = {slug: [] for slug in slugs}
        errors = dict.fromkeys(slugs, 0)
        for number in range(rounds):
            for slug in slugs if number % 2 == 0 else reversed(slugs):
                rps, times, failed = burst(
                    served.url, f"/probe/{slug}/", variants[slug]["headers"], per_round, concurrency
                )
                rates[slug].append(rps)
                latencies[slug].extend(times)
                errors[slug] += failed
    return {
        variants[slug]["name"]: {
            "requests_per_s": round(statistics.median(rates[slug]), 1),
            "ratio": round(statistics.median(r / b for r, b in zip(rates[slug], rates["none"], strict=True)), 3),
            "p50_ms": round(percentile(latencies[slug], 0.50) * 1000, 2),
            "p99_ms": round(percentile(latencies[slug], 0.99) * 1000, 2),
            "errors": errors[slug],
        }
        for slug in slugs
    }

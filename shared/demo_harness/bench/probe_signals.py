"""What signals cost. Run inside signals_demo: python -m demo_harness.bench.probe_signals [--quick]

- a model save with 0, 1 and 3 no-op post_save receivers (all inside one transaction,
  rolled back, so disk syncs do not drown the cost being measured);
- bulk_create of N rows vs N save() calls;
- Signal.send with 0, 1, 10 and 100 connected receivers: the cost per receiver.
"""

import sys
import time
from contextlib import contextmanager

from .core import alternating, count_queries, emit, setup_django


def noop(sender, **kwargs):
    pass


def main(quick):
    setup_django()
    from django.db import transaction
    from django.db.models.signals import post_save
    from django.dispatch import Signal

    from activity.models import Event  # no receiver of the demo listens to Event saves

    per_round, rounds, rows = (200, 5, 300) if quick else (1000, 9, 1000)

    @contextmanager
    def receivers(count):
        uids = [f"bench-receiver-{n}" for n in range(count)]
        for uid in uids:
            post_save.connect(noop, sender=Event, weak=False, dispatch_uid=uid)
        try:
            yield
        finally:
            for uid in uids:
                post_save.disconnect(sender=Event, dispatch_uid=uid)

    def save():
        Event(signal="bench", sender="bench", summary="x").save()

    def make_events():
        return [Event(signal="bench", sender="bench", summary=str(n)) for n in range(rows)]

    result = {"demo": "signals_demo", "database": None}
    with transaction.atomic():
        from django.db import connection

        result["database"] = connection.vendor
        variants = {f"{k} receivers": (save, lambda k=k: receivers(k)) for k in (0, 1, 3)}
        result["save"] = alternating(variants, per_round, rounds, baseline="0 receivers")
        for k in (0, 1, 3):
            with receivers(k):
                result["save"][f"{k} receivers"]["queries"] = count_queries(save)

        started = time.perf_counter()
        each_queries = count_queries(lambda: [event.save() for event in make_events()])
        each_seconds = time.perf_counter() - started
        started = time.perf_counter()
        bulk_queries = count_queries(lambda: Event.objects.bulk_create(make_events()))
        bulk_seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    result["bulk"] = {
        "rows": rows,
        "save_each": {"seconds": round(each_seconds, 4), "queries": each_queries},
        "bulk_create": {"seconds": round(bulk_seconds, 4), "queries": bulk_queries},
        "speedup": round(each_seconds / bulk_seconds, 1),
    }

    signals = {}
    for k in (0, 1, 10, 100):
        signal = Signal()
        for n in range(k):
            signal.connect(noop, weak=False, dispatch_uid=f"bench-send-{n}")
        signals[f"{k} receivers"] = lambda signal=signal: signal.send(sender=Event)
    sends = alternating(signals, per_round * 5, rounds, baseline="0 receivers")
    microseconds = {name: 1e6 / values["ops_per_s"] for name, values in sends.items()}
    result["send"] = {name: {"us_per_send": round(us, 2)} for name, us in microseconds.items()}
    result["send_us_per_receiver"] = round((microseconds["100 receivers"] - microseconds["0 receivers"]) / 100, 3)
    emit(result)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)

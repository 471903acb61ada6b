import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.importer import run_import
from contacts.models import UserContactsImport

BENCH_USER = "import-benchmark"


class Command(BaseCommand):
    help = "Time the contacts import (the task body, in this process) on the current database."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--batch-size", type=int, default=settings.CONTACTS_IMPORT_BATCH_SIZE)
        parser.add_argument("--keep", action="store_true", help="keep the benchmark user and its contacts")

    def handle(self, *args, rows, batch_size, keep, **options):
        user_model = get_user_model()
        user_model.objects.filter(username=BENCH_USER).delete()
        user = user_model.objects.create_user(username=BENCH_USER)  # unusable password
        # Mostly good rows, plus 1% duplicates and 1% invalid rows, as real uploads have.
        data = [benchmark_row(n, rows) for n in range(rows)]
        record = UserContactsImport.objects.create(user=user, rows=data, total=len(data))

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            record = run_import(record.pk, batch_size=batch_size)
            elapsed = time.perf_counter() - started
        inserts = sum(1 for query in queries.captured_queries if query["sql"].upper().startswith("INSERT"))
        batches = -(-rows // batch_size)
        self.stdout.write(
            f"database: {connection.vendor}\n"
            f"rows: {rows} in {batches} batches of {batch_size}\n"
            f"created={record.created} duplicates={record.duplicates} invalid={record.invalid}\n"
            f"time: {elapsed:.2f} s ({rows / elapsed:,.0f} rows/s)\n"
            f"queries: {len(queries)} ({inserts} INSERT statements), {len(queries) / batches:.1f} per batch"
        )
        if not keep:
            user.delete()


def benchmark_row(n, rows):
    if n % 100 == 1:  # invalid: neither phone nor email
        return {"name": f"Invalid {n}"}
    if n % 100 == 2 and n > 2:  # a duplicate: the phone of an earlier, good row
        return {"name": f"Again {n}", "phone": f"+44 7700 {n - 3:06d}"}
    return {"name": f"Person {n:05d}", "phone": f"+44 7700 {n:06d}", "email": f"person{n}@example.com"}

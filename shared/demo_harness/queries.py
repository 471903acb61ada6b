"""Count the SQL a block runs, on whichever database the test uses."""

from contextlib import contextmanager

from django.db import connections
from django.test.utils import CaptureQueriesContext


class QueryLog:
    def __init__(self, context):
        self._context = context

    @property
    def count(self):
        return len(self._context.captured_queries)

    @property
    def sql(self):
        return [query["sql"] for query in self._context.captured_queries]

    def matching(self, fragment):
        """The statements containing ``fragment`` (case-insensitive), e.g. ``"INSERT INTO"``."""
        fragment = fragment.lower()
        return [sql for sql in self.sql if fragment in sql.lower()]


@contextmanager
def count_queries(using="default"):
    """``with count_queries() as q: ...`` then ``q.count`` / ``q.sql`` / ``q.matching("insert")``."""
    with CaptureQueriesContext(connections[using]) as context:
        yield QueryLog(context)


@contextmanager
def at_most_queries(limit, using="default"):
    with count_queries(using) as log:
        yield log
    assert log.count <= limit, f"expected at most {limit} queries, ran {log.count}:\n" + "\n".join(log.sql)

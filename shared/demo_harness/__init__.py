"""Test harness shared by the Django demos: a pytest plugin (test-time only).

Nothing in a demo imports this at runtime; the demos' tests get its fixtures through
the ``pytest11`` entry point once ``shared/`` is installed (``pip install ./shared``).
"""

from .manage import production_env, run_deploy_check, run_manage
from .queries import at_most_queries, count_queries
from .recorder import SignalCall, SignalRecorder, signal_name
from .server import ServedDemo, free_port, serve_demo
from .services import in_ci, require_postgres, require_redis, unavailable

__all__ = [
    "ServedDemo",
    "SignalCall",
    "SignalRecorder",
    "at_most_queries",
    "count_queries",
    "in_ci",
    "production_env",
    "run_deploy_check",
    "run_manage",
    "serve_demo",
    "free_port",
    "require_postgres",
    "require_redis",
    "signal_name",
    "unavailable",
]

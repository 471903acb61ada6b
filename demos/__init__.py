"""The catalog of demos and the launcher (``python -m demos list | tour NAME | serve NAME``)."""

from .catalog import DEMOS, REPO_ROOT, Demo, get_demo

__all__ = ["DEMOS", "REPO_ROOT", "Demo", "get_demo"]

"""Record every send of chosen Django signals, in order, inside a block.

with signal_recorder(pre_save, post_save) as rec:
    Student.objects.create(name="Ravi")
rec.assert_sent_once(post_save, sender=Student, created=True)
assert rec.names() == ["pre_save", "post_save"]
"""

import importlib
import itertools
from dataclasses import dataclass, field

# Where Django's built-in signals live; used only to give each signal a readable name.
_SIGNAL_MODULES = (
    "django.db.models.signals",
    "django.core.signals",
    "django.contrib.auth.signals",
    "django.test.signals",
    "django.db.backends.signals",
)
_uid = itertools.count()


def signal_name(signal):
    """The attribute name a signal is known by (``post_save``), or its repr."""
    for module_name in _SIGNAL_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # e.g. django.contrib.auth without its app
            continue
        for name, value in vars(module).items():
            if value is signal:
                return name
    return getattr(signal, "name", None) or repr(signal)


@dataclass
class SignalCall:
    signal: object
    name: str
    sender: object
    kwargs: dict = field(default_factory=dict)

    def matches(self, signal=None, sender=None, **expected):
        if signal is not None and self.signal is not signal:
            return False
        if sender is not None and self.sender is not sender:
            return False
        return all(self.kwargs.get(key) == value for key, value in expected.items())


class SignalRecorder:
    """Connects one strong receiver per signal; disconnects them all on exit."""

    def __init__(self, *signals, names=None):
        if not signals:
            raise ValueError("name at least one signal to record")
        self.signals = signals
        self._names = dict(names or {})
        self.calls = []
        self._connections = []

    def __enter__(self):
        for signal in self.signals:
            name = self._names.get(signal) or signal_name(signal)
            receiver = self._make_receiver(signal, name)
            uid = f"demo_harness.recorder.{next(_uid)}"
            signal.connect(receiver, weak=False, dispatch_uid=uid)
            self._connections.append((signal, uid))
        return self

    def __exit__(self, *exc_info):
        for signal, uid in self._connections:
            signal.disconnect(dispatch_uid=uid)
        self._connections.clear()
        return False

    def _make_receiver(self, signal, name):
        def record(sender, **kwargs):
            kwargs.pop("signal", None)
            self.calls.append(SignalCall(signal, name, sender, kwargs))

        return record

    # --- queries -----------------------------------------------------------------
    def names(self):
        return [call.name for call in self.calls]

    def filter(self, signal=None, sender=None, **expected):
        return [c for c in self.calls if c.matches(signal, sender, **expected)]

    def count(self, signal=None, sender=None, **expected):
        return len(self.filter(signal, sender, **expected))

    def assert_sent_once(self, signal, sender=None, **expected):
        found = self.filter(signal, sender, **expected)
        assert len(found) == 1, self._explain(signal, sender, expected, len(found))
        return found[0]

    def assert_not_sent(self, signal, sender=None, **expected):
        found = self.filter(signal, sender, **expected)
        assert not found, self._explain(signal, sender, expected, len(found), wanted=0)

    def _explain(self, signal, sender, expected, got, wanted=1):
        target = self._names.get(signal) or signal_name(signal)
        sent = ", ".join(f"{c.name}({getattr(c.sender, '__name__', c.sender)})" for c in self.calls)
        return (
            f"expected {wanted} send(s) of {target} sender={sender!r} {expected}, got {got}; "
            f"everything recorded: [{sent}]"
        )

"""The single list of demos. The noxfile, the README table and the docs all read it.

Add a demo here and nowhere else; ``demos/tests/test_catalog.py`` fails when the
README, the noxfile or a demo folder disagrees with this list.
"""

import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Demo:
    name: str  # the folder, the nox tag and the launcher's NAME
    concept: str  # one line: what it teaches
    docs_page: str  # relative to docs/
    # manage.py commands `serve` runs beside runserver (sociallogin_demo's local provider).
    serve_beside: tuple = ()

    @property
    def path(self):
        return REPO_ROOT / self.name

    @property
    def run(self):
        return f"nox -s tour -- {self.name}"

    def requirement_names(self):
        """The packages requirements.txt names (normalized: lower case, ``-`` separators)."""
        names = []
        for line in (self.path / "requirements.txt").read_text().splitlines():
            match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line.split("#")[0])
            if match:
                names.append(normalize(match.group(1)))
        return names

    def tested_with(self):
        """{package: version} from requirements.lock for each package requirements.txt names:
        the versions CI tested (the lock also pins what those packages need)."""
        pins = {}
        for line in (self.path / "requirements.lock").read_text().splitlines():
            name, sep, version = line.partition("==")
            if sep:
                pins[normalize(name)] = version.split(";")[0].strip()
        return {name: pins.get(name) for name in self.requirement_names()}


DEMOS = (
    Demo(
        name="signals_demo",
        concept="Django signals: every built-in signal, when it fires, custom signals and six classic traps",
        docs_page="demos/signals_demo.md",
    ),
    Demo(
        name="tokenauth_demo",
        concept="DRF token authentication: register, login, a secure page and logout; "
        "expiring tokens, throttled login and sign-up, 401 never 500, and four token-auth traps",
        docs_page="demos/tokenauth_demo.md",
    ),
    Demo(
        name="jwt_demo",
        concept="JWT with SimpleJWT: rotation, blacklist and revocation, djwto's six signals, "
        "a complete account API and ten token pitfalls",
        docs_page="demos/jwt_demo.md",
    ),
    Demo(
        name="auditlog_demo",
        concept="Who changed what and who called what: django-auditlog actors, history queries "
        "and traps, plus a proxy-aware, secret-free API hit logger",
        docs_page="demos/auditlog_demo.md",
    ),
    Demo(
        name="scheduler_demo",
        concept="Background tasks: a batched contacts import that survives SIGKILL, on three engines "
        "chosen by one setting (django4-background-tasks, Django's Tasks framework, Celery with Redis)",
        docs_page="demos/scheduler_demo.md",
    ),
    Demo(
        name="chat_demo",
        concept="Real-time chat and a live notification feed with Django Channels: consumers, groups, "
        "the channel layer in one process or on Redis, tickets, Origin checks, caps, and six WebSocket traps",
        docs_page="demos/chat_demo.md",
    ),
    Demo(
        name="sociallogin_demo",
        concept="Sign in with Google, Facebook or any OpenID Connect provider (django-allauth), then a "
        "SimpleJWT pair for the API; proven against a real local provider, with six social-login traps",
        docs_page="demos/sociallogin_demo.md",
        serve_beside=("localprovider",),
    ),
)


def normalize(name):
    """A package name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def get_demo(name):
    for demo in DEMOS:
        if demo.name == name:
            return demo
    known = ", ".join(d.name for d in DEMOS)
    raise KeyError(f"unknown demo {name!r}; known demos: {known}")


def readme_table():
    """The Markdown table the README shows between its catalog markers."""
    rows = ["| Demo | What it teaches | Run it | Docs |", "| --- | --- | --- | --- |"]
    for demo in DEMOS:
        page = demo.docs_page.removesuffix(".md")
        rows.append(f"| [`{demo.name}`]({demo.name}/) | {demo.concept} | `{demo.run}` | [docs](docs/{page}.md) |")
    return "\n".join(rows)

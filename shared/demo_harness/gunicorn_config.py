"""gunicorn's settings for the demos the harness serves (``-c python:demo_harness.gunicorn_config``).

With ``--preload`` the master imports Django and the WSGI application before it forks the
workers, which share that memory. Django imports the URLconf (and with it every view,
serializer and drf-spectacular) only at the first request, though: each worker did it
again after the fork, about a quarter of a second of CPU per worker. Importing it here,
in the master before the fork, makes it one import per server.
"""


def when_ready(server):
    # Called in the master once the application is loaded, before any worker is forked.
    # Importing opens no connection: each worker still opens its own database connection.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the attribute's side effect: the import)

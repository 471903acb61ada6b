"""The demo's URLs plus pitfall 2's trap view (tokens/pitfalls.py), for the trap tests only.

The demo's real URL conf never routes a trap: `@pytest.mark.urls("tests.trap_urls")` puts
this one in place for the tests that call the trap next to the fix.
"""

from django.urls import path

from config.urls import urlpatterns as demo_urlpatterns
from tokens.pitfalls import SessionFirstSecureView

urlpatterns = [
    path("demotoken/pitfalls/session-first/", SessionFirstSecureView.as_view()),
    *demo_urlpatterns,
]

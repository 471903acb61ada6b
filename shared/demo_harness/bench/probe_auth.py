"""What authentication costs one read request, and what a login costs.

Run inside an auth demo: python -m demo_harness.bench.probe_auth [--quick]
(jwt_demo: session and the SimpleJWT variants; tokenauth_demo: session and DRF Token).

Each variant is the same tiny DRF view with different ``authentication_classes``,
requested through the demo's full middleware stack with Django's test client, against
a no-authentication baseline in the same process.
"""

import sys
from contextlib import ExitStack
from importlib import import_module
from pathlib import Path

from .core import alternating, count_queries, counting_cache_reads, emit, setup_django

PASSWORD = "bench passphrase that is long enough"

urlpatterns = []  # filled by main(): this module is the ROOT_URLCONF while measuring


def view_for(authentication_classes):
    from rest_framework.permissions import AllowAny, IsAuthenticated
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class ProbeView(APIView):
        permission_classes = [IsAuthenticated] if authentication_classes else [AllowAny]

        def get(self, request):
            return Response({"user": request.user.pk})

    ProbeView.authentication_classes = authentication_classes
    return ProbeView.as_view()


def variant_classes():
    """{slug: (name, authentication classes)} for what this demo has installed."""
    from django.conf import settings
    from rest_framework.authentication import SessionAuthentication

    variants = {"none": ("no auth", []), "session": ("session", [SessionAuthentication])}
    if "rest_framework.authtoken" in settings.INSTALLED_APPS:
        from rest_framework.authentication import TokenAuthentication

        variants["token"] = ("DRF Token", [TokenAuthentication])
    if hasattr(settings, "SIMPLE_JWT"):
        from rest_framework_simplejwt.authentication import JWTAuthentication, JWTStatelessUserAuthentication

        variants["jwt-stateless"] = ("SimpleJWT (stateless)", [JWTStatelessUserAuthentication])
        variants["jwt"] = ("SimpleJWT", [JWTAuthentication])
        try:  # jwt_demo's revocation-aware class (its pitfall 1's fix)
            revocation = import_module("jwt_auth.authentication").RevocationAwareJWTAuthentication
        except ImportError:
            pass
        else:
            variants["jwt-revocation"] = ("SimpleJWT + revocation check", [revocation])
    return variants


def credentials(user):
    """{slug: request headers} for ``user``; "session" means log the client in."""
    from django.conf import settings

    headers = {"none": {}, "session": "session"}
    if "rest_framework.authtoken" in settings.INSTALLED_APPS:
        from rest_framework.authtoken.models import Token

        headers["token"] = {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
    if hasattr(settings, "SIMPLE_JWT"):
        try:  # access tokens that name their refresh token, as jwt_demo issues them
            refresh_class = import_module("jwt_auth.tokens").LinkedRefreshToken
        except ImportError:
            from rest_framework_simplejwt.tokens import RefreshToken as refresh_class
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {refresh_class.for_user(user).access_token}"}
        headers.update({slug: bearer for slug in ("jwt-stateless", "jwt", "jwt-revocation")})
    return headers


def make_user():
    from ..plugin import create_user

    return create_user("bench", PASSWORD)


def main(quick):
    setup_django()
    from django.conf import settings
    from django.contrib.auth import authenticate
    from django.contrib.auth.hashers import get_hasher
    from django.core.cache import caches
    from django.test import Client, override_settings
    from django.urls import path

    per_round, rounds, logins = (100, 5, 3) if quick else (400, 9, 10)
    user = make_user()
    headers = credentials(user)
    clients = {}
    for slug, (name, classes) in variant_classes().items():
        urlpatterns.append(path(f"probe/{slug}/", view_for(classes)))
        client = Client(**({} if headers[slug] == "session" else headers[slug]))
        if headers[slug] == "session":
            client.force_login(user)
        clients[name] = (client, f"/probe/{slug}/")

    def request(name):
        client, url = clients[name]
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)

    with override_settings(ROOT_URLCONF=__name__):
        results = alternating({name: lambda n=name: request(n) for name in clients}, per_round, rounds, "no auth")
        for name in clients:
            request(name)  # warm: the request counted below is one of the steady state
            with ExitStack() as stack:  # lookups in every cache the demo configures
                reads = [stack.enter_context(counting_cache_reads(caches[alias])) for alias in settings.CACHES]
                results[name]["queries"] = count_queries(lambda n=name: request(n))
            results[name]["cache_reads"] = sum(counted["reads"] for counted in reads)

    hasher = get_hasher()
    login = alternating(
        {
            "authenticate()": lambda: authenticate(username="bench", password=PASSWORD),
            "check_password()": lambda: user.check_password(PASSWORD),
        },
        logins,
        3,
        baseline="authenticate()",
    )
    emit(
        {
            "demo": Path.cwd().name,
            "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
            "reads": results,
            "login": {
                "hasher": f"{hasher.algorithm} ({getattr(hasher, 'iterations', '-')} iterations)",
                "authenticate_per_s": login["authenticate()"]["ops_per_s"],
                "check_password_per_s": login["check_password()"]["ops_per_s"],
                "share_in_hasher": round(
                    login["authenticate()"]["ops_per_s"] / login["check_password()"]["ops_per_s"], 3
                ),
            },
        }
    )


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)

from django.conf import settings
from django.core import checks

PER_PROCESS_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches)
def revocation_cache_is_shared(app_configs, **kwargs):
    """Warn when the revocation cache would answer for one process only (pitfall 1).

    The table is the truth, but a per-process cache in front would keep answering "not
    revoked" in the other processes after a logout in one.
    """
    alias = settings.JWT_REVOCATION_CACHE
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "") if alias else ""
    if backend in PER_PROCESS_BACKENDS:
        return [
            checks.Warning(
                f"JWT_REVOCATION_CACHE uses {backend.rsplit('.', 1)[-1]}, which other server processes cannot see: "
                "after a logout in one process the others would keep answering 'not revoked' from it.",
                hint="Use Redis (REDIS_URL), or JWT_REVOCATION_CACHE = None (the table alone).",
                id="jwt_auth.W001",
            )
        ]
    return []

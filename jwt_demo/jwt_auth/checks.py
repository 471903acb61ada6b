from django.conf import settings
from django.core import checks

PER_PROCESS_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches)
def revocation_cache_is_shared(app_configs, **kwargs):
    """Warn when the revocation version key would be seen by one process only (pitfall 1).

    The tables are the truth and each process's mirror reads them at least once per
    JWT_REVOCATION_SYNC_SECONDS; the version key exists to tell the other processes at
    once. In a per-process cache they never see it change: a lookup per request for nothing.
    """
    alias = settings.JWT_REVOCATION_CACHE
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "") if alias else ""
    if backend in PER_PROCESS_BACKENDS:
        return [
            checks.Warning(
                f"JWT_REVOCATION_CACHE uses {backend.rsplit('.', 1)[-1]}, which other server processes cannot see: "
                "after a logout in one process the others would not hear of it before their next sync.",
                hint="Use Redis (REDIS_URL), or JWT_REVOCATION_CACHE = None (the mirrors' sync interval alone).",
                id="jwt_auth.W001",
            )
        ]
    return []

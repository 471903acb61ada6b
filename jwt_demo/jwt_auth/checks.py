from django.conf import settings
from django.core import checks

PER_PROCESS_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches)
def revocation_cache_is_shared(app_configs, **kwargs):
    """Warn when revocations would stay inside one process (pitfall 1)."""
    backend = settings.CACHES.get(settings.JWT_REVOCATION_CACHE, {}).get("BACKEND", "")
    if backend in PER_PROCESS_BACKENDS:
        return [
            checks.Warning(
                f"JWT_REVOCATION_CACHE uses {backend.rsplit('.', 1)[-1]}, which other server processes cannot see: "
                "a logout in one process would not revoke access tokens in the others.",
                hint="Use the database cache or Redis (REDIS_URL).",
                id="jwt_auth.W001",
            )
        ]
    return []

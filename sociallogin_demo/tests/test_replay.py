"""Pitfall 6: an ID token is good for one sign-in. allauth remembers its jti in the
"default" cache until it expires; that memory must be shared by every server process and
survive culling (social/pitfalls.py)."""

from django.core.cache import caches

from social import pitfalls

from .clients import id_token_for, token_login


def fill_the_cache_with_unrelated_keys():
    for number in range(2000):  # traffic that has nothing to do with sign-ins
        caches["default"].set(f"unrelated-{number}", number)


def test_pitfall_6_replay_memory_in_a_per_process_cache_trap(site, provider, settings):
    settings.CACHES = {**settings.CACHES, **pitfalls.PER_PROCESS_REPLAY_MEMORY_TRAP}
    id_token = id_token_for(provider, "carol")
    assert token_login(site, id_token).status_code == 200
    fill_the_cache_with_unrelated_keys()

    assert token_login(site, id_token).status_code == 200  # the harm: the same token signs in twice


def test_pitfall_6_replay_memory_in_a_per_process_cache_fix(site, provider):
    id_token = id_token_for(provider, "carol")
    assert token_login(site, id_token).status_code == 200
    fill_the_cache_with_unrelated_keys()

    assert token_login(site, id_token).status_code == 400


def test_an_id_token_replayed_at_once_is_refused(site, provider):
    id_token = id_token_for(provider, "carol")
    assert token_login(site, id_token).status_code == 200

    assert token_login(site, id_token).status_code == 400

"""The ten JWT pitfalls of README.md: each one a *_trap test (the harm, with stock
SimpleJWT or the naive code in jwt_auth/pitfalls.py) and a *_fix test (this demo's
behaviour)."""

import base64
import json
from datetime import timedelta
from uuid import uuid4

import jwt
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIRequestFactory
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password
from rest_framework_simplejwt.views import TokenRefreshView

import jwt_auth.signals as signals
from accounts.views import MeView
from jwt_auth import pitfalls, revocation, services
from jwt_auth.authentication import RevocationAwareJWTAuthentication
from jwt_auth.models import RevokedToken
from jwt_auth.tokens import LinkedRefreshToken

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "a much better secret 42"


@pytest.fixture
def pair(user, login):
    return login(username=user.username)


def stock_authenticate(access):
    """What SimpleJWT's own JWTAuthentication makes of a Bearer token."""
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {access}")
    return JWTAuthentication().authenticate(request)


# --- 1. the access token outlives logout --------------------------------------------------
def test_pitfall_1_access_after_logout_trap(api_client, user, pair, stock_simplejwt):
    assert api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]}).status_code == 200
    with stock_simplejwt(pitfall=1):
        # Stock JWTAuthentication checks only signature, exp and user: still logged in.
        authenticated_user, _ = stock_authenticate(pair["access"])
        assert authenticated_user == user


def test_pitfall_1_access_after_logout_fix(api_client, pair, me):
    assert me(pair["access"]).status_code == 200
    api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]})
    response = me(pair["access"])
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_pitfall_1_revoked_access_jti_is_refused(pair, me):
    access = AccessToken(pair["access"])
    revocation.revoke(access["jti"], access["exp"])
    assert me(pair["access"]).status_code == 401


def test_pitfall_1_revocation_entry_lives_as_long_as_the_token(api_client, pair):
    api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]})
    refresh = RefreshToken(pair["refresh"], verify=False)
    # The refresh's jti stands for its access tokens: the newest expires ACCESS_TOKEN_LIFETIME from now.
    access_exp = AccessToken(pair["access"])["exp"]
    expires = RevokedToken.objects.get(jti=refresh["jti"]).expires_at
    assert abs(expires.timestamp() - access_exp) <= 2
    assert expires.timestamp() < refresh["exp"]  # not the refresh token's whole day


def test_pitfall_1_nothing_is_stored_for_an_expired_token():
    revocation.revoke("gone", expires_at=timezone.now().timestamp() - 10)
    assert not revocation.is_revoked("gone")
    assert not RevokedToken.objects.filter(jti="gone").exists()
    assert not revocation.is_revoked()  # no jti, no lookup


def test_pitfall_1_check_costs_one_indexed_lookup_and_no_token_table_query(database_cache, pair, count_queries):
    # Here every check syncs (interval 0, conftest): the worst case. A sync with nothing new
    # is one lookup of the clock by primary key; never SimpleJWT's token tables, never the user.
    read = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    authentication = RevocationAwareJWTAuthentication()
    assert authentication.authenticate(read) is not None  # the first sync reads both tables
    with count_queries() as queries:
        token_user, _ = authentication.authenticate(read)
    assert len(queries.matching("jwt_auth_revocationclock")) == 1
    assert queries.matching("token_blacklist") == [] and queries.matching("accounts_user") == []
    assert queries.count == 1
    assert str(token_user.pk) == str(User.objects.get(username="alice").pk)  # from the token


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_pitfall_1_with_redis_a_live_token_costs_no_revocation_query(
    redis_url, redis_caches, settings, user, login, me, count_queries
):
    settings.CACHES, settings.JWT_REVOCATION_CACHE = redis_caches(redis_url), "default"
    settings.JWT_REVOCATION_SYNC_SECONDS = 60  # only the version key can make it sync
    access = login(username="alice")["access"]
    assert me(access).status_code == 200  # the first check syncs and stores a version
    assert me(access).status_code == 200  # a version it has not synced at: once more
    with count_queries() as queries:
        assert me(access).status_code == 200
    assert queries.matching("jwt_auth_") == []
    assert queries.count == 1  # /me/ loads the user row (an account endpoint); the check none


def test_pitfall_1_per_process_cache_is_flagged_by_a_system_check(settings):
    from jwt_auth.checks import revocation_cache_is_shared

    assert revocation_cache_is_shared(None) == []
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.JWT_REVOCATION_CACHE = "default"
    [warning] = revocation_cache_is_shared(None)
    assert warning.id == "jwt_auth.W001"


# --- 2. two concurrent refreshes both succeed ---------------------------------------------
def test_pitfall_2_concurrent_refresh_trap(api_client, pair, me, stock_simplejwt):
    # Two requests arrive together: both decode the token and pass the blacklist check...
    racing = [RefreshToken(pair["refresh"]), RefreshToken(pair["refresh"])]
    with stock_simplejwt(pitfall=2):
        # ...then each does the rest of SimpleJWT's TokenRefreshSerializer.validate(). Its
        # blacklist() is get_or_create: no error for the second, so both rotate.
        handed_out = [pitfalls.stock_rotation(refresh) for refresh in racing]
        assert handed_out[0]["refresh"] != handed_out[1]["refresh"]
        assert all(BlacklistedToken.objects.filter(token__jti=new["jti"]).count() == 0 for new in handed_out)
    # The harm: one refresh token bought two live pairs. A thief who races the owner keeps
    # a session of their own, which rotation was meant to make impossible.
    for new in handed_out:
        assert me(new["access"]).status_code == 200
        assert api_client.post("/api/token/refresh/", {"refresh": new["refresh"]}).status_code == 200


def test_pitfall_2_concurrent_refresh_fix(api_client, pair):
    first, second = RefreshToken(pair["refresh"]), RefreshToken(pair["refresh"])
    services.claim_refresh_token(first)
    with pytest.raises(TokenError):  # the unique blacklist row: the second claim loses
        services.claim_refresh_token(second)
    assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401
    # (tests/test_race_postgres.py: 20 real parallel refreshes, exactly 1 succeeds.)


def test_pitfall_2_a_lost_claim_writes_nothing(api_client, pair):
    services.claim_refresh_token(RefreshToken(pair["refresh"]))
    before = OutstandingToken.objects.count()
    assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401
    assert OutstandingToken.objects.count() == before  # no new refresh token was recorded


# --- 3. the token tables grow forever -----------------------------------------------------
def expire(*raw_refresh_tokens):
    jtis = [RefreshToken(raw, verify=False)["jti"] for raw in raw_refresh_tokens]
    OutstandingToken.objects.filter(jti__in=jtis).update(expires_at=timezone.now() - timedelta(seconds=1))


def days_of_use(api_client, login, days, flush_daily):
    """Each day alice logs in and refreshes once; then the day's tokens expire. Returns,
    per day, how many expired (dead) rows the token tables hold at its end."""
    dead_per_day = []
    for _ in range(days):
        pair = login(username="alice")
        assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 200
        OutstandingToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))  # a day later
        if flush_daily:
            call_command("flushexpiredtokens")
        dead = OutstandingToken.objects.filter(expires_at__lte=timezone.now())
        dead_per_day.append((dead.count(), BlacklistedToken.objects.filter(token__in=dead).count()))
    return dead_per_day


def test_pitfall_3_token_tables_grow_trap(api_client, user, login):
    # Nobody runs a flush: every day leaves 2 rows no request can ever use again (the
    # login's refresh token, blacklisted by rotation, and the rotated one), and they stay.
    dead_per_day = days_of_use(api_client, login, days=10, flush_daily=False)
    assert dead_per_day == [(2 * day, day) for day in range(1, 11)]  # growing, never shrinking
    assert OutstandingToken.objects.filter(expires_at__gt=timezone.now()).count() == 0  # none of it is live
    # The same ten days with the daily flush keep nothing dead:
    assert days_of_use(api_client, login, days=10, flush_daily=True) == [(0, 0)] * 10


def test_pitfall_3_flushexpiredtokens_fix(api_client, user, login):
    expired_pair, live_pair = login(username="alice"), login(username="alice")
    api_client.post("/api/token/blacklist/", {"refresh": expired_pair["refresh"]})
    expire(expired_pair["refresh"])
    call_command("flushexpiredtokens")
    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == [RefreshToken(live_pair["refresh"])["jti"]]
    assert not BlacklistedToken.objects.exists()  # cascaded with its outstanding row
    assert api_client.post("/api/token/refresh/", {"refresh": live_pair["refresh"]}).status_code == 200


def test_pitfall_3_flush_function_for_a_daily_scheduler(user, login):
    expire(login(username="alice")["refresh"])
    live = login(username="alice")
    services.flush_expired_tokens()
    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == [RefreshToken(live["refresh"])["jti"]]


def test_pitfall_3_flushexpiredtokens_also_prunes_expired_revocations(api_client, pair, me):
    api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]})
    RevokedToken.objects.create(jti="long-gone", expires_at=timezone.now() - timedelta(seconds=1), stamp=0)
    call_command("flushexpiredtokens")  # the daily job: jwt_auth's command of SimpleJWT's name
    assert list(RevokedToken.objects.values_list("jti", flat=True)) == [AccessToken(pair["access"])["rjti"]]
    assert me(pair["access"]).status_code == 401  # a live revocation stays


# --- 4. old tokens survive a password change ----------------------------------------------
def stock_refresh_mints_after_a_password_change(user, pair):
    pitfalls.change_password_naively(user, NEW_PASSWORD)
    # A JWT knows nothing about the password: both still verify...
    AccessToken(pair["access"])
    RefreshToken(pair["refresh"])
    # ...and stock SimpleJWT's refresh serializer keeps minting new tokens with the old one.
    assert set(pitfalls.stock_refresh(pair["refresh"])) == {"access", "refresh"}


def test_pitfall_4_password_change_trap(user, pair, stock_simplejwt):
    with stock_simplejwt(pitfall=4):
        stock_refresh_mints_after_a_password_change(user, pair)


def test_pitfall_4_password_change_fix(api_client, pair, me, password):
    response = api_client.post(
        "/api/auth/password/change/",
        {"old_password": password, "new_password": NEW_PASSWORD},
        HTTP_AUTHORIZATION=f"Bearer {pair['access']}",
    )
    assert response.status_code == 204
    assert me(pair["access"]).status_code == 401
    assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401
    assert api_client.post("/api/token/verify/", {"token": pair["access"]}).status_code == 401


def test_pitfall_4_password_changed_outside_the_api_also_refuses_old_tokens(api_client, user, pair, me):
    user.set_password(NEW_PASSWORD)  # admin / shell: no blacklisting happened
    user.save()
    # CHECK_REVOKE_TOKEN: the tokens carry a hash of the old password hash.
    assert me(pair["access"]).status_code == 401
    assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401


# --- 5. deactivated or deleted users ------------------------------------------------------
def test_pitfall_5_deleted_user_trap(user, pair, stock_simplejwt):
    user.delete()
    request = APIRequestFactory().post("/", {"refresh": pair["refresh"]}, format="json")
    with stock_simplejwt(pitfall=5):
        # Stock TokenRefreshView looks the user up with .get(): DoesNotExist, a 500.
        with pytest.raises(User.DoesNotExist):
            TokenRefreshView.as_view()(request)


@pytest.mark.parametrize("fate", ["deleted", "deactivated"])
def test_pitfall_5_deleted_or_deactivated_user_fix(api_client, user, pair, me, fate, password):
    if fate == "deleted":
        user.delete()
    else:
        user.is_active = False
        user.save()
    assert me(pair["access"]).status_code == 401
    assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401
    assert api_client.post("/api/token/verify/", {"token": pair["access"]}).status_code == 401
    assert api_client.post("/api/token/", {"username": "alice", "password": password}).status_code == 401
    # Logging out stays possible (and harmless).
    assert api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]}).status_code == 200


def test_pitfall_5_a_reactivated_users_old_tokens_stay_refused(api_client, user, pair, me, login):
    user.is_active = False
    user.save()  # deactivated: the cutoff refuses every token issued until now
    user.is_active = True
    user.save()  # let back in: the row passes SimpleJWT's checks again, the old tokens must not
    assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401
    assert me(pair["access"]).status_code == 401
    assert me(login(username="alice")["access"]).status_code == 200  # a new login works


def test_pitfall_5_a_user_deactivated_by_update_cannot_refresh(api_client, user, pair):
    User.objects.filter(pk=user.pk).update(is_active=False)  # a bulk update: no signal, so no cutoff
    # The refresh loads the row it makes the new token for: SimpleJWT's checks on it refuse.
    assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401


# --- 6. forged tokens -----------------------------------------------------------------------
def b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def forge(kind, pair, victim):
    """The attacker's input (test data, not trap code): a token naming ``victim``, built
    from the attacker's own ``pair`` without the signing key, or a real token of the victim's
    that is unfit (a leaked refresh token, one that expired long ago)."""
    header, payload, signature = pair["access"].split(".")
    as_victim = {**jwt.decode(pair["access"], options={"verify_signature": False}), "user_id": str(victim.pk)}
    if kind == "alg_none":
        return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(as_victim)}."
    if kind == "wrong_signature":
        return jwt.encode(as_victim, "not-the-server-key-but-long-enough-32b", "HS256")
    if kind == "tampered_payload":
        return f"{header}.{b64(as_victim)}.{signature}"
    if kind == "refresh_as_access":  # the victim's leaked refresh token, sent as an access token
        return str(LinkedRefreshToken.for_user(victim))
    if kind == "expired":  # signed by the server for the victim, but expired (an old log line, say)
        past = int((timezone.now() - timedelta(minutes=10)).timestamp())
        claims = {**as_victim, "hash_password": get_md5_hash_password(victim.password), "iat": past - 300, "exp": past}
        return jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], "HS256")
    raise AssertionError(kind)


FORGERIES = ["alg_none", "wrong_signature", "tampered_payload", "refresh_as_access", "expired"]


@pytest.mark.parametrize("kind", FORGERIES)
def test_pitfall_6_forged_tokens_trap(user, user_factory, pair, kind):
    victim = user_factory(username="victim")
    # An authentication that reads the claims without verifying the token accepts every
    # forgery: alice (or whoever holds an unfit token) is logged in as the victim.
    request = APIRequestFactory().get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {forge(kind, pair, victim)}")
    response = MeView.as_view(authentication_classes=[pitfalls.UnverifiedJWTAuthentication])(request)
    assert response.status_code == 200
    assert response.data["username"] == "victim"
    assert response.data["id"] == victim.pk


@pytest.mark.parametrize("kind", FORGERIES)
def test_pitfall_6_forged_tokens_fix(api_client, user, user_factory, pair, me, kind):
    victim = user_factory(username="victim")
    forged = forge(kind, pair, victim)
    response = me(forged)
    assert response.status_code == 401
    assert victim.username not in response.content.decode()
    if kind != "refresh_as_access":  # /verify/ accepts any valid token type, by design
        assert api_client.post("/api/token/verify/", {"token": forged}).status_code == 401


@pytest.mark.parametrize("kind", ["alg_none", "wrong_signature", "tampered_payload", "expired"])
def test_pitfall_6_forged_refresh_tokens_are_refused(api_client, user, user_factory, pair, kind):
    victim = user_factory(username="victim")
    forged_refresh = forge(kind, {"access": pair["refresh"], "refresh": pair["refresh"]}, victim)
    assert api_client.post("/api/token/refresh/", {"refresh": forged_refresh}).status_code == 401
    assert api_client.post("/api/token/blacklist/", {"refresh": forged_refresh}).status_code == 401


# --- 7. a revocation list in a cache that can forget ---------------------------------------
def flood(cache, count):
    """Unrelated entries, as throttle counters of many clients or any other use would add."""
    cache.set_many({f"unrelated:{n:05d}": n for n in range(count)}, timeout=600)


def me_with(authentication_class, access):
    request = APIRequestFactory().get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {access}")
    return MeView.as_view(authentication_classes=[authentication_class])(request).status_code


def test_pitfall_7_revocation_list_in_a_cache_that_can_forget_trap(database_cache, pair):
    revocations = pitfalls.CacheOnlyRevocationList("default")  # the database cache, MAX_ENTRIES 300
    authentication = type("Trap", (pitfalls.CacheOnlyRevocationAuthentication,), {"revocations": revocations})
    access = AccessToken(pair["access"])
    revocations.revoke(access["rjti"], access["exp"])  # what logging out wrote
    assert me_with(authentication, pair["access"]) == 401
    flood(cache, 1000)  # the cache culls: the oldest-by-key third goes, "jwt:revoked:..." first
    assert me_with(authentication, pair["access"]) == 200  # the logged-out token is alive again


def test_pitfall_7_revocation_list_in_a_cache_that_can_forget_fix(database_cache, api_client, pair, me):
    assert api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]}).status_code == 200
    flood(cache, 1000)
    assert me(pair["access"]).status_code == 401
    cache.clear()
    assert me(pair["access"]).status_code == 401  # the table, not the cache, remembers


def logged_out_elsewhere(user):
    """What ``manage.py logout_user`` in another process leaves here: the cutoff row and a new
    version key, not this process's mirror (this test's transaction never commits)."""
    services.logout_everywhere(user)
    cache.set(revocation.VERSION_KEY, uuid4().hex, timeout=None)


@pytest.mark.parametrize("how", ["flood", "clear"])
def test_pitfall_7_a_forgotten_version_key_means_a_sync(database_cache, settings, user_factory, login, me, how):
    # The version key in Django's database cache, and no sync by the clock for a minute:
    # the key alone tells this process that another one revoked something.
    settings.JWT_REVOCATION_CACHE, settings.JWT_REVOCATION_SYNC_SECONDS = "default", 60
    sessions = {who: login(username=who.username)["access"] for who in map(user_factory, ("alice", "bob"))}
    for access in sessions.values():
        assert me(access).status_code == 200  # synced, at the version now stored
    for who, access in sessions.items():  # bob's turn: the key goes again just after a sync at no version
        logged_out_elsewhere(who)
        if how == "flood":
            flood(cache, 1000)  # the database cache culls: the version key, first by key, goes
        else:
            cache.clear()
        # The missing key may have held another process's new version: only the tables can tell.
        assert me(access).status_code == 401


# --- 9. a sender built at run time -----------------------------------------------------------
def logins_heard(api_client, connect, password):
    heard = []

    def handler(sender, **kwargs):
        heard.append(sender)

    sender = connect(handler)
    try:
        assert api_client.post("/api/token/", {"username": "alice", "password": password}).status_code == 200
    finally:
        signals.jwt_logged_in.disconnect(handler, sender=sender)
    return heard


def test_pitfall_9_sender_built_at_run_time_trap(api_client, user, password):
    built = {}

    def connect(handler):
        built["sender"] = pitfalls.connect_with_a_built_sender(signals.jwt_logged_in, handler)
        return built["sender"]

    assert logins_heard(api_client, connect, password) == []  # the login happened; the handler never ran
    assert built["sender"] == signals.LOGIN_SENDER and built["sender"] is not signals.LOGIN_SENDER


def test_pitfall_9_sender_built_at_run_time_fix(api_client, user, password):
    def connect(handler):
        signals.jwt_logged_in.connect(handler, sender=signals.LOGIN_SENDER, weak=False)
        return signals.LOGIN_SENDER

    assert logins_heard(api_client, connect, password) == [signals.LOGIN_SENDER]


def test_pitfall_9_this_demos_own_receivers_use_the_constants():
    from jwt_auth import receivers

    for signal, function in [
        (signals.jwt_logged_in, receivers.log_login),
        (signals.jwt_login_fail, receivers.log_login_failure),
        (signals.jwt_blacklisted, receivers.log_logout),
    ]:
        # Django keeps (id(receiver), id(sender)) per connection: the sender is matched by id.
        senders = [key[1] for key, receiver, *_ in signal.receivers if receiver() is function]
        assert senders == [id(signal_sender(signal))]


def signal_sender(signal):
    return signals.BLACKLIST_SENDER if signal is signals.jwt_blacklisted else signals.LOGIN_SENDER


# --- 10. the library is moving ----------------------------------------------------------------
@pytest.fixture
def simplejwt_main_branch(monkeypatch):
    """What SimpleJWT's main branch does since PR #928: refresh refuses a changed password."""
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework_simplejwt.utils import get_md5_hash_password

    real_validate = TokenRefreshSerializer.validate

    def validate(self, attrs):
        token = RefreshToken(attrs["refresh"])
        user = User.objects.filter(pk=token["user_id"]).first()
        if user is None or token.get("hash_password") != get_md5_hash_password(user.password):
            raise AuthenticationFailed("The user's password has been changed.", code="password_changed")
        return real_validate(self, attrs)

    monkeypatch.setattr(TokenRefreshSerializer, "validate", validate)


def test_pitfall_10_trap_test_that_passes_whatever_the_library_does_trap(user, pair, simplejwt_main_branch):
    # The next release refuses the refresh, so pitfall 4's text is now wrong; a trap test
    # written like this one goes on passing and nobody is told.
    assert pitfalls.stock_behaviour_unchecked(lambda: stock_refresh_mints_after_a_password_change(user, pair)) is False


def test_pitfall_10_trap_test_that_passes_whatever_the_library_does_fix(
    user, pair, simplejwt_main_branch, stock_simplejwt
):
    with pytest.raises(pytest.fail.Exception, match="the library changed; revisit that pitfall's text"):
        with stock_simplejwt(pitfall=4):
            stock_refresh_mints_after_a_password_change(user, pair)


def test_pitfall_10_requirements_pin_the_release_the_traps_document():
    from importlib.metadata import version

    from packaging.specifiers import SpecifierSet

    line = next(
        line
        for line in (settings.BASE_DIR / "requirements.txt").read_text().splitlines()
        if line.startswith("djangorestframework-simplejwt")
    )
    pinned = SpecifierSet(line.split("#")[0].strip().removeprefix("djangorestframework-simplejwt"))
    assert pitfalls.DOCUMENTED_SIMPLEJWT in pinned
    assert version("djangorestframework-simplejwt") in pinned
    assert "5.6.0" not in pinned  # the next release (PR #928) must be proven before it is allowed

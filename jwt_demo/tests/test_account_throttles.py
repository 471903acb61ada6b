"""Per-account throttles: guessing one account's password from many client addresses.

The per-address throttle ("login", 10/minute) alone lets a botnet guess one account's
password at 10 a minute per address. "login_account" counts the failed logins of each
identifier (username, email, phone), from every address and under every spelling of it,
as the login backend reads them; "forgot_account" the reset e-mails sent to one mailbox.
"""

import itertools

import pytest

_addresses = itertools.count(1)


def new_address():
    """Another client address each call: the per-address throttle never applies."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


@pytest.fixture
def alice(user_factory):
    return user_factory(username="alice", email="alice@example.com", phone="+14155552671")


@pytest.fixture
def account_rates(database_cache, throttle_rates):
    # database_cache: the counters (user ids repeat from test to test) roll back with the test.
    def set_rates(**rates):
        throttle_rates(**rates)

    return set_rates


def log_in(api_client, password, **identifier):
    return api_client.post("/api/token/", {**identifier, "password": password}, REMOTE_ADDR=new_address())


def test_failed_logins_from_many_addresses_are_throttled_per_account(api_client, alice, account_rates, password):
    account_rates(login_account="3/hour")
    assert [log_in(api_client, f"guess {n}", username="alice").status_code for n in range(3)] == [401] * 3
    response = log_in(api_client, password, username="alice")  # a fourth address, the right password
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert log_in(api_client, "guess", username="bob").status_code == 401  # another account: its own count


@pytest.mark.parametrize(
    "spellings",
    [
        [{"email": "Alice@Example.com"}, {"email": "ALICE@\uff25XAMPLE.COM"}, {"email": " alice@example.com"}],
        [{"phone": "(415) 555-2671"}, {"phone": "+1 415 555 2671"}, {"phone": "415.555.2671"}],
        [{"username": "\uff41lice"}, {"username": "alice"}, {"username": "\uff41\uff4c\uff49\uff43\uff45"}],
    ],
)
def test_every_spelling_of_one_identifier_is_one_counter(api_client, alice, account_rates, spellings, password):
    account_rates(login_account="3/hour")
    assert [log_in(api_client, "guess", **identifier).status_code for identifier in spellings] == [401] * 3
    assert log_in(api_client, password, **spellings[0]).status_code == 429


@pytest.mark.parametrize("owner", ["alice", "nobody"])
def test_the_counter_does_not_tell_which_identifiers_belong_to_one_account(api_client, alice, account_rates, owner):
    # Were an existing account's username and email one counter, a 429 for the email after
    # failing with the username would tell that both exist and are one account's.
    account_rates(login_account="3/hour")
    assert [log_in(api_client, "guess", username=owner).status_code for _ in range(3)] == [401] * 3
    assert log_in(api_client, "guess", email=f"{owner}@example.com").status_code == 401


def test_an_unknown_account_is_counted_as_an_existing_one_is(api_client, db, account_rates):
    # The same limit and the same 429: the throttle tells nothing about existence.
    account_rates(login_account="2/hour")
    statuses = [log_in(api_client, "guess", email="Nobody@Example.com").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


def test_the_owners_successful_logins_are_not_counted(api_client, alice, account_rates, password):
    account_rates(login_account="2/hour")
    assert [log_in(api_client, password, username="alice").status_code for _ in range(5)] == [200] * 5


def test_forgot_is_throttled_per_mailbox_whatever_the_address(api_client, alice, account_rates, mailoutbox):
    account_rates(forgot_account="2/hour")
    bodies = [{"email": "alice@example.com"}, {"email": "ALICE@example.com"}, {"email": "alice@\uff45xample.com"}]
    statuses = [
        api_client.post("/api/auth/password/forgot/", body, REMOTE_ADDR=new_address()).status_code for body in bodies
    ]
    assert statuses == [202, 202, 429]
    assert len(mailoutbox) == 2


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_throttle_that_cannot_count_refuses_with_a_503_not_a_500(settings, redis_caches, api_client, user, caplog):
    """Redis down: the login cannot be counted, so it is refused, in JSON (not a 500, and
    not let through uncounted: that would reopen password guessing). Nothing typed is logged."""
    from demo_harness.server import free_port

    settings.CACHES = redis_caches(f"redis://127.0.0.1:{free_port()}/1")  # no server there
    response = api_client.post("/api/token/", {"username": "alice", "password": "a guess 12345"}, format="json")
    assert response.status_code == 503
    assert response.json()["detail"] == "Attempts cannot be counted right now; try again in a moment."
    assert "a guess 12345" not in caplog.text

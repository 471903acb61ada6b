"""The HTTP half: the history (paged, newest last, for logged-in users) and the tickets."""

import pytest

from accounts.models import ConnectionTicket
from accounts.tickets import hashed
from chat.models import Message
from chat.services import post_message

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def history(client, alice):
    client.force_login(alice)
    return lambda room="lobby", **query: client.get(f"/api/rooms/{room}/messages/", query)


def test_the_history_returns_what_was_sent_newest_last(alice, bob, history):
    for n in range(3):
        post_message(user=alice if n % 2 else bob, room="lobby", text=f"m{n}")
    post_message(user=alice, room="elsewhere", text="not here")
    page = history().json()
    assert [(m["seq"], m["user"], m["message"]) for m in page["results"]] == [
        (1, "bob", "m0"),
        (2, "alice", "m1"),
        (3, "bob", "m2"),
    ]
    assert page["previous"] is None and page["next"] is None


def test_the_history_pages_back_with_before_and_forward_with_after(alice, history, settings):
    settings.CHAT_HISTORY_PAGE_SIZE = 2
    for n in range(5):
        post_message(user=alice, room="lobby", text=f"m{n}")
    latest = history().json()
    assert [m["seq"] for m in latest["results"]] == [4, 5]
    assert latest["previous"].endswith("?before=4") and latest["next"] is None
    older = history(before=4).json()
    assert [m["seq"] for m in older["results"]] == [2, 3] and older["previous"].endswith("?before=2")
    assert [m["seq"] for m in history(before=2).json()["results"]] == [1]
    newer = history(after=1).json()
    assert [m["seq"] for m in newer["results"]] == [2, 3] and newer["next"].endswith("?after=3")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"after": "x"}, "after"),
        ({"before": 0}, "before"),
        ({"after": 2**63}, "after"),
        ({"after": 1, "before": 5}, None),
    ],
)
def test_a_bad_history_query_is_a_400_naming_the_field(history, query, field):
    response = history(**query)
    assert response.status_code == 400
    assert field in response.json() if field else "non_field_errors" in response.json()


def test_the_history_is_for_logged_in_users_only(client):
    assert client.get("/api/rooms/lobby/messages/").status_code == 403


@pytest.mark.parametrize("room", ["Lobby", "a_b", "x" * 51])
def test_a_room_name_the_websocket_route_refuses_is_a_404_here_too(history, room):
    assert history(room=room).status_code == 404


def test_a_ticket_is_issued_for_the_right_password_and_only_its_hash_is_kept(api_client, alice, password):
    response = api_client.post("/api/auth/ticket/", {"username": "alice", "password": password})
    assert response.status_code == 201
    ticket = response.json()["ticket"]
    assert response.json()["expires_in"] == 60
    assert list(ConnectionTicket.objects.values_list("key_hash", flat=True)) == [hashed(ticket)]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "alice", "password": "wrong"}, "non_field_errors"),
        ({"username": "alice"}, "password"),
        ({}, "username"),
    ],
)
def test_a_wrong_or_missing_credential_is_a_400_and_issues_nothing(api_client, alice, body, field):
    response = api_client.post("/api/auth/ticket/", body)
    assert response.status_code == 400 and field in response.json()
    assert ConnectionTicket.objects.count() == 0


def test_ticket_requests_are_throttled_per_client_address(api_client, alice, throttle_rates):
    throttle_rates(login="3/minute")
    answers = [
        api_client.post("/api/auth/ticket/", {"username": "alice", "password": "wrong"}).status_code for _ in range(4)
    ]
    assert answers == [400, 400, 400, 429]


def test_parallel_messages_to_one_room_get_every_number_once_in_commit_order(alice):
    """Eight writers at once to one room: the UPDATE of the room's row makes them take
    turns, so the numbers are 1 to 40, each once (on PostgreSQL too: nox -s tests_postgres)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def write_five(writer):
        try:
            return [post_message(user=alice, room="busy", text=f"{writer}-{n}").seq for n in range(5)]
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = [seq for seqs in pool.map(write_five, range(8)) for seq in seqs]
    assert sorted(numbers) == list(range(1, 41))
    by_id = list(Message.objects.filter(room="busy").order_by("id").values_list("seq", flat=True))
    assert by_id == list(range(1, 41))  # numbered in the order the rows were written


def test_the_login_form_is_throttled_like_the_ticket_endpoint(client, alice, throttle_rates, password):
    """The form checks the same passwords: unthrottled, it would be the guesser's way in."""
    throttle_rates(login="3/minute")
    wrong = [client.post("/login/", {"username": "alice", "password": "wrong"}) for _ in range(4)]
    assert [response.status_code for response in wrong] == [200, 200, 200, 429]
    assert int(wrong[-1]["Retry-After"]) > 0
    assert "Too many attempts from this address." in wrong[-1].content.decode()
    assert "_auth_user_id" not in client.session  # nobody logged in

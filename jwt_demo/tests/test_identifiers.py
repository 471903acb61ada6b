"""One account per person: usernames, email addresses and phone numbers that look different
but name the same thing are one identifier, whichever path writes them (API, admin, shell).

Unicode has many spellings of one text: "ａlice" (fullwidth) is "alice" after NFKC, which
Django applies to usernames (AbstractBaseUser.normalize_username); "alice@ｅxample.com" and
"x@STRASSE.de" reach the same mailbox as "alice@example.com" and "x@strasse.de", because
Django's mailer encodes the domain with IDNA (django.utils.encoding.punycode), which maps
case, width and "ß". An address IDNA cannot encode cannot be mailed at all.
"""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import normalize_email_address

User = get_user_model()


@pytest.fixture
def signup(api_client, password):
    """``signup(username=..., email=...)`` -> the response to POST /api/auth/signup/."""

    def post(**fields):
        return api_client.post("/api/auth/signup/", {"password": password, **fields})

    return post


def test_a_fullwidth_spelling_of_a_taken_username_is_400_not_500(user_factory, signup):
    user_factory(username="alice", email="alice@example.com")
    response = signup(username="\uff41lice", email="other@example.com")
    assert response.status_code == 400, response.content
    assert "username" in response.json()
    assert User.objects.count() == 1


def test_a_fullwidth_username_is_stored_and_logs_in_as_its_nfkc_form(api_client, db, signup, password):
    assert signup(username="\uff42ob", email="bob@example.com").json()["user"]["username"] == "bob"
    login = api_client.post("/api/token/", {"username": "\uff42ob", "password": password})
    assert login.status_code == 200, login.content


@pytest.mark.parametrize(
    "variant",
    [
        "alice@\uff45xample.com",  # fullwidth "ｅ" in the domain
        "alice@EXAMPLE.com",
        "ALICE@example.com",
    ],
)
def test_an_address_the_mailer_delivers_to_a_taken_mailbox_is_taken(user_factory, variant, signup):
    user_factory(username="alice", email="alice@example.com")
    response = signup(username="mallory", email=variant)
    assert response.status_code == 400, response.content
    assert response.json() == {"email": ["A user with that email already exists."]}


def test_a_german_sharp_s_domain_is_the_same_domain_for_the_mailer(user_factory, signup):
    user_factory(username="x", email="x@strasse.de")
    response = signup(username="mallory", email="x@stra\u00dfe.de")
    assert response.status_code == 400, response.content


def test_changing_the_email_to_a_variant_of_someone_elses_is_400(api_client, user_factory, signup, password):
    user_factory(username="alice", email="alice@example.com")
    tokens = signup(username="mallory", email="mallory@example.com").json()
    response = api_client.patch(
        "/api/auth/email/",
        {"email": "Alice@\uff45xample.com", "password": password},
        HTTP_AUTHORIZATION=f"Bearer {tokens['access']}",
    )
    assert response.status_code == 400, response.content
    assert "email" in response.json()
    assert User.objects.get(username="mallory").email == "mallory@example.com"


def test_login_and_forgot_find_the_account_by_any_spelling_of_its_address(
    api_client, user_factory, mailoutbox, password
):
    user_factory(username="alice", email="alice@example.com", password=password)
    login = api_client.post("/api/token/", {"email": "Alice@\uff25xample.com", "password": password})
    assert login.status_code == 200, login.content
    assert api_client.post("/api/auth/password/forgot/", {"email": "alice@\uff45xample.com"}).status_code == 202
    assert [message.to for message in mailoutbox] == [["alice@example.com"]]


UNMAILABLE = [
    "ld@" + "\u00e9" * 60 + ".com",  # a 60-letter label: its IDNA (punycode) form passes 63 letters
    "x@" + "\u0130" * 60 + ".com",
]


@pytest.mark.parametrize("address", UNMAILABLE)
def test_an_address_the_mailer_cannot_encode_is_400_naming_the_field(db, address, signup):
    response = signup(username="someone", email=address)
    assert response.status_code == 400, response.content
    assert "email" in response.json()
    assert not User.objects.exists()


@pytest.mark.parametrize("address", UNMAILABLE)
def test_forgot_with_an_address_the_mailer_cannot_encode_is_400_not_500(api_client, db, address):
    response = api_client.post("/api/auth/password/forgot/", {"email": address})
    assert response.status_code == 400, response.content
    assert "email" in response.json()


def test_a_stored_unmailable_address_cannot_make_forgot_fail(api_client, db, mailoutbox, password):
    # Written before this check existed (or by raw SQL): forgot must still answer 202 or 400.
    User.objects.create_user("old", "placeholder@example.com", password)
    User.objects.filter(username="old").update(email=UNMAILABLE[0])
    assert api_client.post("/api/auth/password/forgot/", {"email": UNMAILABLE[0]}).status_code in (202, 400)


def test_the_shell_stores_the_canonical_address_too(db, password):
    user = User.objects.create_user("carol", "Carol@\uff45xample.COM", password)
    user.refresh_from_db()
    assert user.email == "carol@example.com"
    assert normalize_email_address(" Carol@Example.com ") == "carol@example.com"


def admin_add(admin_client, password, **fields):
    body = {"username": "newbie", "password1": password, "password2": password, "usable_password": "true", **fields}
    return admin_client.post("/admin/accounts/user/add/", body)


def test_the_admin_add_form_asks_for_the_email_so_a_second_user_is_no_500(admin_client, password):
    assert admin_add(admin_client, password, email="first@example.com").status_code == 302
    response = admin_add(admin_client, password, username="second", email="second@example.com")
    assert response.status_code == 302, response.content[:2000]
    assert set(User.objects.values_list("email", flat=True)) >= {"first@example.com", "second@example.com"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "Alice@Example.com"), ("email", "alice@\uff45xample.com"), ("phone", "(415) 555-2671"), ("phone", "12")],
)
def test_the_admin_refuses_a_spelling_of_a_taken_or_invalid_value_with_a_form_error(
    admin_client, user_factory, field, value
):
    user_factory(username="alice", email="alice@example.com", phone="+14155552671")
    bob = user_factory(username="bob", email="bob@example.com")
    body = {
        "username": "bob",
        "email": "bob@example.com",
        "phone": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
        field: value,
    }
    response = admin_client.post(f"/admin/accounts/user/{bob.pk}/change/", body)
    assert response.status_code == 200, response.status_code  # the form again, with its error
    assert field in response.context["adminform"].form.errors
    bob.refresh_from_db()
    assert getattr(bob, field) == {"email": "bob@example.com", "phone": None}[field]


@pytest.mark.parametrize(
    ("path", "field", "taken"),
    [("/api/auth/email/", "email", "alice@example.com"), ("/api/auth/phone/", "phone", "(415) 555-2671")],
)
def test_a_contact_change_with_a_wrong_password_does_not_tell_whether_the_value_is_taken(
    api_client, user_factory, path, field, taken, signup
):
    # A stolen access token without the password must not probe which addresses have accounts.
    user_factory(username="alice", email="alice@example.com", phone="+14155552671")
    tokens = signup(username="mallory", email="mallory@example.com").json()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['access']}"}
    free = {"email": "free@example.com", "phone": "+14155552999"}[field]
    answers = [api_client.patch(path, {field: value, "password": "a wrong guess"}, **auth) for value in (taken, free)]
    assert [answer.status_code for answer in answers] == [400, 400]
    assert answers[0].json() == answers[1].json() == {"password": ["Wrong password."]}


@pytest.mark.parametrize("variant", ["Alice", "ALICE", "\uff21lice"])
def test_a_case_variant_of_a_taken_username_is_taken_as_in_djangos_own_forms(user_factory, variant, signup):
    # Django's UserCreationForm (the admin's add form) refuses it (username__iexact); the API must agree,
    # or "Alice" and "alice" are two accounts that people, and support staff, take for one.
    user_factory(username="alice", email="alice@example.com")
    response = signup(username=variant, email="other@example.com")
    assert response.status_code == 400, response.content
    assert response.json() == {"username": ["A user with that username already exists."]}

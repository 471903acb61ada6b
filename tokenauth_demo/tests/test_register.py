"""POST /demotoken/register/: 201 with a token, or 400 naming the field."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework.authtoken.models import Token

from tokens.models import PersonalDetail
from tokens.serializers import RegisterSerializer

User = get_user_model()
URL = "/demotoken/register/"
VALID_PASSWORD = "a valid passphrase 64"  # passes every password validator


@pytest.mark.django_db
def test_register_returns_201_with_username_and_the_signal_created_token(api_client, password):
    response = api_client.post(URL, {"username": "ravi", "password": password})

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"response", "username", "token"}
    assert body["response"] == "User created successfully"
    assert body["username"] == "ravi"
    assert body["token"] == Token.objects.get(user__username="ravi").key
    assert PersonalDetail.objects.filter(user__username="ravi").count() == 1


@pytest.mark.django_db
def test_register_hashes_the_password_and_never_returns_it(api_client, password):
    response = api_client.post(URL, {"username": "ravi", "password": password})

    user = User.objects.get(username="ravi")
    assert user.password != password  # the token-auth tutorial saved it as typed
    assert user.check_password(password)
    assert password not in response.content.decode()


@pytest.mark.django_db
def test_register_stores_the_optional_email_and_accepts_form_data(api_client, password):
    response = api_client.post(
        URL, {"username": "ravi", "password": password, "email": "r@example.com"}, format="multipart"
    )

    assert response.status_code == 201
    assert User.objects.get(username="ravi").email == "r@example.com"


@pytest.mark.django_db
def test_new_users_are_never_staff_or_superuser(api_client, password):
    api_client.post(URL, {"username": "ravi", "password": password})
    api_client.post(URL, {"username": "anuj", "password": password, "is_superuser": True, "is_staff": True})

    assert User.objects.count() == 2
    assert not User.objects.filter(is_staff=True).exists()
    assert not User.objects.filter(is_superuser=True).exists()


@pytest.mark.django_db
def test_duplicate_username_is_a_400_naming_username(api_client, user, password):
    response = api_client.post(URL, {"username": user.username, "password": password})

    assert response.status_code == 400
    assert list(response.json()) == ["username"]
    assert User.objects.filter(username=user.username).count() == 1


@pytest.mark.django_db
def test_username_taken_between_validation_and_insert_is_still_a_400(user, password):
    # Two sign-ups racing: both pass the UniqueValidator, the unique index refuses one.
    serializer = RegisterSerializer()
    with pytest.raises(serializers.ValidationError) as error:
        serializer.create({"username": user.username, "password": password})

    assert list(error.value.detail) == ["username"]
    assert User.objects.filter(username=user.username).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        pytest.param({"password": VALID_PASSWORD}, ["username"], id="no-username"),
        pytest.param({"username": "ravi"}, ["password"], id="no-password"),
        pytest.param({}, ["username", "password"], id="nothing"),
        pytest.param({"username": "", "password": VALID_PASSWORD}, ["username"], id="blank-username"),
        pytest.param({"username": "ravi", "password": ""}, ["password"], id="blank-password"),
        pytest.param({"username": "bad name!", "password": VALID_PASSWORD}, ["username"], id="bad-chars"),
        pytest.param({"username": "x" * 151, "password": VALID_PASSWORD}, ["username"], id="too-long"),
        pytest.param({"username": "nul\u0000byte", "password": VALID_PASSWORD}, ["username"], id="nul-byte"),
        pytest.param(
            {"username": "ravi", "password": VALID_PASSWORD, "email": "not-an-email"}, ["email"], id="bad-email"
        ),
    ],
)
def test_missing_or_invalid_field_is_a_400_naming_it(api_client, payload, fields):
    response = api_client.post(URL, payload)

    assert response.status_code == 400
    assert sorted(response.json()) == sorted(fields)
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc1", "too short"),
        ("password123", "too common"),
        ("83749205718", "entirely numeric"),
        ("ravishankar1", "too similar"),
    ],
)
def test_weak_password_is_a_400_naming_password(api_client, password, message):
    response = api_client.post(URL, {"username": "ravishankar", "password": password, "email": "ravi@example.com"})

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert any(message in text for text in response.json()["password"])
    assert not User.objects.exists()
    assert not Token.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type"),
    [("[1, 2]", "application/json"), ('"just a string"', "application/json"), ("{not json", "application/json")],
    ids=["list", "string", "malformed"],
)
def test_a_body_that_is_not_an_object_is_a_400(api_client, body, content_type):
    response = api_client.post(URL, body, content_type=content_type)

    assert response.status_code == 400
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_ignores_a_stale_or_garbage_authorization_header(api_client, password):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-key")

    response = api_client.post(URL, {"username": "ravi", "password": password})

    assert response.status_code == 201


@pytest.mark.django_db
def test_register_only_accepts_post(api_client):
    assert api_client.get(URL).status_code == 405


def test_json_nested_too_deeply_is_400_not_500(client, db):
    # Python's json module raises RecursionError here, which DRF's stock parser lets
    # through as a 500; config/parsers.py turns it into an ordinary 400.
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/demotoken/register/", deep, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "ravi", "password": "p" * 129}, "password"),
        ({"username": "ravi", "password": VALID_PASSWORD, "email": "r" * 250 + "@example.com"}, "email"),
    ],
    ids=["password-129", "email-262"],
)
def test_every_input_is_bounded_and_over_the_bound_is_a_400_naming_it(api_client, payload, field):
    response = api_client.post(URL, payload)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert payload[field] not in response.content.decode()


@pytest.mark.django_db
def test_an_empty_email_is_no_email(api_client, password):
    assert api_client.post(URL, {"username": "ravi", "password": password, "email": ""}).status_code == 201
    assert User.objects.get(username="ravi").email == ""

"""The post_save receiver: one token and one PersonalDetail per new user, nothing else."""

import json
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DatabaseError
from django.db.models.signals import post_save
from rest_framework.authtoken.models import Token

from tokens import receivers
from tokens.models import PersonalDetail
from tokens.pitfalls import tutorial_after_save_user

User = get_user_model()


def test_creating_a_user_sends_post_save_for_user_token_and_personal_detail(db, signal_recorder, password):
    with signal_recorder(post_save) as rec:
        user = User.objects.create_user(username="ravi", password=password)

    rec.assert_sent_once(post_save, sender=User, instance=user, created=True, raw=False)
    rec.assert_sent_once(post_save, sender=Token, created=True)
    rec.assert_sent_once(post_save, sender=PersonalDetail, created=True)
    assert Token.objects.filter(user=user).count() == 1
    assert PersonalDetail.objects.filter(user=user).count() == 1
    assert str(user.personal_detail) == "personal detail of ravi"


def test_saving_an_existing_user_again_creates_nothing(user, key, count_queries):
    with count_queries() as queries:
        user.first_name = "Alice"
        user.save()
    assert Token.objects.get(user=user).key == key  # exactly one token, unchanged

    with count_queries() as password_queries:
        user.set_password("another good passphrase")
        user.save()

    assert queries.matching("insert into") + password_queries.matching("insert into") == []
    # A password change ends the key (pitfall 4) and creates no new one: login does that.
    assert not Token.objects.filter(user=user).exists()
    assert PersonalDetail.objects.filter(user=user).count() == 1


def test_receiver_is_connected_once_even_if_connect_runs_again(db, password):
    receivers.connect()  # e.g. a second ready(): dispatch_uid makes this a no-op

    user = User.objects.create_user(username="ravi", password=password)

    assert Token.objects.filter(user=user).count() == 1
    assert post_save.has_listeners(User)


def test_receiver_follows_auth_user_model(db, password):
    user_model_label = settings.AUTH_USER_MODEL
    assert user_model_label == User._meta.label
    assert receivers.disconnect() is True  # it was connected for exactly that sender
    try:
        user = User.objects.create_user(username="ravi", password=password)
        assert not Token.objects.filter(user=user).exists()
    finally:
        receivers.connect()


def test_loaddata_raw_saves_create_no_token(db, tmp_path):
    # Fixtures are loaded with raw=True: they bring their own tokens and profiles, so
    # the receiver must not add (or collide with) any.
    fixture = tmp_path / "users.json"
    fixture.write_text(
        json.dumps([{"model": "auth.user", "pk": 50, "fields": {"username": "fixture", "password": "!"}}])
    )

    call_command("loaddata", str(fixture), verbosity=0)

    assert User.objects.filter(username="fixture").exists()
    assert not Token.objects.exists()
    assert not PersonalDetail.objects.exists()


def test_a_failing_receiver_leaves_no_half_written_user(api_client, db, password):
    # The user, its token and its PersonalDetail are written in one transaction.
    with (
        mock.patch.object(PersonalDetail.objects, "create", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        api_client.post("/demotoken/register/", {"username": "ravi", "password": password})

    assert not User.objects.filter(username="ravi").exists()
    assert not Token.objects.exists()


def test_new_users_created_in_code_are_not_staff_or_superuser(user):
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (False, False)


@pytest.fixture
def tutorial_receiver_instead_of_ours(db):
    receivers.disconnect()
    post_save.connect(tutorial_after_save_user, sender=User, dispatch_uid="tests.tutorial_after_save_user")
    yield
    post_save.disconnect(sender=User, dispatch_uid="tests.tutorial_after_save_user")
    receivers.connect()


def test_the_tutorials_receiver_makes_every_user_superuser_anti_pattern(
    api_client, tutorial_receiver_instead_of_ours, signal_recorder, password
):
    with signal_recorder(post_save) as rec:
        response = api_client.post("/demotoken/register/", {"username": "ravi", "password": password})

    assert response.status_code == 201
    user = User.objects.get(username="ravi")
    # Anyone who can sign up now owns the admin site...
    assert user.is_superuser
    assert user.is_staff
    # ...and instance.save() inside post_save sends post_save for the user a second time.
    assert [call.kwargs["created"] for call in rec.filter(post_save, sender=User)] == [False, True]


def test_our_receiver_makes_no_one_superuser_fix(api_client, db, signal_recorder, password):
    with signal_recorder(post_save) as rec:
        api_client.post("/demotoken/register/", {"username": "ravi", "password": password})

    user = User.objects.get(username="ravi")
    assert not user.is_superuser
    assert not user.is_staff
    rec.assert_sent_once(post_save, sender=User)

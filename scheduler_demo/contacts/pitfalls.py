"""Trap code, kept out of the app: what the tests of tests/test_pitfalls.py prove wrong."""

from django.db.models import Q

from .models import State, UserContact


def link_on_any_address(user):
    """Pitfall 10, the trap: link contacts on the address typed at sign-up, proven or not
    (the django-base project's post_save receiver). Sign up with bob@example.com and every contact list
    holding Bob's address now shows your account as Bob, and never invites him again.
    The fix, contacts/members.py: link only verified addresses."""
    match = Q(pk__in=[])
    if user.email:
        match |= Q(email=user.email.lower())
    if user.phone:
        match |= Q(phone_number=user.phone)
    return UserContact.objects.filter(match).update(state=State.ALREADY_MEMBER, registered=True, contact=user)


def import_one_row_at_a_time(user, contacts):
    """Pitfalls 4 and 5, the trap: the django-base project's task body, one create() per contact
    (a query per row: 10,000 round trips for 10,000 contacts) and any error printed and
    swallowed. The fix, contacts/importer.py: bulk_create() per batch, errors raised."""
    for contact in contacts:
        try:
            UserContact.objects.create(
                user=user, source="phone", first_name=contact["name"], phone_number=contact["phone"]
            )
        except Exception as error:  # noqa: BLE001 - the trap: reproducing the django-base project
            print(error)

"""Who a contact is: a member whose VERIFIED email or phone the contact holds.

Matching on an address nobody proved would let anyone claim anyone's contacts: sign up as
bob@example.com and every contact list holding Bob's address shows your account as Bob,
and stops inviting him (tests/test_pitfalls.py, pitfall 10; the trap is contacts/pitfalls.py).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Lower

from .models import State, UserContact


def verified_addresses(user):
    """Q() matching the contacts that hold one of ``user``'s verified addresses."""
    match = Q(pk__in=[])
    if user.email and user.email_verified:
        match |= Q(email=user.email.lower())
    if user.phone and user.phone_verified:
        match |= Q(phone_number=user.phone)
    return match


def link_contacts_to(user):
    """Every contact holding a verified address of ``user`` becomes "already member" (one
    UPDATE); -> how many changed (the ones linked to ``user`` already are left alone)."""
    return (
        UserContact.objects.filter(verified_addresses(user))
        .exclude(contact=user)
        .update(state=State.ALREADY_MEMBER, registered=True, contact=user)
    )


def verified_members(emails, phones):
    """The users who proved one of these emails (lower-case) or phones (for the import)."""
    users = get_user_model().objects.annotate(email_lower=Lower("email"))
    return users.filter(Q(email_verified=True, email_lower__in=emails) | Q(phone_verified=True, phone__in=phones))

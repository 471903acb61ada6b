"""Signal receivers of the contacts app (connected in ContactsConfig.ready()). Each engine's
"a task failed for good" receiver is in its own file (scheduler/engines/)."""

from .members import link_contacts_to


def mark_contacts_as_members(sender, instance, created, raw=False, **kwargs):
    """post_save of AUTH_USER_MODEL: a new user whose VERIFIED email or phone is someone's
    contact turns those contacts into "already member" (one UPDATE). A sign-up through
    the API has proven nothing yet: its contacts are linked when the email is verified
    (accounts/views.py, VerifyEmailView); a user created verified (by staff) links now."""
    if not created or raw:  # raw: loaddata, the contacts in the fixture say it already
        return
    link_contacts_to(instance)

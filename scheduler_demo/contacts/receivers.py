"""Signal receivers of the contacts app (connected in ContactsConfig.ready())."""

import json

from .members import link_contacts_to
from .models import UserContactsImport


def mark_contacts_as_members(sender, instance, created, raw=False, **kwargs):
    """post_save of AUTH_USER_MODEL: a new user whose VERIFIED email or phone is someone's
    contact turns those contacts into "already member" (one UPDATE). A sign-up through
    the API has proven nothing yet: its contacts are linked when the email is verified
    (accounts/views.py, VerifyEmailView); a user created verified (by staff) links now."""
    if not created or raw:  # raw: loaddata, the contacts in the fixture say it already
        return
    link_contacts_to(instance)


# Each engine tells its own way that a task failed for good; all three mark the import.


def mark_import_failed(sender, task_id, completed_task, **kwargs):
    """background_task's task_failed: the import task used up its attempts."""
    from .tasks import IMPORT_TASK_NAME

    if completed_task.task_name != IMPORT_TASK_NAME:
        return
    args, task_kwargs = json.loads(completed_task.task_params)
    _mark_failed(args[0] if args else task_kwargs.get("import_id"))


def mark_import_failed_django_tasks(sender, task_result, **kwargs):
    """Django Tasks' task_finished: no retries there, so a FAILED result is final."""
    from .dj_tasks import import_contacts

    if task_result.task.module_path == import_contacts.module_path and task_result.status == "FAILED":
        _mark_failed(task_result.args[0] if task_result.args else task_result.kwargs.get("import_id"))


def mark_import_failed_celery(sender, args=(), kwargs=None, **extra):
    """Celery's task_failure: sent once the retries are used up (a retry sends task_retry)."""
    if sender.name == "contacts.import_contacts":
        _mark_failed(args[0] if args else (kwargs or {}).get("import_id"))


def _mark_failed(import_id):
    UserContactsImport.objects.filter(pk=import_id).update(status=UserContactsImport.Status.FAILED)

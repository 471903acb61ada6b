"""Trap code for pitfalls 2-6, labelled as such. Tests and the tour connect these to
show each trap next to its fix; the app itself never does. See tests/test_pitfalls.py."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models.signals import post_save

from .models import Student


# Pitfall 2: a side effect sent immediately, inside the transaction.
def notify_office_immediately(sender, instance, created, **kwargs):
    if created:
        send_mail(f"New student: {instance.name}", "sent before COMMIT", None, [settings.SCHOOL_OFFICE_EMAIL])


# Pitfall 3: a receiver built by a function. Each call makes a *new* function object, so
# calling it twice (a ready() that runs twice, a plugin registered twice) connects it twice.
def connect_office_counter(counter, dispatch_uid=None):
    def count_new_student(sender, instance, created, **kwargs):
        if created:
            counter.append(instance.pk)

    post_save.connect(count_new_student, sender=Student, weak=False, dispatch_uid=dispatch_uid)
    return count_new_student


# Pitfall 4: a local function connected with the default weak=True. Once this function
# returns, nothing references the receiver; the garbage collector frees it and the
# signal silently drops it.
def connect_local_receiver(seen, weak=True, dispatch_uid=None):
    def remember(sender, instance, **kwargs):
        seen.append(instance.name)

    post_save.connect(remember, sender=Student, weak=weak, dispatch_uid=dispatch_uid)


# Pitfall 5: save() inside post_save. The second save sends post_save again (created=False),
# and anything that saves unconditionally recurses until RecursionError.
def capitalise_after_save(sender, instance, created, **kwargs):
    if created:
        instance.name = instance.name.title()
        instance.save()


# Pitfall 5b: a receiver that ignores raw=True creates rows while loaddata restores them.
def create_detail_ignoring_raw(sender, instance, created, **kwargs):
    from .models import PersonalDetail

    if created:
        PersonalDetail.objects.create(student=instance)


# Pitfall 6: delete the replaced picture in pre_save, before the change is committed. When
# the transaction rolls back, the row names the old file again, and the file is gone.
def delete_replaced_picture_at_once(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    old_name = sender._base_manager.filter(pk=instance.pk).values_list("pic", flat=True).first()
    if old_name and old_name != instance.pic.name:
        instance.pic.storage.delete(old_name)

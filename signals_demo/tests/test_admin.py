"""The admin, where a receiver-created row meets an inline that would create it too."""

import pytest

from students.models import PersonalDetail, Student

pytestmark = pytest.mark.django_db
INLINE = "personal_detail"  # the inline formset's prefix


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("head", "head@example.com", "a long passphrase"))
    return client


def test_adding_a_student_with_its_details_filled_in_makes_one_personal_detail(admin_client):
    # post_save (create_personal_detail) creates the PersonalDetail while the Student is
    # saved; an inline on the add page would then INSERT a second one for the same student:
    # IntegrityError, a 500. The details are edited on the change page, once they exist.
    form = {"name": "Ravi", "age": "23", "mobileno": "+91 98765 43210"}
    formset = {f"{INLINE}-TOTAL_FORMS": "1", f"{INLINE}-INITIAL_FORMS": "0", f"{INLINE}-0-address": "12 Park Road"}
    assert f"{INLINE}-TOTAL_FORMS" not in admin_client.get("/admin/students/student/add/").content.decode()
    response = admin_client.post("/admin/students/student/add/", {**form, **formset})
    assert response.status_code == 302
    student = Student.objects.get()
    assert PersonalDetail.objects.filter(student=student).count() == 1
    change_page = admin_client.get(f"/admin/students/student/{student.pk}/change/").content.decode()
    assert f"{INLINE}-TOTAL_FORMS" in change_page

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)  # the tour commits and rolls back for real
def test_tour_runs_every_step_and_prints_signals_but_no_secret():
    out = StringIO()
    call_command("tour", stdout=out)
    text = out.getvalue()
    assert "Tour complete" in text
    assert text.count("✓") >= 15
    for expected in (
        "signal: post_save(Student) created=True",
        "signal: m2m_changed(Student_courses) action=post_add",
        "signal: student_enrolled(Student)",
        "signal: user_login_failed(django.contrib.auth) credentials={'password': <not shown>, 'username': <not shown>}",
        "(no signal printed above: that is the trap)",
        "emails sent: ['New student: Ghost']",
    ):
        assert expected in text

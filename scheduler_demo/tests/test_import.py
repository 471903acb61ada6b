"""The import job itself: row cleaning, merging, batching, resuming."""

import io

import pytest
from django.core.management import call_command

from contacts import importer
from contacts.importer import InvalidRow, InvalidUpload, clean_row, rows_from_csv, run_import
from contacts.models import UserContact, UserContactsImport

pytestmark = pytest.mark.django_db


def good_rows(count, start=0):
    return [
        {"name": f"Person {n}", "phone": f"+44770{n:07d}", "email": f"p{n}@example.com"} for n in range(start, count)
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {"name": "Ada King Lovelace", "phone": " +44 (20) 7946-0000 "},
            ("Ada", "King Lovelace", None, "+442079460000"),
        ),
        ({"email": " ADA@Example.COM "}, ("", "", "ada@example.com", None)),
        ({"name": "Ada", "phone": 4420794600, "email": ""}, ("Ada", "", None, "4420794600")),
        ({"name": "Ada", "phone": "20 7946 0000", "phone_code": "44"}, ("Ada", "", None, "+442079460000")),
    ],
)
def test_clean_row_normalizes(row, expected):
    data = clean_row(row)
    assert (data.first_name, data.last_name, data.email, data.phone_number) == expected


@pytest.mark.parametrize(
    "row",
    [
        {"name": "No contact"},
        {"name": "Short", "phone": "12345"},
        {"name": "Letters", "phone": "+44 abc 123456"},
        {"name": "Sixteen", "phone": "1234567890123456"},
        {"name": "Bool", "phone": True},
        {"name": "Mail", "email": "not-an-email"},
        {"name": "Mail", "email": 42},
        {"name": ["list"], "email": "a@example.com"},
        {"name": "x" * 101, "email": "a@example.com"},
        {"name": "Code", "phone": "7946 0000", "phone_code": "+12345"},
        "a string",
        None,
    ],
)
def test_bad_rows_are_invalid(row):
    with pytest.raises(InvalidRow):
        clean_row(row)


def test_rows_from_csv_reads_known_columns_and_refuses_a_csv_without_them():
    rows = rows_from_csv("EMAIL, Name ,phone,extra\na@example.com,Ann,,x\n,,,\n,Bo,+4412345678,y,overflow\n")
    assert rows == [{"email": "a@example.com", "name": "Ann"}, {}, {"name": "Bo", "phone": "+4412345678"}]
    with pytest.raises(InvalidUpload):
        rows_from_csv("first;last\nA;B\n")
    with pytest.raises(InvalidUpload):
        rows_from_csv("")


def test_rows_from_csv_reads_every_line_ending_and_refuses_an_unreadable_header():
    # Found by the fuzzer: a bare \r in the header row (or any csv.Error there) was a 500.
    assert rows_from_csv("name,phone\rAda,+441234567\r\nBob,+441234568\n") == [
        {"name": "Ada", "phone": "+441234567"},
        {"name": "Bob", "phone": "+441234568"},
    ]
    with pytest.raises(InvalidUpload, match="Unreadable CSV"):
        rows_from_csv("phone," + "x" * 200_000 + "\n+441234567\n")  # over csv.field_size_limit()


def test_duplicates_are_merged_within_a_batch_and_across_batches(alice, make_import):
    rows = [
        {"name": "Ann", "phone": "+441111111"},
        {"name": "Ann Smith", "phone": "+441111111", "email": "ann@example.com"},  # merges email + last name
        {"email": "ann@example.com", "phone": "+442222222"},  # same email: duplicate of Ann
        {"name": "Bo", "email": "bo@example.com"},
        {"name": "Bo Later", "email": "bo@example.com", "phone": "+443333333"},  # next batch: merges phone
        {"name": "Cy", "phone": "+443333333"},  # phone now belongs to Bo: duplicate
    ]
    record = run_import(make_import(alice, rows).pk, batch_size=4)
    assert (record.created, record.duplicates, record.invalid, record.processed) == (2, 4, 0, 6)
    ann, bo = UserContact.objects.order_by("first_name")
    assert (ann.first_name, ann.last_name, ann.email, ann.phone_number) == (
        "Ann",
        "Smith",
        "ann@example.com",
        "+441111111",
    )
    assert (bo.email, bo.phone_number, bo.last_name) == ("bo@example.com", "+443333333", "Later")


def test_a_row_matching_two_existing_contacts_is_a_duplicate_and_changes_neither(alice, make_import):
    UserContact.objects.create(user=alice, source="phone", first_name="P", phone_number="+441111111")
    UserContact.objects.create(user=alice, source="phone", first_name="E", email="e@example.com")
    record = run_import(make_import(alice, [{"phone": "+441111111", "email": "e@example.com"}]).pk)
    assert (record.created, record.duplicates) == (0, 1)
    assert UserContact.objects.get(first_name="P").email is None


def test_contacts_of_different_users_never_collide(alice, user_factory, make_import):
    bob = user_factory(username="bob")
    rows = good_rows(5)
    assert run_import(make_import(alice, rows).pk).created == 5
    assert run_import(make_import(bob, rows).pk).created == 5
    assert UserContact.objects.count() == 10


def test_counts_always_add_up_and_errors_are_capped(alice, make_import):
    rows = [{"name": f"Bad {n}"} for n in range(120)] + good_rows(30) + good_rows(10)
    record = run_import(make_import(alice, rows).pk, batch_size=50)
    assert (record.created, record.duplicates, record.invalid) == (30, 10, 120)
    assert record.created + record.duplicates + record.invalid == record.processed == record.total
    assert len(record.errors) == importer.MAX_REPORTED_ERRORS and record.errors[0]["row"] == 1
    assert record.rows == [] and record.finished_at is not None  # the payload is dropped when done


def test_a_finished_import_is_left_alone(alice, make_import, count_queries):
    record = run_import(make_import(alice, good_rows(3)).pk)
    with count_queries() as queries:
        again = run_import(record.pk)
    assert again.created == 3 and queries.count == 1 and UserContact.objects.count() == 3


def test_missing_import_raises_so_the_task_fails_visibly():
    with pytest.raises(UserContactsImport.DoesNotExist):
        run_import(987654)


def test_benchmark_command_reports_time_and_queries():
    out = io.StringIO()
    call_command("import_benchmark", rows=250, batch_size=100, stdout=out)
    text = out.getvalue()
    assert "rows: 250 in 3 batches of 100" in text
    assert "created=245 duplicates=2 invalid=3" in text
    assert "queries:" in text and "time:" in text
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="import-benchmark").exists()


@pytest.mark.parametrize(
    ("typed", "code", "stored"),
    [
        ("+44 (0) 20 7946 0958", "", "+442079460958"),  # the "(0)" a caller from abroad leaves out
        ("+٤٤ ٢٠ ٧٩٤٦ ٠٩٥٨", "", "+442079460958"),  # Arabic-Indic digits
        ("٠١٢٣٤٥٦٧٨٩", "", "0123456789"),  # no country: its digits, in ASCII
        ("020 7946 0958", "+44", "+442079460958"),  # the trunk 0 dropped with a country code
        ("＋44 20 7946 0958", "", "+442079460958"),  # a fullwidth plus
    ],
)
def test_phones_are_stored_in_e164_whatever_the_digits(typed, code, stored):
    """Once "+44 (0) 20 ..." was stored as +4402079460958 and Arabic-Indic digits refused."""
    assert importer.normalize_phone(typed, code) == stored

"""Exports the shipped samples do not cover, each imported whole or refused naming its line.

Written from the outside: Excel's "sep=;" line, vCard 4.0's tel: URIs, Google's 2024
layout with labels and custom fields, Outlook's "E-mail 2 Address", PHOTO blobs in folded
lines, CR/LF/CRLF, UTF-16 with a byte-order mark, comments above the header.
"""

import base64
import codecs

import pytest

from contacts.models import UserContact
from tests.test_formats import assert_accounted_for, imported, upload

pytestmark = pytest.mark.django_db


def contacts_of(user):
    fields = ("first_name", "last_name", "phone_number", "email", "other_phones", "other_emails")
    return sorted(UserContact.objects.filter(user=user).values_list(*fields))


def test_excels_sep_line_names_the_separator_and_lines_stay_physical(alice, alice_client, committed, run_tasks):
    """Once refused with a 400: the "sep=;" line was read as the header."""
    body = b"sep=;\r\nName;Phone;E-mail\r\nLea;+44 7700 900010;lea@example.com\r\nBad;12;\r\nMo;+44 7700 900011;\r\n"
    status = imported(alice_client, committed, run_tasks, "excel.csv", body)
    assert_accounted_for(status, 3, [4])  # the bad row is on physical line 4
    assert "Separated by semicolons." in status["notes"]
    assert [c[:4] for c in contacts_of(alice)] == [
        ("Lea", "", "+447700900010", "lea@example.com"),
        ("Mo", "", "+447700900011", None),
    ]


def test_a_sep_line_then_a_bad_header_is_refused_naming_line_2(alice_client):
    response = upload(alice_client, "excel.csv", codecs.BOM_UTF8 + b"sep=,\nName,Name\nA,B\n")
    assert response.status_code == 400
    assert response.json()["file"][0].startswith("Line 2: columns 1 ('Name') and 2 ('Name')")


def test_comments_above_the_header_are_refused_naming_the_line(alice_client):
    response = upload(
        alice_client, "crm.csv", b"# Exported by CRM 2.0\n# 2026-12-01\nname,phone\nNed,+44 7700 900012\n"
    )
    assert response.status_code == 400
    assert response.json()["file"][0].startswith("Line 1, read as the header:")


def test_vcard_4_tel_uris_are_phone_numbers(alice, alice_client, committed, run_tasks):
    """vCard 4.0 (RFC 6350) writes TEL;VALUE=uri:tel:+1-555-...;ext=102. Once every such
    contact was an invalid row ("Enter a phone number"), its numbers lost."""
    card = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Eli Fox\r\nN:Fox;Eli;;;\r\n"
        'TEL;VALUE=uri;TYPE="cell,voice";PREF=1:tel:+1-555-555-0103\r\n'
        "TEL;VALUE=uri;TYPE=work:tel:+1-555-555-0104;ext=102\r\nEMAIL;TYPE=work:eli@example.com\r\nEND:VCARD\r\n"
    )
    status = imported(alice_client, committed, run_tasks, "v4.vcf", card.encode(), "text/vcard")
    assert_accounted_for(status, 1, [])
    assert contacts_of(alice) == [("Eli", "Fox", "+15555550103", "eli@example.com", ["+15555550104"], [])]


def photo_card(version, newline):
    photo = base64.b64encode(bytes(range(256)) * 40).decode()
    folded = (newline + " ").join(photo[i : i + 74] for i in range(0, len(photo), 74))
    lines = ["BEGIN:VCARD", f"VERSION:{version}", "N:Gale;Fay;;;", "FN:Fay Gale", "TEL;type=CELL:+44 7700 9"]
    lines += [" 00005", f"PHOTO;ENCODING={'b' if version == '3.0' else 'BASE64'};TYPE=JPEG:{folded}", "END:VCARD"]
    return (newline.join(lines) + newline).encode()


@pytest.mark.parametrize(("version", "newline"), [("3.0", "\r\n"), ("2.1", "\n")])
def test_a_photo_blob_in_folded_lines_is_skipped_and_the_folded_phone_joined(
    alice, alice_client, committed, run_tasks, version, newline
):
    status = imported(alice_client, committed, run_tasks, "photo.vcf", photo_card(version, newline), "text/vcard")
    assert_accounted_for(status, 1, [])
    assert contacts_of(alice) == [("Fay", "Gale", "+447700900005", None, [], [])]


GOOGLE_2024 = (
    "First Name,Middle Name,Last Name,Nickname,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,"
    "E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,"
    "Custom Field 1 - Label,Custom Field 1 - Value,Labels\n"
    "Ann,,Lee,,* Home,ann@example.com,Work,ann.work@example.com,Mobile,+44 7700 900001,Home,+44 20 7946 0001,"
    "Team,Blue,* myContacts ::: Friends\n"
    "Ben,,Ng,,,,,,Mobile,+44 7700 900002 ::: +44 7700 900003,,,,,* myContacts\n"
)
OUTLOOK_EMAIL_2 = (
    '"First Name","Last Name","E-mail Address","E-mail Display Name","E-mail 2 Address","Mobile Phone",'
    '"Business Fax","Home Phone"\r\n'
    '"Dan","Eve","dan@example.com","Dan Eve (dan@example.com)","dan2@example.com","+49 151 2345678",'
    '"+49 30 1234","+49 30 5678"\r\n'
)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "google.csv",
            codecs.BOM_UTF8 + GOOGLE_2024.encode(),
            [
                ("Ann", "Lee", "+447700900001", "ann@example.com", ["+442079460001"], ["ann.work@example.com"]),
                ("Ben", "Ng", "+447700900002", None, ["+447700900003"], []),
            ],
        ),
        (
            "outlook.csv",
            OUTLOOK_EMAIL_2.encode("cp1252"),
            [("Dan", "Eve", "+491512345678", "dan@example.com", ["+49305678"], ["dan2@example.com"])],
        ),
        (
            "cr.csv",
            b"name,phone\rIan,+44 7700 900007\rJo,+44 7700 900008\r",
            [("Ian", "", "+447700900007", None, [], []), ("Jo", "", "+447700900008", None, [], [])],
        ),
        (
            "utf16.csv",
            "name\tphone\r\nKé Lu\t+44 7700 900009\r\n".encode("utf-16"),
            [("Ké", "Lu", "+447700900009", None, [], [])],
        ),
    ],
)
def test_exports_the_samples_do_not_cover_are_read_whole(
    alice, alice_client, committed, run_tasks, name, content, expected
):
    status = imported(alice_client, committed, run_tasks, name, content)
    assert_accounted_for(status, len(expected), [])
    assert contacts_of(alice) == expected


def test_the_same_person_across_rows_is_one_contact_and_every_row_counted(alice, alice_client, committed, run_tasks):
    body = b"name,phone,email\nOla,+44 7700 900013,ola@example.com\nOla,+447700900013,\nOla,,OLA@example.com\n"
    status = imported(alice_client, committed, run_tasks, "dups.csv", body)
    assert_accounted_for(status, 3, [])
    assert (status["created"], status["duplicates"]) == (1, 2)
    assert contacts_of(alice) == [("Ola", "", "+447700900013", "ola@example.com", [], [])]

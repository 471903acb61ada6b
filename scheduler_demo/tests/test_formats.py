"""What people export, imported whole: the shipped samples and a corpus of broken files.

Each accepted file is accounted for exactly: ``total`` is the number of contacts in the
file, ``processed == created + duplicates + invalid == total``, and every bad row is
listed with the physical line it starts on (multi-line quoted cells counted right). A
file that cannot be read whole is refused with a 400 naming the line, and nothing is
written. Once, only a UTF-8 ``name,phone,email`` CSV worked; a lenient csv reader turned
an unclosed quote into one endless cell, and 990 of 1,000 rows vanished.
"""

import contextlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import UserContact, UserContactsImport

pytestmark = pytest.mark.django_db

SAMPLES = Path(settings.BASE_DIR) / "contacts" / "samples"
# file -> (format, encoding, contacts in the file, lines of its invalid rows)
EXPECTED = {
    "google.csv": ("google_csv", "UTF-8 (with BOM)", 5, [9]),
    "outlook.csv": ("outlook_csv", "Windows-1252 (not UTF-8: line 2 holds byte 0xe7)", 4, [4]),
    "iphone.vcf": ("vcard", "UTF-8", 3, []),
    "android.vcf": ("vcard", "UTF-8", 4, [17]),
    "excel-semicolon.csv": ("csv", "UTF-8 (with BOM)", 4, [5]),
    "contacts.tsv": ("csv", "UTF-8", 3, []),
}


def upload(client, name, content, content_type="text/csv"):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.put("/api/contacts/import/", {"file": file}, format="multipart")


def imported(client, committed, run_tasks, name, content, content_type="text/csv"):
    with committed():
        response = upload(client, name, content, content_type)
    assert response.status_code == 202, response.json()
    run_tasks()
    return client.get(f"/api/contacts/imports/{response.json()['import_id']}/").json()


def assert_accounted_for(status, total, invalid_lines):
    assert status["status"] == "done"
    assert status["total"] == status["processed"] == total
    assert status["created"] + status["duplicates"] + status["invalid"] == total
    assert status["invalid"] == len(invalid_lines) and status["errors_not_listed"] == 0
    assert [error["line"] for error in status["errors"]] == invalid_lines


def test_the_samples_are_all_there():
    assert sorted(path.name for path in SAMPLES.iterdir()) == sorted(EXPECTED)
    assert (SAMPLES / "google.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    (SAMPLES / "outlook.csv").read_bytes().decode("cp1252")  # Windows-1252 bytes...
    with pytest.raises(UnicodeDecodeError):
        (SAMPLES / "outlook.csv").read_bytes().decode("utf-8")  # ...that are not UTF-8


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_shipped_sample_is_imported_with_every_row_accounted_for(alice_client, committed, run_tasks, name):
    file_format, encoding, total, invalid_lines = EXPECTED[name]
    content_type = "text/vcard" if name.endswith(".vcf") else "text/csv"
    status = imported(alice_client, committed, run_tasks, name, (SAMPLES / name).read_bytes(), content_type)
    assert (status["format"], status["encoding"]) == (file_format, encoding)
    assert_accounted_for(status, total, invalid_lines)


def contact(first_name):
    found = UserContact.objects.get(first_name=first_name)
    return found.last_name, found.phone_number, found.other_phones, found.email, found.other_emails


def test_names_numbers_and_addresses_survive_intact(alice_client, committed, run_tasks):
    for name in EXPECTED:
        imported(alice_client, committed, run_tasks, name, (SAMPLES / name).read_bytes())
    # Google: a middle name, a multi-line note, two numbers in one cell (" ::: "), "(0)".
    assert contact("Ada King") == ("Lovelace", "+442079460958", ["+447700900123"], "ada@example.com", [])
    assert contact("José") == ("Álvarez Núñez", "+34612345678", [], "jose@example.es", ["jose.home@example.com"])
    assert contact("小龙")[:2] == ("李", "+8613800138000")
    # Outlook in Windows-1252: the mobile first, the business number kept.
    assert contact("François") == ("Dupont", "+33612345678", ["+33142685300"], "francois.dupont@example.fr", [])
    # vCard 3.0 (iPhone) and 2.1 (Android, QUOTED-PRINTABLE UTF-8 over a soft line break).
    assert contact("Johnny Q.")[:3] == ("Appleseed", "+14085550142", ["+14085550100"])
    assert contact("Ayşe")[:2] == ("Öztürk", "+905321234567")
    assert contact("Александр")[:2] == ("Петров", "+79123456789")
    assert contact("Priya")[:2] == ("Raman", "+919876543210")  # N empty: the FN is the name
    # Semicolons with a quoted ";" in a cell; Arabic-Indic digits in a TSV.
    assert contact("Émilie")[:2] == ("Durand; née Martin", "0612345678")
    assert contact("Omar")[:2] == ("Al-Farsi", "+971501234567")


def test_a_csv_body_with_a_charset_is_read_in_that_charset(alice_client, committed, run_tasks):
    body = "Name;Mobile\nAndré Gide;+33 6 11 22 33 44\n".encode("cp1252")
    with committed():
        response = alice_client.put("/api/contacts/import/", body, content_type="text/csv; charset=windows-1252")
    assert response.status_code == 202
    run_tasks()
    status = alice_client.get(f"/api/contacts/imports/{response.json()['import_id']}/").json()
    assert status["encoding"] == "windows-1252 (the upload's charset)"
    assert status["notes"] == ["Separated by semicolons."]
    assert contact("André")[:2] == ("Gide", "+33611223344")


def broken_vcards():
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jane;;;\r\nTEL:+1 202 555 0100\r\nEND:VCARD\r\n"
    stray = "this line is not part of any card\r\n"
    unfinished = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Roe;Richard;;;\r\n"
    return (card + stray + unfinished + card.replace("Jane", "Janet").replace("0100", "0101") + unfinished).encode()


def test_a_vcard_file_with_broken_cards_lists_each_one_with_its_line(alice_client, committed, run_tasks):
    status = imported(alice_client, committed, run_tasks, "broken.vcf", broken_vcards(), "text/vcard")
    # lines: card 1-5, stray 6, unfinished card 7-9 (cut by the next BEGIN), card 10-14, unfinished 15-
    assert_accounted_for(status, 5, [6, 7, 15])
    assert [error["error"] for error in status["errors"]] == [
        "Text outside BEGIN:VCARD ... END:VCARD.",
        "This card has no END:VCARD before the next card (line 10).",
        "The file ends inside this card (no END:VCARD).",
    ]


def unclosed_quote_file():
    """1,000 rows; the 11th (line 12) opens a quote it never closes."""
    lines = ["name,phone"] + [f"Person {n},+44 7700 9{n:05d}" for n in range(1000)]
    lines[11] = '"Person 10,+44 7700 900010'
    return ("\n".join(lines) + "\n").encode()


BROKEN = {
    "unclosed quote": (unclosed_quote_file(), "text/csv", "Unreadable CSV at line 12: "),
    "duplicate header": (
        b"name,email,Email\nAda,ada@example.com,ada@example.org\n",
        "text/csv",
        "Line 1: columns 2 ('email') and 3 ('Email') are the same field",
    ),
    "two name columns": (b"Name,Full Name,phone\nA,B,+441234567\n", "text/csv", "columns 1 ('Name') and 2"),
    "names only": (
        b"First Name,Last Name\nAda,Lovelace\n",
        "text/csv",
        "(found only name columns: First Name, Last Name)",
    ),
    "wrong declared charset": (
        "name,phone\nJosé,+351912345678\n".encode("cp1252"),
        "text/csv; charset=utf-8",
        "Line 2 is not valid utf-8 (the upload's charset)",
    ),
    "neither UTF-8 nor Windows-1252": (b"name,phone\nA\x81\xff,+441234567\n", "text/csv", "Line 2 is not valid"),
    "binary garbage": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "image/png", "NUL"),
    "empty file": (b"", "text/csv", "The file is empty."),
    "blank lines only": (b"\n\r\n  \n", "text/csv", "The file is empty."),
    "header only": (b"name,phone,email\r\n", "text/csv", "a header row but no contacts"),
    "one byte": (b"a", "text/csv", "needs a header row with a phone and/or an email column"),
    "a JSON object": (b'{"contacts": [{"phone": "+441234567"}]}', "application/json", "This is JSON"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_is_refused_with_a_400_naming_the_problem_and_writes_nothing(alice_client, case):
    content, content_type, message = BROKEN[case]
    response = upload(alice_client, "broken.csv", content, content_type)
    assert response.status_code == 400
    [error] = response.json()["file"]
    assert message in error
    assert not UserContactsImport.objects.exists()


def test_the_same_files_as_a_csv_body_are_refused_naming_the_line(alice_client):
    response = alice_client.put("/api/contacts/import/", unclosed_quote_file(), content_type="text/csv")
    assert response.status_code == 400 and "line 12" in response.json()["csv"][0]


def test_a_row_with_more_cells_than_the_header_is_imported_and_the_extra_cells_are_noted(
    alice_client, committed, run_tasks
):
    body = b"name,phone\nAda,+441234567\nBob,+441234568,Smith\n"
    status = imported(alice_client, committed, run_tasks, "extra.csv", body)
    assert_accounted_for(status, 2, [])
    assert "Line 3: 3 cells under 2 columns; the extra ones were not read." in status["notes"]


def test_the_reader_answers_anything_with_rows_or_invalid_upload_never_a_crash():
    """Seeded random bytes, vCard-ish and CSV-ish text, and odd charsets: the only
    exceptions are InvalidUpload (a 400) and InvalidRow (an invalid row with its line)."""
    import random

    from contacts.importer import InvalidRow, clean_row
    from contacts.uploads import InvalidUpload, read_contacts_file

    rng = random.Random(15)
    vcard_bytes, csv_bytes = b"NTELFMAI:;=,\n\\ +0123456789@.x", b'ab,;"\n\r\t+0123456789@. \xd9\xa0'
    cases = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))) for _ in range(200)]
    cases += [b"BEGIN:VCARD\nVERSION:3.0\n" + bytes(rng.choice(vcard_bytes) for _ in range(150)) for _ in range(300)]
    cases += [b"name,phone,email,first name\n" + bytes(rng.choice(csv_bytes) for _ in range(200)) for _ in range(300)]
    cases.append(b"BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;ENCODING=b:AAAA\r\nEND:VCARD\r\n")  # a phone in base64
    rows = 0
    for case in cases:
        for charset in (None, "utf-8", "utf\x00", "rot13"):
            try:
                upload = read_contacts_file(case, charset)
            except InvalidUpload:
                continue
            for row in upload.rows:
                rows += 1
                with contextlib.suppress(InvalidRow):
                    clean_row(row)
    assert rows > 1000  # the reader got past the header often enough to mean something

"""The contacts import, as plain functions: no task library in here.

``run_import(import_id)`` is the whole job: each engine (scheduler/engines/) wraps it in
its own kind of task, unchanged.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .members import verified_members
from .models import State, UserContact, UserContactsImport
from .phones import InvalidPhone, normalize_phone, normalize_phone_code
from .uploads import InvalidUpload, read_csv

logger = logging.getLogger("scheduler_demo.contacts")

ROW_KEYS = ("name", "phone", "email", "phone_code")
MAX_REPORTED_ERRORS = 100
# A list of objects of strings is 3 levels deep; anything much deeper is not contacts.
MAX_UPLOAD_DEPTH = 10
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_validate_email = EmailValidator()


class InvalidRow(ValueError):
    pass


__all__ = ["InvalidRow", "InvalidUpload", "clean_row", "rows_from_csv", "run_import", "write_batch"]


# --- reading an upload -------------------------------------------------------------


def rows_from_csv(text):
    """CSV text with a header row (name, phone, email; phone_code optional) -> list of dicts
    in the JSON upload's shape (the first phone and email of each row). The import itself
    reads files with ``contacts.uploads.read_contacts_file``, every value and line kept."""
    rows = []
    for row in read_csv(text).rows:
        simple = {key: row[key] for key in ("name", "phone_code") if key in row}
        simple |= {key: row[plural][0] for key, plural in (("phone", "phones"), ("email", "emails")) if plural in row}
        rows.append(simple)
    return rows


def unstorable(rows):
    """Why the uploaded ``rows`` cannot be stored as they are, or None.

    JSON can carry a NUL character (\\u0000) and an unpaired surrogate (\\ud800).
    PostgreSQL refuses a NUL in jsonb and in text columns; a surrogate is not UTF-8,
    so no database stores it in a text column. Refused here, with a 400, instead of
    a 500 on saving the import or a task failing on every retry. Iterative, not
    recursive: the nesting depth is the client's choice.
    """
    stack = [(rows, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_UPLOAD_DEPTH:
            return f"A contact is a flat object; the upload is nested more than {MAX_UPLOAD_DEPTH} levels deep."
        if isinstance(value, dict):
            stack.extend((key, depth + 1) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and _UNSTORABLE.search(value):
            return "Text must not contain NUL characters or unpaired surrogates."
    return None


# --- cleaning one row ------------------------------------------------------------------


@dataclass
class ContactData:
    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    phone_code: str = ""
    phone_number: str | None = None
    other_phones: list = field(default_factory=list)  # a row's further numbers and addresses
    other_emails: list = field(default_factory=list)

    def identities(self):
        """The identities a duplicate is recognized by (same user and phone, or email)."""
        return [key for key in (("phone", self.phone_number), ("email", self.email)) if key[1]]


def merge_into(target, other, taken):
    """Merge a duplicate ``other`` into ``target``: keep what ``target`` has, take what only
    ``other`` knows (names, further numbers and addresses, and a phone or email that no
    contact in ``taken`` holds yet; ``taken`` then records it). True if ``target`` changed.

    ``target`` is a ContactData of this batch or a UserContact imported earlier: both
    have the same field names.
    """
    changed = False
    for name in ("first_name", "last_name", "phone_code"):
        if not getattr(target, name) and getattr(other, name):
            setattr(target, name, getattr(other, name))
            changed = True
    # A phone or email only moves in when no other contact of the user holds it.
    for kind, name in (("email", "email"), ("phone", "phone_number")):
        value = getattr(other, name)
        if not getattr(target, name) and value and (kind, value) not in taken:
            setattr(target, name, value)
            taken[(kind, value)] = target
            changed = True
    return merge_others(target, other) or changed


def merge_others(contact, other):
    """Add ``other``'s further numbers and addresses that ``contact`` does not hold yet."""
    changed = False
    for name, primary in (("other_phones", "phone_number"), ("other_emails", "email")):
        known = {getattr(contact, primary), *getattr(contact, name)}
        new = [value for value in (getattr(other, primary), *getattr(other, name)) if value and value not in known]
        if new:
            setattr(contact, name, [*getattr(contact, name), *dict.fromkeys(new)])
            changed = True
    return changed


def clean_row(row):
    """One uploaded row -> ContactData, or raise InvalidRow saying what is wrong.

    A row from the JSON API has ``name``, ``phone``, ``email``, ``phone_code``; a row read
    from a file (contacts/uploads.py) may have ``first_name``/``middle_name``/``last_name``
    and lists ``phones``/``emails``, and ``unreadable`` when its line could not be read.
    """
    if not isinstance(row, dict):
        raise InvalidRow("A contact must be an object with name, phone and/or email.")
    if "unreadable" in row:
        raise InvalidRow(str(row["unreadable"]))
    first_name, last_name = clean_names(row)
    data = ContactData(first_name=first_name, last_name=last_name)
    try:
        if row.get("phone_code") not in (None, ""):
            data.phone_code = normalize_phone_code(row["phone_code"])
        phones = [normalize_phone(phone, data.phone_code) for phone in values_of(row, "phone", "phones")]
    except InvalidPhone as error:
        raise InvalidRow(f"phone: {error}") from None
    emails = [clean_email(email) for email in values_of(row, "email", "emails")]
    phones, emails = list(dict.fromkeys(phones)), list(dict.fromkeys(emails))
    data.phone_number, data.other_phones = (phones[0], phones[1:]) if phones else (None, [])
    data.email, data.other_emails = (emails[0], emails[1:]) if emails else (None, [])
    if not data.phone_number and not data.email:
        raise InvalidRow("A contact needs a phone or an email.")
    return data


def values_of(row, single, plural):
    """The row's non-empty phones (or emails): ``row[single]``, or the list ``row[plural]``."""
    values = row.get(plural) if plural in row else [row.get(single)]
    if not isinstance(values, list):
        raise InvalidRow(f"{plural} must be a list.")
    return [value for value in values if value not in (None, "")]


def clean_names(row):
    """-> (first name, last name). A file's middle name joins the first name (given names)."""
    if row.keys() & {"first_name", "middle_name", "last_name"}:
        parts = [row.get(key) or "" for key in ("first_name", "middle_name", "last_name")]
        if not all(isinstance(part, str) for part in parts):
            raise InvalidRow("names must be strings.")
        first_name, last_name = " ".join(p.strip() for p in parts[:2] if p.strip()), parts[2].strip()
    else:
        name = row.get("name") or ""
        if not isinstance(name, str):
            raise InvalidRow("name must be a string.")
        first_name, _, last_name = name.strip().partition(" ")
        last_name = last_name.strip()
    if len(first_name) > 100 or len(last_name) > 100:
        raise InvalidRow("name is too long (at most 100 characters per part).")
    return first_name, last_name


def clean_email(email):
    if not isinstance(email, str):
        raise InvalidRow("email must be a string.")
    email = email.strip().lower()
    try:
        _validate_email(email)
    except ValidationError:
        raise InvalidRow("email: Enter a valid email address.") from None
    return email


# --- writing one batch -------------------------------------------------------------------


@dataclass
class BatchResult:
    created: int = 0
    duplicates: int = 0
    invalid: int = 0
    errors: list = field(default_factory=list)


def error_entry(number, row, error):
    """{"row": n, "error": ...}, plus the row's physical ``line`` when it came from a file."""
    entry = {"row": number, "error": str(error)}
    line = row.get("line") if isinstance(row, dict) else None
    if isinstance(line, int) and not isinstance(line, bool):  # (a JSON row has no "line": see the view)
        entry["line"] = line
    return entry


def write_batch(user_id, source, rows, first_row_number=1):
    """Validate, de-duplicate and write ``rows`` with a fixed number of queries.

    The caller runs it inside a transaction. Queries: one to lock the user's row, one to
    find the user's existing contacts among the batch's phones and emails, one for
    members among them, two counts, the bulk INSERT (SQLite splits it in statements of
    at most 999 parameters), at most one bulk UPDATE for merges: the same for 10 rows or
    1,000.
    """
    result = BatchResult()
    entries = distinct_contacts(rows, first_row_number, result)
    if not entries:
        return result
    # One user's batches, from two imports running at once, take turns: otherwise the
    # other import's rows, committed between our two counts below, would be counted as
    # ours (READ COMMITTED), over-reporting `created`. (SQLite locks the whole database
    # for writes anyway and ignores FOR UPDATE.)
    get_user_model().objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True).first()
    existing = existing_contacts(user_id, entries)
    to_create, to_update = [], {}
    members = members_among(entries)
    for entry in entries:
        matches = {existing[key].pk: existing[key] for key in entry.identities() if key in existing}
        if matches:  # already imported earlier: merge what is new into it
            result.duplicates += 1
            contact = next(iter(matches.values()))
            # (matching two contacts: merging would break a constraint)
            if len(matches) == 1 and merge_into(contact, entry, taken=existing):
                to_update[contact.pk] = contact
        else:
            to_create.append(new_contact(user_id, source, entry, members))
    save_contacts(user_id, to_create, list(to_update.values()), result)
    return result


def distinct_contacts(rows, first_row_number, result):
    """The batch's valid rows as ContactData, a duplicate inside the batch merged into its
    first occurrence; invalid rows and in-batch duplicates are counted in ``result``."""
    entries = []  # distinct contacts of this batch, in upload order
    seen = {}  # ("phone", "+49...") / ("email", "a@b") -> entry
    for number, row in enumerate(rows, start=first_row_number):
        try:
            data = clean_row(row)
        except InvalidRow as error:
            result.invalid += 1
            result.errors.append(error_entry(number, row, error))
            continue
        match = next((seen[key] for key in data.identities() if key in seen), None)
        if match is not None:  # a duplicate inside this batch: merge into the first one
            result.duplicates += 1
            merge_into(match, data, taken=seen)
            data = match
        else:
            entries.append(data)
        for key in data.identities():
            seen.setdefault(key, data)
    return entries


def existing_contacts(user_id, entries):
    """The user's contacts already holding one of the entries' phones or emails, by identity."""
    phones = [entry.phone_number for entry in entries if entry.phone_number]
    emails = [entry.email for entry in entries if entry.email]
    existing = {}
    for contact in UserContact.objects.filter(user_id=user_id).filter(Q(phone_number__in=phones) | Q(email__in=emails)):
        for key in (("phone", contact.phone_number), ("email", contact.email)):
            if key[1]:
                existing[key] = contact
    return existing


def members_among(entries):
    """The users whose verified phone or email is one of the entries', by identity.
    Only verified addresses say who a contact is (contacts/members.py)."""
    phones = [entry.phone_number for entry in entries if entry.phone_number]
    emails = [entry.email for entry in entries if entry.email]
    members = {}
    for member in verified_members(emails, phones).only("email", "phone", "email_verified", "phone_verified"):
        if member.phone_verified and member.phone:
            members.setdefault(("phone", member.phone), member)
        if member.email_verified and member.email:
            members.setdefault(("email", member.email.lower()), member)
    return members


def new_contact(user_id, source, entry, members):
    """An unsaved UserContact for ``entry``: "already member" if its owner signed up first."""
    contact = UserContact(
        user_id=user_id,
        source=source,
        first_name=entry.first_name,
        last_name=entry.last_name,
        email=entry.email,
        phone_code=entry.phone_code,
        phone_number=entry.phone_number,
        other_phones=entry.other_phones,
        other_emails=entry.other_emails,
    )
    member = next((members[key] for key in entry.identities() if key in members), None)
    if member is not None:  # they signed up before we imported them
        contact.state, contact.registered, contact.contact = State.ALREADY_MEMBER, True, member
    return contact


def save_contacts(user_id, to_create, to_update, result):
    """One bulk INSERT, at most one bulk UPDATE; ``result.created`` counts the real inserts."""
    contacts = UserContact.objects.filter(user_id=user_id)
    before = contacts.count()
    # ignore_conflicts: a row another worker inserted meanwhile is skipped by the
    # unique constraints instead of failing the batch; the counts tell what happened.
    UserContact.objects.bulk_create(to_create, ignore_conflicts=True)
    result.created = contacts.count() - before
    result.duplicates += len(to_create) - result.created
    if to_update:
        fields = ["first_name", "last_name", "email", "phone_code", "phone_number", "other_phones", "other_emails"]
        UserContact.objects.bulk_update(to_update, fields)


# --- the job ---------------------------------------------------------------------------------


def run_import(import_id, batch_size=None):
    """Import the rows of ``UserContactsImport(import_id)``: idempotent and resumable.

    Each batch is one transaction that writes its contacts AND advances the record's
    counters. Killed anywhere, the database holds whole batches and counters that
    match them; running again (the same task after its lock expires, or a retry)
    continues at ``processed``. A finished import is left alone.
    """
    batch_size = batch_size or settings.CONTACTS_IMPORT_BATCH_SIZE
    record = UserContactsImport.objects.get(pk=import_id)  # missing: the task fails, visibly
    if record.status == UserContactsImport.Status.DONE:
        return record
    rows = record.rows  # read once; the counters are re-read under a lock per batch
    now = timezone.now()  # started_at / last_progress_at: how long a dead worker holds it (contacts/progress.py)
    UserContactsImport.objects.filter(pk=import_id).update(
        status=UserContactsImport.Status.RUNNING, phone_import_recorded=False, started_at=now, last_progress_at=now
    )
    while True:
        with transaction.atomic():
            # The row lock serializes two workers on the same import (possible once a
            # lock has expired): the second one waits, then sees the advanced counter.
            record = UserContactsImport.objects.select_for_update().defer("rows").get(pk=import_id)
            start = record.processed
            if start >= record.total:
                record.status = UserContactsImport.Status.DONE
                record.phone_import_recorded = record.source == "phone"
                record.finished_at = timezone.now()
                record.rows = []  # the payload held personal data; it is not needed any more
                record.save(update_fields=["status", "phone_import_recorded", "finished_at", "rows"])
                logger.info("import %s done: %s", import_id, _counts(record))
                return record
            batch = rows[start : start + batch_size]
            result = write_batch(record.user_id, record.source, batch, first_row_number=start + 1)
            record.processed = start + len(batch)
            record.created += result.created
            record.duplicates += result.duplicates
            record.invalid += result.invalid
            record.errors = (record.errors + result.errors)[:MAX_REPORTED_ERRORS]
            record.last_progress_at = timezone.now()
            record.save(update_fields=["processed", "created", "duplicates", "invalid", "errors", "last_progress_at"])


def mark_import_failed(import_id):
    """An engine's task failed for good (each engine says so its own way): the import too."""
    UserContactsImport.objects.filter(pk=import_id).update(status=UserContactsImport.Status.FAILED)


def delete_old_imports():
    """Finished import records older than CONTACTS_IMPORT_RETENTION_DAYS are deleted."""
    cutoff = timezone.now() - timedelta(days=settings.CONTACTS_IMPORT_RETENTION_DAYS)
    finished = [UserContactsImport.Status.DONE, UserContactsImport.Status.FAILED]
    UserContactsImport.objects.filter(created_at__lt=cutoff, status__in=finished).delete()


def _counts(record):
    return {name: getattr(record, name) for name in ("total", "processed", "created", "duplicates", "invalid")}

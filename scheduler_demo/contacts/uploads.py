"""Reading an uploaded contacts file, whatever people export: every line accounted for.

``read_contacts_file(raw_bytes, charset)`` detects the encoding and the format (a CSV from
Google Contacts, Outlook or a spreadsheet, comma, semicolon or tab separated; a vCard file
from a phone) and returns one row per contact, each with the physical line it starts on.
A file it cannot read whole is refused (``InvalidUpload``, naming the line), never cut
short: the csv module, left lenient, reads an unclosed quote as one cell running to the
end of the file, and 990 of 1,000 rows vanish without an error.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

import vobject

NUL_MESSAGE = "Text must not contain NUL characters or unpaired surrogates."
MAX_NOTES = 20


class InvalidUpload(ValueError):
    pass


@dataclass
class Upload:
    rows: list  # one dict per contact: line, name or first/middle/last_name, phones, emails
    format: str  # google_csv, outlook_csv, csv, vcard
    encoding: str  # what the bytes were read as, and why
    notes: list = field(default_factory=list)  # what was read differently or left out, said aloud


def read_contacts_file(raw, charset=None):
    """The bytes of an uploaded file -> ``Upload``; raise InvalidUpload saying what is wrong."""
    text, encoding = decode(raw, charset)
    if "\x00" in text:
        raise InvalidUpload(NUL_MESSAGE)
    start = text.lstrip()
    if not start:
        raise InvalidUpload("The file is empty.")
    if start[:1] in "{[":
        raise InvalidUpload("This is JSON, not a CSV or vCard file: send it with Content-Type: application/json.")
    if start[:11].upper() == "BEGIN:VCARD":
        rows, notes = read_vcards(text)
        return Upload(rows, "vcard", encoding, notes)
    return read_csv(text, encoding)


# --- the encoding ---------------------------------------------------------------------------

BOMS = [(codecs.BOM_UTF8, "utf-8-sig", "UTF-8 (with BOM)"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (BOM)")]
BOMS.append((codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (BOM)"))


def decode(raw, charset=None):
    """-> (text, how it was read). The upload's own ``charset`` wins; then a byte-order mark;
    then UTF-8; then Windows-1252, what Excel and Outlook write on Windows (every byte of a
    UTF-8 file is valid UTF-8, so a file that is not is most likely that)."""
    if isinstance(charset, bytes):  # Django's multipart parser may hand the parameter over raw
        charset = charset.decode("latin-1")
    if charset:
        return _decode_as(raw, charset, f"{charset} (the upload's charset)")
    for bom, codec, label in BOMS:
        if raw.startswith(bom):
            return _decode_as(raw, codec, label)
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        text, _ = _decode_as(raw, "cp1252", "Windows-1252")
        return text, f"Windows-1252 (not UTF-8: line {line} holds byte 0x{raw[error.start]:02x})"


def _decode_as(raw, codec, label):
    try:
        return raw.decode(codec), label
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise InvalidUpload(f"Line {line} is not valid {label}: is this a text file?") from None
    except (LookupError, ValueError):  # no such codec, a NUL in its name, or not a text codec
        raise InvalidUpload(f"Unknown charset {codec[:40]!r}.") from None


# --- CSV: which column is what ---------------------------------------------------------------

SINGLE = {  # header (lower case, single spaces) -> field
    "name": "name", "full name": "name", "display name": "name", "contact name": "name",
    "first name": "first_name", "given name": "first_name", "firstname": "first_name", "first": "first_name",
    "middle name": "middle_name", "additional name": "middle_name",
    "last name": "last_name", "family name": "last_name", "surname": "last_name", "lastname": "last_name",
    "last": "last_name", "phone_code": "phone_code", "phone code": "phone_code", "country code": "phone_code",
}  # fmt: skip
# Outlook's phone columns (Microsoft's "Create or edit .csv files to import into Outlook"),
# Google's "Phone 1 - Value", and what people type. Faxes, pagers and telex are not phones.
PHONES = {
    "phone", "phone number", "phone_number", "telephone", "tel", "mobile", "mobile phone", "mobile number",
    "cell", "cell phone", "home phone", "home phone 2", "business phone", "business phone 2", "work phone",
    "other phone", "primary phone", "car phone", "company main phone", "assistant's phone", "radio phone",
    "callback",
}  # fmt: skip
EMAILS = {"email", "e-mail", "email address", "e-mail address", "e-mail 2 address", "e-mail 3 address", "work email"}
NUMBERED = re.compile(r"(?P<kind>e-mail|email|phone) \d+ - value")  # Google Contacts
MOBILE_FIRST = ("mobile", "cell")


def header_key(cell):
    return " ".join(cell.replace("\ufeff", "").split()).lower()


def role_of(key):
    if key in SINGLE:
        return SINGLE[key]
    numbered = NUMBERED.fullmatch(key)
    if key in PHONES or numbered and numbered["kind"] == "phone":
        return "phones"
    if key in EMAILS or numbered:
        return "emails"
    return None


def column_roles(header, line=1):
    """The header cells (on ``line``) -> {column index: field}. Two columns feeding one field (the same
    header twice, or "Name" and "Full Name") are refused: the csv module's DictReader keeps
    the last one and drops the other without a word."""
    roles, first_of = {}, {}
    for index, cell in enumerate(header):
        key = header_key(cell)
        role = role_of(key)
        if role is None:
            continue
        clash = first_of.get(("key", key), first_of.get(("role", role)) if role in SINGLE.values() else None)
        if clash is not None:
            raise InvalidUpload(
                f"Line {line}: columns {clash + 1} ({header[clash].strip()!r}) and {index + 1} ({cell.strip()!r})"
                " are the same field, so one of them would be dropped: rename or remove one."
            )
        first_of[("key", key)] = first_of[("role", role)] = index
        roles[index] = role
    return roles


def check_columns(header, roles, line=1):
    kinds = set(roles.values())
    if not kinds & {"phones", "emails"}:
        names = [header[i].strip() for i, role in roles.items()]
        found = f" (found only name columns: {', '.join(names)})" if names else ""
        raise InvalidUpload(
            f"Line {line}, read as the header: the CSV needs a header row with a phone and/or an email"
            f" column (and name){found}: a contact without either cannot be imported."
        )


def phone_columns_in_order(header, roles):
    """Mobile numbers first (the one to text an invite to), then the others in file order."""
    phones = [i for i, role in roles.items() if role == "phones"]
    return sorted(phones, key=lambda i: not any(word in header[i].lower() for word in MOBILE_FIRST))


def csv_format(header):
    keys = {header_key(cell) for cell in header}
    if any(NUMBERED.fullmatch(key) for key in keys):
        return "google_csv"
    if {"e-mail address", "mobile phone"} & keys and "first name" in keys:
        return "outlook_csv"
    return "csv"


# --- CSV: the rows --------------------------------------------------------------------------

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
# Excel reads (and some tools write) a first line "sep=;" naming the separator.
SEP_LINE = re.compile(r"sep=(?P<delimiter>[,;\t])[ \t]*", re.IGNORECASE)


def read_csv(text, encoding="UTF-8"):
    """CSV text -> Upload. Delimiter: the one a first line ``sep=X`` names (Excel's
    convention), else the one the header line holds most of (a European Excel writes ``;``,
    a TSV ``\\t``). Strict quoting: an unclosed quote is refused naming its line."""
    text = text.lstrip("\ufeff")
    first_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    if sep := SEP_LINE.fullmatch(first_line):
        delimiter = sep["delimiter"]
        rest = text[len(first_line) :]
        text = rest[2:] if rest.startswith("\r\n") else rest[1:]  # the sep line and its line end
        offset = 1  # line numbers stay physical
    else:
        delimiter, offset = max(DELIMITERS, key=first_line.count), 0
    reader = _LineCountingReader(text, delimiter, offset)
    header = _next_record(reader, reader.line_num + 1)
    if header is None:
        raise InvalidUpload("The file is empty.")
    roles = column_roles(header, offset + 1)
    check_columns(header, roles, offset + 1)
    phones = phone_columns_in_order(header, roles)
    ignored = [cell.strip() for index, cell in enumerate(header) if index not in roles and cell.strip()]
    notes = [f"Separated by {DELIMITERS[delimiter]}s."]
    if ignored:
        more = f" and {len(ignored) - 8} more" if len(ignored) > 8 else ""
        notes.append(f"{len(ignored)} columns not imported: {', '.join(ignored[:8])}{more}.")
    rows = []
    while (record := _next_record(reader, line := reader.line_num + 1)) is not None:
        if not any(cell.strip() for cell in record) and len(record) <= 1:
            continue  # a blank line is no row
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header) :]):
            notes.append(f"Line {line}: {len(record)} cells under {len(header)} columns; the extra ones were not read.")
        rows.append(csv_row(record, roles, phones, line))
    if not rows:
        raise InvalidUpload("The file has a header row but no contacts.")
    return Upload(rows, csv_format(header), encoding, _capped(notes))


class _LineCountingReader:
    """csv.reader whose ``line_num`` counts the physical lines of the whole file, a
    skipped ``sep=`` line included."""

    def __init__(self, text, delimiter, offset):
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        self._offset = offset

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._reader)

    @property
    def line_num(self):
        return self._reader.line_num + self._offset


def _next_record(reader, line):
    try:
        return next(reader, None)
    except csv.Error as error:
        hint = ""
        if "end of data" in str(error) or "field limit" in str(error):
            hint = " (is a quote opened there never closed?)"
        raise InvalidUpload(f"Unreadable CSV at line {line}: {error}{hint}.") from None


def csv_row(record, roles, phone_order, line):
    row = {"line": line}
    for index, role in roles.items():
        value = record[index].strip() if index < len(record) else ""
        if value and role not in ("phones", "emails"):
            row[role] = value
    emails = [record[i] for i, role in roles.items() if role == "emails" and i < len(record)]
    phones = [record[i] for i in phone_order if i < len(record)]
    # Google writes several values of one kind in one cell: "+44 20 ... ::: +44 7700 ...".
    for key, cells in (("phones", phones), ("emails", emails)):
        values = [part.strip() for cell in cells for part in cell.split(":::") if part.strip()]
        if values:
            row[key] = values
    return row


def _capped(notes):
    if len(notes) > MAX_NOTES:
        return [*notes[:MAX_NOTES], f"... and {len(notes) - MAX_NOTES} more notes."]
    return notes


# --- vCard ------------------------------------------------------------------------------------


def read_vcards(text):
    """vCard text (3.0 from an iPhone, 2.1 from Android, several cards) -> (rows, notes).
    Each card is a row; one that cannot be read is a row too, invalid, with its line."""
    rows = []
    for line, card_lines, problem in split_cards(text):
        if problem:
            rows.append({"line": line, "unreadable": problem})
            continue
        try:
            card = vobject.readOne("\r\n".join(unfold_quoted_printable(card_lines)))
            rows.append(vcard_row(card, line))
        except Exception as error:  # vobject raises ParseError, ValueError, AttributeError...
            rows.append({"line": line, "unreadable": f"Unreadable vCard: {str(error)[:200]}"})
    return rows, []


def split_cards(text):
    """Yield (first line, the card's lines, None) per BEGIN:VCARD ... END:VCARD, or (line,
    None, problem) for a card without its END and for text outside any card."""
    start, card, stray = None, [], False
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        marker = line.strip().upper()
        if marker == "BEGIN:VCARD":
            if start is not None:
                yield start, None, f"This card has no END:VCARD before the next card (line {number})."
            start, card, stray = number, [line], False
        elif start is not None:
            card.append(line)
            if marker == "END:VCARD":
                yield start, card, None
                start = None
        elif line.strip() and not stray:
            stray = True
            yield number, None, "Text outside BEGIN:VCARD ... END:VCARD."
        elif not line.strip():
            stray = False
    if start is not None:
        yield start, None, "The file ends inside this card (no END:VCARD)."


def unfold_quoted_printable(lines):
    """vCard 2.1 (Android) continues a QUOTED-PRINTABLE value on the next line after a
    trailing "=" (a soft line break), which vobject does not understand: join them."""
    joined = []
    for line in lines:
        previous = joined[-1] if joined else ""
        if previous.endswith("=") and "QUOTED-PRINTABLE" in previous.split(":", 1)[0].upper():
            joined[-1] = previous[:-1] + line
        else:
            joined.append(line)
    return joined


def _text(value):
    return " ".join(value).strip() if isinstance(value, list) else str(value or "").strip()


def tel_number(value):
    """The number of a TEL value. vCard 4.0 (RFC 6350, what macOS and Nextcloud export) may
    write it as a tel: URI (RFC 3966), "tel:+1-555-555-0104;ext=102": drop the scheme and
    the URI's parameters, which no phone field holds, or the contact is lost as invalid."""
    text = _text(value)
    if text[:4].lower() == "tel:":
        text = text[4:].split(";", 1)[0].strip()
    return text


def is_mobile(tel):
    """TEL;type=CELL (3.0) or TEL;CELL (2.1, a bare parameter)."""
    return "CELL" in {str(t).upper() for t in tel.params.get("TYPE", [])} | {k.upper() for k in tel.params}


def vcard_row(card, line):
    row = {"line": line}
    if names := card.contents.get("n"):
        parts = names[0].value
        fields = {"first_name": parts.given, "middle_name": parts.additional, "last_name": parts.family}
        row |= {key: _text(value) for key, value in fields.items() if _text(value)}
    if not row.keys() - {"line"} and (full := card.contents.get("fn")):
        row["name"] = _text(full[0].value)
    tels = card.contents.get("tel", [])
    tels = sorted(
        tels, key=lambda tel: "CELL" not in {str(t).upper() for t in tel.params.get("TYPE", [])} | set(tel.params)
    )
    if phones := [tel_number(tel.value) for tel in tels if tel_number(tel.value)]:
        row["phones"] = phones
    if emails := [_text(email.value) for email in card.contents.get("email", []) if _text(email.value)]:
        row["emails"] = emails
    return row

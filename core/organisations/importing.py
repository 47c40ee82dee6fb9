"""Import organisations from CSV or XLSX: read the file, report what each row will do, then apply it."""
import csv
import io
import os
import re
import secrets
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from core.errors import DomainError
from core.extensions import db
from core.models import LEGAL_FORMS, SUB_REGIONS, Organisation
from core.organisations import services
from core.organisations.services import OrganisationError
from core.uploads import UnsafeArchive, check_office_archive

MAX_ROWS = 20000
STALE_SECONDS = 24 * 60 * 60
KINDS = ("csv", "xlsx")

CREATE, UPDATE, UNCHANGED, REJECTED, SKIPPED = "create", "update", "unchanged", "rejected", "skipped"

# Column headers people write, in Swedish and English, folded (lower case, no accents, no punctuation).
HEADER_ALIASES = {
    "name": ("namn", "name", "organisation", "organisationsnamn", "foreningens namn", "organisation name"),
    "org_number": ("organisationsnummer", "orgnr", "org nr", "org number", "organisation number",
                   "organization number", "orgnummer", "organisationsnr"),
    "legal_form": ("juridisk form", "legal form", "form", "organisationsform", "typ"),
    "sub_region": ("delregion", "sub region", "region", "lan", "county"),
    "contact_email": ("e post", "epost", "email", "e mail", "mail", "kontakt e post", "contact email"),
    "website": ("webbplats", "hemsida", "webb", "website", "web", "url"),
    "notes": ("anteckningar", "anteckning", "notes", "note", "kommentar", "comments"),
}


class ImportFileError(DomainError):
    """The file as a whole cannot be read; message is Swedish and translatable."""

    code = "unreadable_file"


def fold(text):
    """'Juridisk_Form ' → 'juridisk form'; 'Delregion/Län' → 'delregion lan'."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return " ".join(re.split(r"[^a-z0-9]+", text)).strip()


_HEADER_LOOKUP = {fold(alias): key for key, aliases in HEADER_ALIASES.items() for alias in aliases}
_HEADER_LOOKUP.update({fold(key): key for key in HEADER_ALIASES})


def _labels(mapping):
    """folded code/label (Swedish and English) → code."""
    lookup = {}
    for code, label in mapping.items():
        lookup[fold(code)] = code
        for lang in ("sv", "en"):
            with force_locale(lang):
                lookup.setdefault(fold(str(label)), code)
    return lookup


def _sub_region_lookup():
    lookup = _labels(SUB_REGIONS)
    for code, label in SUB_REGIONS.items():
        # 'Värmland' for 'Värmlands län'.
        text = fold(str(label))
        if text.endswith(" lan"):
            lookup.setdefault(text[:-4], code)
            lookup.setdefault(text[:-5], code)
    return lookup


def _legal_form_lookup():
    lookup = _labels(LEGAL_FORMS)
    # The two halves of the combined labels, as a sheet may well hold either.
    lookup.update({"ekonomisk forening": "ekonomisk_forening", "kooperativ": "ekonomisk_forening",
                   "natverk": "natverk", "plattform": "natverk", "ideell forening": "forening"})
    return lookup


# --- reading files ----------------------------------------------------------------------------

def detect_kind(filename, data):
    """'csv' or 'xlsx' from the name and the first bytes; raises ImportFileError otherwise."""
    ext = os.path.splitext(filename or "")[1].lower().lstrip(".")
    is_zip = data[:4] == b"PK\x03\x04"
    if ext == "xlsx" and is_zip:
        return "xlsx"
    if ext in ("csv", "txt") and not is_zip and b"\x00" not in data[:4096]:
        return "csv"
    if ext == "xls":
        raise ImportFileError(_l("Det gamla Excel-formatet .xls kan inte läsas. Spara filen som .xlsx "
                                 "eller CSV och försök igen."))
    raise ImportFileError(_l("Filen måste vara en CSV-fil (.csv) eller en Excel-fil (.xlsx)."))


def _decode(data):
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        # Excel on Swedish Windows saves "CSV (semikolonavgränsad)" as Windows-1252.
        return data.decode("cp1252", errors="replace"), True


def _sniff_delimiter(text):
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def read_csv(data):
    text, legacy = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        rows = [list(r) for r in reader]
    except csv.Error as exc:
        raise ImportFileError(_l("CSV-filen kunde inte läsas: %(error)s", error=str(exc))) from exc
    return rows, legacy


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data):
    unreadable = _l("Excel-filen kunde inte läsas. Spara den igen som .xlsx och försök igen.")
    try:
        check_office_archive(data)
    except UnsafeArchive as exc:
        raise ImportFileError(unreadable) from exc
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(unreadable) from exc
    try:
        ws = wb.worksheets[0]
        rows = []
        for row in ws.iter_rows(values_only=True):
            rows.append([_cell_text(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                break
    finally:
        wb.close()
    return rows, False


def read_table(filename, data):
    """(rows as lists of strings, kind, legacy_encoding)."""
    if not data:
        raise ImportFileError(_l("Filen är tom."))
    kind = detect_kind(filename, data)
    rows, legacy = read_xlsx(data) if kind == "xlsx" else read_csv(data)
    return rows, kind, legacy


# --- the report -------------------------------------------------------------------------------

@dataclass
class RowResult:
    line: int
    action: str
    name: str = ""
    org_number: str = ""
    reasons: list = field(default_factory=list)
    changes: list = field(default_factory=list)   # field names that change on update
    organisation_id: int | None = None
    values: dict = field(default_factory=dict)     # clean values to write


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    legacy_encoding: bool = False
    kind: str = "csv"

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self):
        return {a: self.count(a) for a in (CREATE, UPDATE, UNCHANGED, REJECTED, SKIPPED)}

    @property
    def has_changes(self):
        return any(r.action in (CREATE, UPDATE) for r in self.rows)


def map_header(header):
    """{column index: field}, ignored header texts; raises when there is no name column."""
    mapping, ignored, seen = {}, [], set()
    for i, text in enumerate(header):
        key = _HEADER_LOOKUP.get(fold(text))
        if key and key not in seen:
            mapping[i] = key
            seen.add(key)
        elif str(text).strip():
            ignored.append(str(text).strip())
    if "name" not in seen:
        raise ImportFileError(_l("Hittade ingen kolumn för namn. Första raden ska ha rubriker, till exempel "
                                 "namn; organisationsnummer; juridisk form; delregion; e-post; webbplats; "
                                 "anteckningar."))
    return mapping, ignored


def _check_row(raw, legal_forms, sub_regions):
    """Clean one row's values; returns (values, reasons). Only the columns present and filled are set."""
    values, reasons = {}, []
    name = " ".join((raw.get("name") or "").split())
    if not name:
        reasons.append(_l("Namn saknas."))
    elif len(name) > 300:
        reasons.append(services.MSG_NAME_LONG)
    values["name"] = name
    for key, func in (("org_number", services.normalise_org_number), ("contact_email", services.normalise_email),
                      ("website", services.normalise_website)):
        text = (raw.get(key) or "").strip()
        if not text:
            continue
        try:
            values[key] = func(text)
        except OrganisationError as exc:
            reasons.append(exc.message)
    for key, lookup in (("legal_form", legal_forms), ("sub_region", sub_regions)):
        text = (raw.get(key) or "").strip()
        if not text:
            continue
        code = lookup.get(fold(text))
        if code is not None:
            values[key] = code
        elif key == "legal_form":
            reasons.append(_l("Okänd juridisk form: ”%(value)s”.", value=text))
        else:
            reasons.append(_l("Okänd delregion eller okänt län: ”%(value)s”.", value=text))
    notes = (raw.get("notes") or "").strip()
    if notes:
        values["notes"] = notes
    return values, reasons


def build_report(rows, kind="csv", legacy=False):
    """What importing these rows (header first) would do, without writing anything."""
    report = ImportReport(kind=kind, legacy_encoding=legacy)
    while rows and not any(str(c).strip() for c in rows[0]):
        rows = rows[1:]
    if not rows:
        raise ImportFileError(_l("Filen har inga rader."))
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(_l("Filen har för många rader (högst %(max)d åt gången).", max=MAX_ROWS))
    mapping, report.ignored_columns = map_header(rows[0])
    legal_forms, sub_regions = _legal_form_lookup(), _sub_region_lookup()
    registry = _Registry()
    seen_numbers, seen_names = {}, {}
    for offset, cells in enumerate(rows[1:], start=2):
        raw = {key: (cells[i] if i < len(cells) else "") for i, key in mapping.items()}
        if not any(str(c).strip() for c in cells):
            report.rows.append(RowResult(line=offset, action=SKIPPED, reasons=[_l("Tom rad.")]))
            continue
        values, reasons = _check_row(raw, legal_forms, sub_regions)
        result = RowResult(line=offset, action=REJECTED, name=values.get("name", ""),
                           org_number=values.get("org_number") or (raw.get("org_number") or "").strip())
        report.rows.append(result)
        if reasons:
            result.reasons = reasons
            continue
        number, name_key = values.get("org_number"), values["name"].casefold()
        earlier = seen_numbers.get(number) if number else seen_names.get(name_key)
        if earlier:
            result.reasons = [_l("Samma organisation finns redan på rad %(line)d i filen.", line=earlier)]
            continue
        if number:
            seen_numbers[number] = offset
        seen_names.setdefault(name_key, offset)
        _match(result, values, registry)
    return report


class _Registry:
    """Numbers and folded names of every organisation, read once: a file of thousands of rows must not
    cost a query per row, and Python's casefold also folds Å, Ä and Ö, which SQLite's lower() does not."""

    def __init__(self):
        self.by_number, self.by_name = {}, {}
        for org_id, name, number in db.session.execute(
                sa.select(Organisation.id, Organisation.name, Organisation.org_number)):
            if number:
                self.by_number[number] = org_id
            self.by_name.setdefault(name.casefold(), []).append(org_id)


def _match(result, values, registry):
    """Decide create / update / unchanged / rejected for a valid row against the database."""
    number = values.get("org_number")
    org_id = registry.by_number.get(number) if number else None
    org = db.session.get(Organisation, org_id) if org_id else None
    if org is None:
        same_name = registry.by_name.get(values["name"].casefold(), [])
        if len(same_name) > 1:
            result.reasons = [_l("Flera organisationer heter så. Ange organisationsnumret för att välja en.")]
            return
        if same_name:
            candidate = db.session.get(Organisation, same_name[0])
            if number and candidate.org_number and candidate.org_number != number:
                result.reasons = [_l("Det finns redan en organisation med det namnet men med ett annat "
                                     "organisationsnummer (%(number)s).", number=candidate.org_number)]
                return
            org = candidate
    if org is None:
        result.action = CREATE
        result.values = {"legal_form": "ovrigt", "notes": "", **values}
        return
    result.organisation_id = org.id
    changes = {k: v for k, v in values.items() if getattr(org, k) != v}
    if "name" in changes and changes["name"].casefold() == org.name.casefold():
        # 'RÖDA KORSET' in a sheet is the same name, not a reason to rewrite the registry's spelling.
        del changes["name"]
    result.values = changes
    result.changes = sorted(changes)
    result.action = UPDATE if changes else UNCHANGED


def apply_report(report):
    """Write the creates and updates of a report in one transaction."""
    try:
        for row in report.rows:
            if row.action == CREATE:
                org = Organisation(**row.values)
                db.session.add(org)
                db.session.flush()
                row.organisation_id = org.id
            elif row.action == UPDATE:
                org = db.session.get(Organisation, row.organisation_id)
                for key, value in row.values.items():
                    setattr(org, key, value)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def report_for_file(filename, data):
    rows, kind, legacy = read_table(filename, data)
    return build_report(rows, kind, legacy)


def import_file(filename, data):
    """Read, check and apply in one go (the confirm step re-reads the stored upload: the database
    may have changed since the preview)."""
    return apply_report(report_for_file(filename, data))


# --- the upload kept between preview and confirm ----------------------------------------------

_UPLOAD_ID_RE = re.compile(r"^[0-9a-f]{32}$")


def upload_dir():
    # Under the instance folder: private to the app, never served, and kept outside the code.
    path = current_app.config.get("ORG_IMPORT_DIR") or os.path.join(current_app.instance_path, "org_imports")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def _upload_path(upload_id, kind):
    if not _UPLOAD_ID_RE.match(upload_id or "") or kind not in KINDS:
        return None
    return os.path.join(upload_dir(), f"{upload_id}.{kind}")


def store_upload(data, kind):
    """Save the uploaded bytes under a random name; returns the id to keep in the user's session."""
    remove_stale_uploads()
    upload_id = secrets.token_hex(16)
    path = _upload_path(upload_id, kind)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return upload_id


def load_upload(upload_id, kind):
    path = _upload_path(upload_id, kind)
    if path is None or not os.path.exists(path):
        return None
    with open(path, "rb") as fh:
        return fh.read()


def delete_upload(upload_id, kind):
    path = _upload_path(upload_id, kind)
    if path and os.path.exists(path):
        os.remove(path)


def remove_stale_uploads(max_age=STALE_SECONDS):
    """Uploads whose preview was never confirmed or cancelled."""
    now = time.time()
    folder = upload_dir()
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        try:
            if now - os.path.getmtime(path) > max_age:
                os.remove(path)
        except OSError:
            pass

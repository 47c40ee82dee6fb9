"""Rules of the organisation registry: validation, create, update, search, merge, review and export."""
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.errors import DomainError
from core.extensions import db
from core.models import LEGAL_FORMS, SUB_REGIONS, Membership, Organisation, utcnow
from core.timeutil import utc_to_local_naive

PAGE_SIZE = 50
# The fields a person edits; the same set is validated by the form and by the import.
FIELDS = ("name", "org_number", "legal_form", "sub_region", "contact_email", "website", "notes")
# Filled from the duplicate when the kept organisation has them empty.
MERGE_FILL_FIELDS = ("org_number", "sub_region", "contact_email", "website")

# Hyphen, non-breaking hyphen, figure dash, en dash, em dash and minus: what word processors turn "-" into.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_ORG_NUMBER_RE = re.compile(rf"^(\d{{6}})\s*[{_DASHES}]?\s*(\d{{4}})$")

MSG_FORMAT = _l("Skriv organisationsnumret som NNNNNN-NNNN (tio siffror).")
MSG_LUHN = _l("Kontrollsiffran stämmer inte – kontrollera numret.")
MSG_EMAIL = _l("Skriv en giltig e-postadress, till exempel info@forening.se.")
MSG_WEBSITE = _l("Skriv en giltig webbadress, till exempel www.forening.se.")
MSG_NAME_REQUIRED = _l("Skriv organisationens namn.")
MSG_NAME_LONG = _l("Namnet får vara högst 300 tecken.")


class OrganisationError(DomainError):
    """A value a person typed that the registry cannot take; message is Swedish and translatable."""

    def __init__(self, message, field_name=None):
        super().__init__(message, field=field_name)
        self.field = field_name


# --- organisationsnummer ----------------------------------------------------------------------

def luhn_ok(digits):
    """True when the last of the digits is the Luhn check digit of the others (Skatteverket's rule)."""
    if not digits or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def normalise_org_number(raw):
    """'NNNNNN-NNNN' from what a person typed, None when empty; raises OrganisationError."""
    value = (raw or "").strip()
    if not value:
        return None
    match = _ORG_NUMBER_RE.match(value)
    if not match:
        raise OrganisationError(MSG_FORMAT, "org_number")
    digits = match.group(1) + match.group(2)
    if not luhn_ok(digits):
        raise OrganisationError(MSG_LUHN, "org_number")
    return f"{match.group(1)}-{match.group(2)}"


def organisation_with_number(number, exclude_id=None):
    """The organisation holding a normalised number, other than exclude_id."""
    if not number:
        return None
    stmt = sa.select(Organisation).where(Organisation.org_number == number)
    if exclude_id is not None:
        stmt = stmt.where(Organisation.id != exclude_id)
    return db.session.scalar(stmt)


# --- other fields -----------------------------------------------------------------------------

def normalise_email(raw):
    value = (raw or "").strip()
    if not value:
        return None
    try:
        # No DNS lookup: a conference network may be offline, and the address is only for contact.
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise OrganisationError(MSG_EMAIL, "contact_email") from exc
    if len(result.normalized) > 254:
        raise OrganisationError(MSG_EMAIL, "contact_email")
    return result.normalized


_HOST_RE = re.compile(r"^[a-z0-9åäöü]([a-z0-9åäöü-]*[a-z0-9åäöü])?(\.[a-z0-9åäöü]([a-z0-9åäöü-]*[a-z0-9åäöü])?)+$",
                      re.IGNORECASE)


def normalise_website(raw):
    """An http(s) address; 'forening.se' becomes 'https://forening.se'. None when empty."""
    value = (raw or "").strip()
    if not value:
        return None
    if "://" not in value:
        value = "https://" + value.lstrip("/")
    scheme, _, rest = value.partition("://")
    if scheme.lower() not in ("http", "https") or any(c.isspace() for c in value) or len(value) > 500:
        raise OrganisationError(MSG_WEBSITE, "website")
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
    host = host.split(":", 1)[0]
    if not _HOST_RE.match(host):
        raise OrganisationError(MSG_WEBSITE, "website")
    return scheme.lower() + "://" + rest


def clean_organisation_data(data, current=None):
    """Normalise a dict of the editable fields; returns (clean, errors) with errors as {field: message}.

    current: the organisation being edited, so its own number is not a clash.
    """
    clean, errors = {}, {}
    name = " ".join((data.get("name") or "").split())
    if not name:
        errors["name"] = MSG_NAME_REQUIRED
    elif len(name) > 300:
        errors["name"] = MSG_NAME_LONG
    clean["name"] = name
    for key, func in (("org_number", normalise_org_number), ("contact_email", normalise_email),
                      ("website", normalise_website)):
        try:
            clean[key] = func(data.get(key))
        except OrganisationError as exc:
            errors[key] = exc.message
    legal_form = data.get("legal_form") or "ovrigt"
    if legal_form not in LEGAL_FORMS:
        errors["legal_form"] = _l("Välj en juridisk form i listan.")
    clean["legal_form"] = legal_form
    sub_region = data.get("sub_region") or None
    if sub_region is not None and sub_region not in SUB_REGIONS:
        errors["sub_region"] = _l("Välj en delregion eller ett län i listan.")
    clean["sub_region"] = sub_region
    clean["notes"] = (data.get("notes") or "").strip()
    if "org_number" not in errors and clean["org_number"]:
        other = organisation_with_number(clean["org_number"], exclude_id=current.id if current else None)
        if other is not None:
            errors["org_number"] = DuplicateNumber(other)
    return clean, errors


@dataclass
class DuplicateNumber:
    """The number belongs to another organisation; views turn it into a message with a link."""

    other: Organisation

    def __str__(self):
        return _("Numret används redan av %(name)s.", name=self.other.name)


def _apply(org, clean):
    for key in FIELDS:
        setattr(org, key, clean[key])


def create_organisation(data):
    """Create from a dict of the editable fields; raises OrganisationErrors with every field error."""
    clean, errors = clean_organisation_data(data)
    if errors:
        raise OrganisationErrors(errors)
    org = Organisation(**{key: clean[key] for key in FIELDS})
    db.session.add(org)
    db.session.commit()
    return org


def update_organisation(org, data):
    clean, errors = clean_organisation_data(data, current=org)
    if errors:
        raise OrganisationErrors(errors)
    _apply(org, clean)
    db.session.commit()
    return org


class OrganisationErrors(DomainError):
    """Several field errors at once: {field: message}."""

    def __init__(self, errors):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()),
                         errors={k: str(v) for k, v in errors.items()})
        self.errors = errors


def count_to_review():
    """Organisations added by others (registrations, remiss invitations) that an administrator should check."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)
                             .where(Organisation.needs_review.is_(True)))


def mark_reviewed(org):
    org.needs_review = False
    db.session.commit()
    return org


# --- search -----------------------------------------------------------------------------------

def _like_escape(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_statement(q="", legal_form=None, sub_region=None, needs_review=None):
    """A SELECT of organisations matching the search text and filters, ordered by name.

    q matches the name, the organisationsnummer (with or without dash) and the contact email.
    needs_review: True, False or None (all).
    """
    stmt = sa.select(Organisation)
    q = (q or "").strip()
    if q:
        pattern = f"%{_like_escape(q.lower())}%"
        conditions = [
            sa.func.lower(Organisation.name).like(pattern, escape="\\"),
            sa.func.lower(Organisation.contact_email).like(pattern, escape="\\"),
            Organisation.org_number.like(pattern, escape="\\"),
        ]
        digits = re.sub(r"\D", "", q)
        if len(digits) >= 4 and len(digits) == len(q.replace("-", "").replace(" ", "")):
            # '8024735832' or '802473 5832' should find '802473-5832'.
            with_dash = digits[:6] + "-" + digits[6:] if len(digits) > 6 else digits
            conditions.append(Organisation.org_number.like(f"%{with_dash}%"))
            conditions.append(sa.func.replace(Organisation.org_number, "-", "").like(f"%{digits}%"))
        stmt = stmt.where(sa.or_(*conditions))
    if legal_form:
        stmt = stmt.where(Organisation.legal_form == legal_form)
    if sub_region == "_none":
        stmt = stmt.where(Organisation.sub_region.is_(None))
    elif sub_region:
        stmt = stmt.where(Organisation.sub_region == sub_region)
    if needs_review is not None:
        stmt = stmt.where(Organisation.needs_review.is_(bool(needs_review)))
    return stmt.order_by(sa.func.lower(Organisation.name), Organisation.id)


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages


def paginate(stmt, page=1, per_page=PAGE_SIZE):
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


def member_counts(org_ids):
    if not org_ids:
        return {}
    rows = db.session.execute(
        sa.select(Membership.organisation_id, sa.func.count())
        .where(Membership.organisation_id.in_(org_ids))
        .group_by(Membership.organisation_id)
    )
    return dict(rows.all())


# Words too common in organisation names to suggest a duplicate on their own.
_COMMON_WORDS = {"och", "för", "den", "det", "föreningen", "förening", "region", "sverige", "the", "av"}


def possible_duplicates(org, limit=10):
    """Organisations sharing significant words of org's name, those sharing most first."""
    words = {w for w in re.split(r"\W+", org.name.lower()) if len(w) > 2 and w not in _COMMON_WORDS}
    if not words:
        return []
    conditions = [sa.func.lower(Organisation.name).like(f"%{_like_escape(w)}%", escape="\\")
                  for w in sorted(words, key=len, reverse=True)[:5]]
    stmt = sa.select(Organisation).where(Organisation.id != org.id, sa.or_(*conditions)).limit(200)
    scored = []
    for other in db.session.scalars(stmt):
        other_words = set(re.split(r"\W+", other.name.lower()))
        scored.append((-len(words & other_words), other.name.lower(), other))
    scored.sort(key=lambda t: t[:2])
    return [t[2] for t in scored[:limit]]


# --- merge ------------------------------------------------------------------------------------

@dataclass
class MergePlan:
    """What merging drop into keep will do; shown before the administrator confirms."""

    keep: Organisation
    drop: Organisation
    move_members: list = field(default_factory=list)     # users whose membership moves
    shared_members: list = field(default_factory=list)   # users already in keep: one membership left
    filled: dict = field(default_factory=dict)           # field -> value copied from drop
    notes_appended: bool = False
    hooks: int = 0


def field_display(key, value):
    """A field's value as people read it (labels for codes)."""
    if key == "legal_form":
        return LEGAL_FORMS.get(value, value)
    if key == "sub_region":
        return SUB_REGIONS.get(value, value)
    return value


def merge_hooks():
    return list(current_app.extensions.get("samrad_org_merge_hooks", []))


def plan_merge(keep, drop):
    if keep.id == drop.id:
        raise OrganisationError(_l("Välj två olika organisationer."))
    keep_users = {m.user_id for m in keep.memberships}
    plan = MergePlan(keep=keep, drop=drop, hooks=len(merge_hooks()))
    for m in sorted(drop.memberships, key=lambda m: m.user.display_name.lower()):
        (plan.shared_members if m.user_id in keep_users else plan.move_members).append(m.user)
    for key in MERGE_FILL_FIELDS:
        if not getattr(keep, key) and getattr(drop, key):
            plan.filled[key] = getattr(drop, key)
    if keep.legal_form == "ovrigt" and drop.legal_form != "ovrigt":
        plan.filled["legal_form"] = drop.legal_form
    plan.notes_appended = bool((drop.notes or "").strip())
    return plan


def merge_organisations(keep, drop):
    """Merge the duplicate `drop` into `keep` in one transaction and delete `drop`.

    Memberships move (a user in both keeps one membership, able to sign if either could); every
    registered merge hook moves its blueprint's rows first; keep's empty fields are filled from drop
    and the notes are joined. Returns the plan that was carried out.
    """
    plan = plan_merge(keep, drop)
    try:
        for hook in merge_hooks():
            hook(keep, drop)
        db.session.flush()
        keep_members = {m.user_id: m for m in keep.memberships}
        for m in list(drop.memberships):
            existing = keep_members.get(m.user_id)
            if existing is not None:
                existing.can_sign = existing.can_sign or m.can_sign
            else:
                db.session.add(Membership(user_id=m.user_id, organisation_id=keep.id, can_sign=m.can_sign))
            drop.memberships.remove(m)
        drop_notes = (drop.notes or "").strip()
        drop_name = drop.name
        drop_number = drop.org_number
        db.session.delete(drop)
        # The duplicate's number must be gone from the table before keep may take it (unique).
        db.session.flush()
        for key, value in plan.filled.items():
            setattr(keep, key, value)
        if drop_notes:
            heading = f"[{drop_name}{', ' + drop_number if drop_number else ''}]"
            keep.notes = "\n\n".join(p for p in ((keep.notes or "").strip(), f"{heading}\n{drop_notes}") if p)
        keep.updated_at = utcnow()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    db.session.expire_all()
    return plan


# --- export -----------------------------------------------------------------------------------

def export_table(organisations):
    """(header, rows) for CSV/XLSX; headers are the Swedish import headers so a file round-trips."""
    header = [_("namn"), _("organisationsnummer"), _("juridisk form"), _("delregion"), _("e-post"),
              _("webbplats"), _("anteckningar"), _("behöver granskas"), _("skapad")]
    rows = [
        [o.name, o.org_number, str(o.legal_form_label), str(o.sub_region_label), o.contact_email, o.website,
         o.notes, o.needs_review, utc_to_local_naive(o.created_at)]
        for o in organisations
    ]
    return header, rows

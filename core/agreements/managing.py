"""Writing agreements: their fields, parties, contributions and publication. The rules sit here and on the model."""
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.agreements.models import (
    Agreement,
    AgreementError,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Contribution,
    Side,
)
from core.extensions import db
from core.models import Organisation

FIELDS = ("kind", "title", "short_name", "diary_number", "description", "period_start", "period_end",
          "notice_months", "notice_text", "representatives_among_signatories")


class AgreementErrors(AgreementError):
    """Several fields are wrong at once: errors = {field: message}."""

    def __init__(self, errors):
        super().__init__(next(iter(errors.values())))
        self.errors = errors


def published_agreements():
    return db.session.scalars(sa.select(Agreement).where(Agreement.status == AgreementStatus.PUBLISHED)
                              .order_by(Agreement.period_start.desc(), Agreement.id)).all()


def all_agreements():
    return db.session.scalars(sa.select(Agreement).order_by(Agreement.period_start.desc(), Agreement.id)).all()


def clean_agreement_data(data):
    """({field: value}, {field: message}): every field is checked, so the person sees all that is wrong at once."""
    clean, errors = {}, {}
    kind = data.get("kind") or AgreementKind.OVERENSKOMMELSE
    if kind not in AgreementKind.ALL:
        errors["kind"] = _l("Välj överenskommelse eller IOP.")
    clean["kind"] = kind
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _l("Skriv överenskommelsens titel.")
    elif len(title) > 500:
        errors["title"] = _l("Titeln får vara högst 500 tecken.")
    clean["title"] = title
    for key, limit in (("short_name", 100), ("diary_number", 50)):
        value = (data.get(key) or "").strip()
        if len(value) > limit:
            errors[key] = _l("Högst %(n)s tecken.", n=limit)
        clean[key] = value
    clean["description"] = (data.get("description") or "").strip()
    clean["notice_text"] = (data.get("notice_text") or "").strip()
    start, end = data.get("period_start"), data.get("period_end")
    if start is not None and not isinstance(start, date):
        errors["period_start"] = _l("Skriv datumet som ÅÅÅÅ-MM-DD.")
    if end is not None and not isinstance(end, date):
        errors["period_end"] = _l("Skriv datumet som ÅÅÅÅ-MM-DD.")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        errors["period_end"] = _l("Slutdatumet kan inte ligga före startdatumet.")
    clean["period_start"], clean["period_end"] = start, end
    months = data.get("notice_months")
    if months is not None and (not isinstance(months, int) or months < 0 or months > 120):
        errors["notice_months"] = _l("Uppsägningstiden anges i hela månader, 0–120.")
    clean["notice_months"] = months
    clean["representatives_among_signatories"] = bool(data.get("representatives_among_signatories"))
    return clean, errors


def create_agreement(data):
    clean, errors = clean_agreement_data(data)
    if errors:
        raise AgreementErrors(errors)
    agreement = Agreement(**clean)
    db.session.add(agreement)
    db.session.commit()
    return agreement


def update_agreement(agreement, data):
    clean, errors = clean_agreement_data(data)
    if errors:
        raise AgreementErrors(errors)
    for key, value in clean.items():
        setattr(agreement, key, value)
    db.session.commit()
    return agreement


def publish(agreement):
    agreement.publish()
    db.session.commit()


def unpublish(agreement):
    agreement.unpublish()
    db.session.commit()


def region_party(agreement):
    return next((p for p in agreement.parties if p.side == Side.REGION), None)


def add_party(agreement, organisation, side=Side.CIVIL_SOCIETY, contact_name="", abbreviation="",
              acting_through="", contact_email=""):
    """Make a registry organisation a party; each organisation is a party once."""
    if organisation is None:
        raise AgreementError(_l("Välj en organisation ur registret."), field="organisation_id")
    if side not in Side.ALL:
        raise AgreementError(_l("Välj regionen eller den sociala ekonomin."), field="side")
    if any(p.organisation_id == organisation.id for p in agreement.parties):
        raise AgreementError(_l("%(name)s är redan part i överenskommelsen.", name=organisation.name),
                             field="organisation_id")
    party = AgreementParty(agreement=agreement, organisation=organisation, side=side,
                           contact_name=contact_name.strip()[:200], abbreviation=abbreviation.strip()[:20],
                           acting_through=acting_through.strip()[:200], contact_email=contact_email.strip()[:254],
                           position=len(agreement.parties))
    db.session.add(party)
    db.session.commit()
    return party


def remove_party(party):
    db.session.delete(party)
    db.session.commit()


def add_contribution(agreement, party, period_start, period_end, amount_sek=None, payment_rhythm="",
                     description=""):
    """A party's contribution for a period: money (amount and rhythm) or a described effort, or both."""
    errors = {}
    if party is None or party.agreement_id != agreement.id:
        errors["party_id"] = _l("Välj en part i överenskommelsen.")
    if period_start is None:
        errors["period_start"] = _l("Ange periodens första dag.")
    if period_end is None:
        errors["period_end"] = _l("Ange periodens sista dag.")
    elif period_start is not None and period_end < period_start:
        errors["period_end"] = _l("Slutdatumet kan inte ligga före startdatumet.")
    if amount_sek is not None and amount_sek < 0:
        errors["amount_sek"] = _l("Beloppet kan inte vara negativt.")
    if amount_sek is None and not (description or "").strip():
        errors["description"] = _l("Ange ett belopp eller beskriv insatsen.")
    if amount_sek is not None and not (payment_rhythm or "").strip():
        errors["payment_rhythm"] = _l("Ange hur beloppet betalas ut, till exempel månadsvis.")
    if errors:
        raise AgreementErrors(errors)
    row = Contribution(agreement=agreement, party=party, period_start=period_start, period_end=period_end,
                       amount_sek=amount_sek, payment_rhythm=(payment_rhythm or "").strip()[:100],
                       description=(description or "").strip())
    db.session.add(row)
    db.session.commit()
    return row


def remove_contribution(row):
    db.session.delete(row)
    db.session.commit()


def organisation_choices():
    """(id, "name (org number)") of every registry organisation, for the party and signatory forms."""
    rows = db.session.execute(sa.select(Organisation.id, Organisation.name, Organisation.org_number)
                              .order_by(Organisation.name)).all()
    return [(row.id, f"{row.name} ({row.org_number})" if row.org_number else row.name) for row in rows]

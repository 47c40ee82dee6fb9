"""Signing and withdrawing: the register of signatories, its filters and its export."""
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.agreements.managing import AgreementErrors
from core.agreements.models import AgreementError, Signatory
from core.extensions import db
from core.models import LEGAL_FORMS, SUB_REGIONS, Organisation


def sign(agreement, organisation, signed_on, signatory_name, signatory_title=""):
    """The organisation signs (or signs again after withdrawing). Returns the Signatory row."""
    errors = {}
    if organisation is None:
        errors["organisation_id"] = _l("Välj en organisation ur registret.")
    if not isinstance(signed_on, date):
        errors["signed_on"] = _l("Ange dagen för underskriften (ÅÅÅÅ-MM-DD).")
    elif signed_on > date.today():
        errors["signed_on"] = _l("Underskriften kan inte ligga i framtiden.")
    name = (signatory_name or "").strip()
    if not name:
        errors["signatory_name"] = _l("Skriv namnet på den som skrev under.")
    elif len(name) > 200:
        errors["signatory_name"] = _l("Namnet får vara högst 200 tecken.")
    if errors:
        raise AgreementErrors(errors)
    row = signatory_for(agreement, organisation.id)
    if row is not None and not row.withdrawn:
        raise AgreementError(_l("%(name)s har redan skrivit under.", name=organisation.name),
                             field="organisation_id")
    if row is None:
        row = Signatory(agreement=agreement, organisation=organisation)
        db.session.add(row)
    row.signed_on, row.signatory_name = signed_on, name
    row.signatory_title = (signatory_title or "").strip()[:200]
    row.withdrawn_on = None
    db.session.commit()
    return row


def withdraw(signatory, withdrawn_on):
    if signatory.withdrawn:
        raise AgreementError(_l("Organisationen har redan lämnat överenskommelsen."))
    if not isinstance(withdrawn_on, date):
        raise AgreementError(_l("Ange dagen då organisationen lämnade (ÅÅÅÅ-MM-DD)."), field="withdrawn_on")
    if withdrawn_on < signatory.signed_on:
        raise AgreementError(_l("Organisationen kan inte lämna före den dag den skrev under."), field="withdrawn_on")
    signatory.withdrawn_on = withdrawn_on
    db.session.commit()


def signatory_for(agreement, organisation_id):
    return db.session.scalar(sa.select(Signatory).where(Signatory.agreement_id == agreement.id,
                                                        Signatory.organisation_id == organisation_id))


def is_signatory(agreement, organisation_id, on=None):
    """True when the organisation has signed and not withdrawn on `on` (today by default)."""
    row = signatory_for(agreement, organisation_id)
    return row is not None and row.is_active_on(on or date.today())


def register(agreement, legal_form=None, sub_region=None, include_withdrawn=False):
    """The signatories, filtered by the organisation's legal form and sub-region, by name."""
    stmt = (sa.select(Signatory).join(Organisation, Signatory.organisation_id == Organisation.id)
            .where(Signatory.agreement_id == agreement.id).order_by(Organisation.name))
    if legal_form:
        stmt = stmt.where(Organisation.legal_form == legal_form)
    if sub_region:
        stmt = stmt.where(Organisation.sub_region == sub_region)
    if not include_withdrawn:
        stmt = stmt.where(Signatory.withdrawn_on.is_(None))
    return db.session.scalars(stmt).all()


def counts(agreement):
    """{"active": n, "withdrawn": n} for the agreement's page."""
    rows = db.session.execute(
        sa.select(Signatory.withdrawn_on.is_(None), sa.func.count()).where(Signatory.agreement_id == agreement.id)
        .group_by(Signatory.withdrawn_on.is_(None))).all()
    out = {"active": 0, "withdrawn": 0}
    for active, n in rows:
        out["active" if active else "withdrawn"] += n
    return out


def export_table(rows):
    header = [_("Organisation"), _("Organisationsnummer"), _("Juridisk form"), _("Delregion eller län"),
              _("Undertecknad"), _("Undertecknad av"), _("Titel"), _("Lämnade")]
    body = [[s.organisation.name, s.organisation.org_number or "",
             str(LEGAL_FORMS.get(s.organisation.legal_form, s.organisation.legal_form)),
             str(SUB_REGIONS.get(s.organisation.sub_region, s.organisation.sub_region or "")),
             s.signed_on, s.signatory_name, s.signatory_title, s.withdrawn_on] for s in rows]
    return header, body

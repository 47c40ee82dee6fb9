"""When two organisations in the registry are merged, the agreements' rows move to the one that is kept.

Without this the duplicate's signatures, party places and rota places would go with it (ON DELETE CASCADE).
"""
import sqlalchemy as sa

from core.agreements.models import AgreementParty, Contribution, GroupConvener, GroupMember, Signatory
from core.extensions import db


def merge_organisations(keep, drop):
    _merge_parties(keep, drop)
    _merge_signatories(keep, drop)
    db.session.execute(sa.update(GroupMember).where(GroupMember.organisation_id == drop.id)
                       .values(organisation_id=keep.id))
    for convener in db.session.scalars(sa.select(GroupConvener).where(GroupConvener.organisation_id == drop.id)):
        clash = db.session.scalar(sa.select(GroupConvener).where(GroupConvener.group_id == convener.group_id,
                                                                 GroupConvener.organisation_id == keep.id))
        if clash is not None:
            db.session.delete(convener)  # keep is in the rota already: one place each
        else:
            convener.organisation_id = keep.id
    db.session.flush()


def _merge_parties(keep, drop):
    for party in db.session.scalars(sa.select(AgreementParty).where(AgreementParty.organisation_id == drop.id)):
        kept = db.session.scalar(sa.select(AgreementParty).where(AgreementParty.agreement_id == party.agreement_id,
                                                                 AgreementParty.organisation_id == keep.id))
        if kept is None:
            party.organisation_id = keep.id
            continue
        # Both were parties: the contributions move to keep's place, and the duplicate's place goes.
        db.session.execute(sa.update(Contribution).where(Contribution.party_id == party.id).values(party_id=kept.id))
        for key in ("contact_name", "contact_email", "abbreviation", "acting_through"):
            if not getattr(kept, key) and getattr(party, key):
                setattr(kept, key, getattr(party, key))
        db.session.delete(party)
    db.session.flush()


def _merge_signatories(keep, drop):
    for row in db.session.scalars(sa.select(Signatory).where(Signatory.organisation_id == drop.id)):
        kept = db.session.scalar(sa.select(Signatory).where(Signatory.agreement_id == row.agreement_id,
                                                            Signatory.organisation_id == keep.id))
        if kept is None:
            row.organisation_id = keep.id
            continue
        # Both signed: the signature that still holds wins, else the earlier one.
        better = row if (row.withdrawn_on is None, -row.signed_on.toordinal()) > (
            kept.withdrawn_on is None, -kept.signed_on.toordinal()) else kept
        if better is row:
            kept.signed_on, kept.signatory_name = row.signed_on, row.signatory_name
            kept.signatory_title, kept.withdrawn_on = row.signatory_title, row.withdrawn_on
        db.session.delete(row)
    db.session.flush()

"""Merging two organisations keeps their signatures, party places, memberships of groups and rota places."""
from datetime import date

from core.agreements import groups, managing, signing
from core.agreements.models import GroupKind, Side
from core.organisations.services import merge_organisations


def test_merge_moves_the_duplicates_rows_to_the_kept_organisation(db, agreement, region, make_organisation):
    keep = make_organisation("Social Ekonomi Fyrbodal", org_number="802473-5832")
    drop = make_organisation("Social ekonomi Fyrbodalen")
    other = managing.create_agreement({"title": "IOP", "period_start": date(2024, 8, 1)})
    # In `agreement` both were parties and both signed; in `other` only the duplicate was.
    kept_party = managing.add_party(agreement, keep, Side.CIVIL_SOCIETY)
    dropped_party = managing.add_party(agreement, drop, Side.CIVIL_SOCIETY, contact_name="Marie Petterson")
    managing.add_contribution(agreement, dropped_party, date(2024, 8, 1), date(2025, 7, 31), description="Lokaler")
    managing.add_party(other, drop, Side.CIVIL_SOCIETY)
    late = signing.sign(agreement, keep, date(2016, 1, 1), "Ordförande")
    signing.withdraw(late, date(2017, 1, 1))
    signing.sign(agreement, drop, date(2014, 12, 5), "Marie Petterson")
    signing.sign(other, drop, date(2024, 8, 1), "Marie Petterson")
    group = groups.create_group(agreement, GroupKind.STYRGRUPP, "Styrgruppen")
    groups.add_member(group, Side.CIVIL_SOCIETY, date(2020, 1, 1), name="Marie Petterson", organisation=drop)
    groups.set_conveners(group, [keep.id, region.id, drop.id])

    merge_organisations(keep, drop)
    db.session.expire_all()

    assert [p.organisation_id for p in agreement.parties] == [keep.id]
    assert kept_party.contact_name == "Marie Petterson"
    assert [c.party_id for c in agreement.contributions] == [kept_party.id]
    assert [p.organisation_id for p in other.parties] == [keep.id]
    row = signing.signatory_for(agreement, keep.id)
    assert (row.signed_on, row.withdrawn_on) == (date(2014, 12, 5), None)
    assert signing.is_signatory(other, keep.id, date(2025, 1, 1))
    assert group.members[0].organisation_id == keep.id
    assert [c.organisation_id for c in group.conveners] == [keep.id, region.id]

"""Standing groups: representatives among signatories, equal sides, the year's meetings and the convener rota."""
from datetime import date, datetime, timedelta

import pytest

from core.agreements import groups, signing
from core.agreements.managing import AgreementErrors
from core.agreements.models import GroupKind, Side
from core.timeutil import local_to_utc
from dialog.models import Meeting, MeetingStatus


@pytest.fixture
def group(agreement):
    return groups.create_group(agreement, GroupKind.SAMVERKANSGRUPP, "Samverkansgruppen", equal_sides_required=True,
                               meetings_min_per_year=4, meetings_max_per_year=12, meetings_min_spring=2,
                               meetings_min_autumn=2)


def meeting(db, group, when, status=MeetingStatus.HELD, title="Möte"):
    starts = local_to_utc(when)
    row = Meeting(title=title, starts_at=starts, ends_at=starts + timedelta(hours=2), status=status,
                  group_id=group.id if group else None)
    db.session.add(row)
    db.session.commit()
    return row


def test_group_form_rules(agreement):
    with pytest.raises(AgreementErrors) as caught:
        groups.create_group(agreement, "klubb", "", meetings_min_per_year=12, meetings_max_per_year=4)
    assert set(caught.value.errors) == {"kind", "name", "meetings_max_per_year"}


def test_civil_society_representatives_come_from_signatories(group, make_organisation):
    signed = make_organisation("Social Ekonomi Fyrbodal", sub_region="fyrbodal")
    unsigned = make_organisation("Förening utan underskrift")
    signing.sign(group.agreement, signed, date(2015, 1, 10), "Ordförande")
    with pytest.raises(AgreementErrors) as caught:
        groups.add_member(group, Side.CIVIL_SOCIETY, date(2025, 1, 1), name="Kim", organisation=unsigned)
    assert "har inte skrivit under" in str(caught.value.errors["organisation_id"])
    with pytest.raises(AgreementErrors) as caught:
        groups.add_member(group, Side.CIVIL_SOCIETY, date(2025, 1, 1), name="Kim")
    assert "organisation_id" in caught.value.errors
    # Signed only after the term starts: not yet a signatory on its first day.
    with pytest.raises(AgreementErrors):
        groups.add_member(group, Side.CIVIL_SOCIETY, date(2015, 1, 1), name="Kim", organisation=signed)
    member = groups.add_member(group, Side.CIVIL_SOCIETY, date(2025, 1, 1), name="Kim", organisation=signed)
    assert member.display_name == "Kim"
    # The region's side is not chosen among signatories.
    groups.add_member(group, Side.REGION, date(2025, 1, 1), name="Tjänsteperson")


def test_rule_applies_only_where_the_agreement_says_so(make_agreement, make_organisation):
    agreement = make_agreement(representatives_among_signatories=False)
    group = groups.create_group(agreement, GroupKind.STYRGRUPP, "Styrgruppen")
    groups.add_member(group, Side.CIVIL_SOCIETY, date(2025, 1, 1), name="Kim", organisation=make_organisation())


def test_member_needs_a_name_and_a_sensible_term(group, admin):
    with pytest.raises(AgreementErrors) as caught:
        groups.add_member(group, "mitten", date(2025, 1, 1), date(2024, 1, 1))
    assert set(caught.value.errors) == {"side", "name", "term_end"}
    member = groups.add_member(group, Side.REGION, date(2025, 1, 1), user=admin)
    assert member.display_name == "Ada Admin"


def test_sides_equal_counts_only_members_serving_on_the_day(group, make_organisation):
    org = make_organisation()
    signing.sign(group.agreement, org, date(2014, 12, 5), "Ordförande")
    groups.add_member(group, Side.REGION, date(2024, 1, 1), name="A")
    groups.add_member(group, Side.REGION, date(2024, 1, 1), date(2024, 12, 31), name="B")
    groups.add_member(group, Side.CIVIL_SOCIETY, date(2024, 1, 1), name="C", organisation=org)
    on_2024 = groups.side_balance(group, date(2024, 6, 1))
    assert (on_2024.region, on_2024.civil_society, on_2024.equal, on_2024.ok) == (2, 1, False, False)
    on_2025 = groups.side_balance(group, date(2025, 6, 1))
    assert (on_2025.region, on_2025.civil_society, on_2025.equal, on_2025.ok) == (1, 1, True, True)
    group.equal_sides_required = False
    assert groups.side_balance(group, date(2024, 6, 1)).ok


def test_year_target_counts_the_groups_meetings_by_half_year(db, group):
    meeting(db, group, datetime(2025, 2, 1, 13))
    meeting(db, group, datetime(2025, 5, 1, 13))
    meeting(db, group, datetime(2025, 6, 30, 23, 30))  # still spring in Stockholm, 21:30 UTC
    meeting(db, group, datetime(2025, 9, 1, 13), status=MeetingStatus.PLANNED)
    meeting(db, group, datetime(2025, 10, 1, 13), status=MeetingStatus.CANCELLED)
    meeting(db, group, datetime(2024, 10, 1, 13))
    meeting(db, None, datetime(2025, 10, 1, 13))
    target = groups.year_target(group, 2025, now=local_to_utc(datetime(2025, 8, 1)))
    assert (target.held, target.planned, target.spring, target.autumn) == (3, 1, 3, 1)
    assert target.missing == 1 and not target.on_track
    meeting(db, group, datetime(2025, 11, 1, 13), status=MeetingStatus.PLANNED)
    assert groups.year_target(group, 2025, now=local_to_utc(datetime(2025, 8, 1))).on_track


def test_half_year_minimums_count_even_when_the_total_is_reached(db, group):
    for month in (1, 2, 3, 4, 5):
        meeting(db, group, datetime(2025, month, 10, 13))
    target = groups.year_target(group, 2025)
    assert target.total == 5 and target.missing == 2


def test_too_many_meetings(db, agreement):
    group = groups.create_group(agreement, GroupKind.STYRGRUPP, "Liten", meetings_max_per_year=1)
    meeting(db, group, datetime(2025, 2, 1, 13))
    meeting(db, group, datetime(2025, 3, 1, 13))
    assert groups.year_target(group, 2025).too_many


def test_convener_rota_advances_one_place_per_meeting_held(db, group, make_organisation):
    first, second, third = make_organisation("GSE"), make_organisation("SENS"), make_organisation("VGR")
    assert groups.next_convener(group) is None
    groups.set_conveners(group, [first.id, second.id, third.id, first.id])
    assert [c.organisation.name for c in group.conveners] == ["GSE", "SENS", "VGR"]
    now = local_to_utc(datetime(2025, 6, 1))
    assert groups.next_convener(group, now) == first
    meeting(db, group, datetime(2025, 2, 1, 13))
    meeting(db, group, datetime(2025, 3, 1, 13), status=MeetingStatus.CANCELLED)
    assert groups.next_convener(group, now) == second
    meeting(db, group, datetime(2025, 4, 1, 13))
    meeting(db, group, datetime(2025, 5, 1, 13))
    assert groups.next_convener(group, now) == first
    meeting(db, group, datetime(2025, 9, 1, 13), status=MeetingStatus.PLANNED)
    assert groups.next_convener(group, now) == first

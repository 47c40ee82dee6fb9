"""Deadlines computed from the agreement and its groups, on the pages and in the daily reminder mail."""
from datetime import date, datetime

import pytest

from core.agreements import deadlines, groups
from core.agreements.deadlines import DeadlineKind
from core.agreements.models import DeadlineReminder, GroupKind, Side
from core.models import Role
from tests.test_agreements.test_groups import meeting


@pytest.fixture
def vgr(make_agreement):
    return make_agreement(period_start=date(2014, 12, 5), revise_action_plan_every_years=3,
                          review_agreement_every_years=4)


@pytest.fixture
def iop(make_agreement):
    return make_agreement("IOP 2024", period_start=date(2024, 1, 1), annual_report_due_month=2,
                          annual_report_due_day=15)


@pytest.fixture
def group(vgr):
    return groups.create_group(vgr, GroupKind.SAMVERKANSGRUPP, "Samverkansgruppen", meetings_min_per_year=4,
                               meetings_min_spring=2, meetings_min_autumn=2)


def by_kind(found):
    return {d.kind: d for d in found}


def test_revision_and_review_fall_every_nth_year_from_the_start(vgr):
    found = by_kind(deadlines.for_agreement(vgr, today=date(2026, 12, 1)))
    # 2014-12-05 + 3k: 2017, 2020, 2023, 2026 → 2026-12-05 is still ahead on 1 December.
    assert found[DeadlineKind.REVISE_ACTION_PLAN].due == date(2026, 12, 5)
    # + 4k: 2018, 2022, 2026 → also 2026-12-05; on the 6th both move on.
    assert found[DeadlineKind.REVIEW_AGREEMENT].due == date(2026, 12, 5)
    later = by_kind(deadlines.for_agreement(vgr, today=date(2026, 12, 6)))
    assert later[DeadlineKind.REVISE_ACTION_PLAN].due == date(2029, 12, 5)
    assert later[DeadlineKind.REVIEW_AGREEMENT].due == date(2030, 12, 5)
    assert DeadlineKind.ANNUAL_REPORT not in later


def test_first_revision_is_not_the_start_itself(make_agreement):
    fresh = make_agreement(period_start=date(2026, 3, 1), revise_action_plan_every_years=3)
    assert deadlines.for_agreement(fresh, today=date(2026, 1, 1))[0].due == date(2029, 3, 1)


def test_annual_report_is_due_every_15_february_for_the_year_before(iop):
    (report,) = deadlines.for_agreement(iop, today=date(2026, 12, 1))
    assert report.kind == DeadlineKind.ANNUAL_REPORT
    assert report.due == date(2027, 2, 15)
    assert "2026" in report.title
    (same_day,) = deadlines.for_agreement(iop, today=date(2027, 2, 15))
    assert same_day.due == date(2027, 2, 15)


def test_missing_meetings_in_spring_are_due_by_midsummer(db, group):
    meeting(db, group, datetime(2026, 2, 10, 13))
    found = deadlines.for_group(group, today=date(2026, 3, 1), now=datetime(2026, 3, 1))
    (missing,) = found
    assert missing.kind == DeadlineKind.MISSING_MEETINGS
    assert missing.due == date(2026, 6, 30)
    assert "1 möte saknas" in missing.title
    # In autumn the shortfall of the whole year is due by New Year's Eve.
    (autumn,) = deadlines.for_group(group, today=date(2026, 9, 1), now=datetime(2026, 9, 1))
    assert autumn.due == date(2026, 12, 31)
    assert "3 möten saknas" in autumn.title


def test_a_group_on_track_has_no_missing_meetings(db, group):
    for month in (2, 4, 9, 11):
        meeting(db, group, datetime(2026, month, 10, 13))
    assert deadlines.for_group(group, today=date(2026, 3, 1), now=datetime(2026, 3, 1)) == []


def test_reminders_are_sent_once_per_deadline_and_lead_time(app, db, iop, admin, outbox):
    assert deadlines.send_reminders(today=date(2027, 1, 1), lead_days=(30, 7)) == 0
    assert deadlines.send_reminders(today=date(2027, 1, 20), lead_days=(30, 7)) == 1
    assert outbox[-1]["To"] == admin.email
    assert "Årsberättelsen" in outbox[-1]["Subject"]
    assert "2027-02-15" in outbox[-1].get_content()
    # The same day again, and the next day: nothing new.
    assert deadlines.send_reminders(today=date(2027, 1, 20), lead_days=(30, 7)) == 0
    assert deadlines.send_reminders(today=date(2027, 1, 21), lead_days=(30, 7)) == 0
    # A week ahead: the second lead time.
    assert deadlines.send_reminders(today=date(2027, 2, 9), lead_days=(30, 7)) == 1
    assert db.session.query(DeadlineReminder).count() == 2
    assert len(outbox) == 2


def test_a_deadline_found_late_is_reminded_of_once(app, db, iop, admin, outbox):
    assert deadlines.send_reminders(today=date(2027, 2, 14), lead_days=(30, 7)) == 1
    assert deadlines.send_reminders(today=date(2027, 2, 15), lead_days=(30, 7)) == 0


def test_draft_agreements_are_not_reminded_of(app, make_agreement, admin, outbox):
    make_agreement(published=False, annual_report_due_month=2, annual_report_due_day=15)
    assert deadlines.send_reminders(today=date(2027, 2, 1), lead_days=(30,)) == 0


def test_group_members_with_accounts_get_the_groups_reminder(app, db, group, make_user, outbox):
    member = make_user("ledamot@test.example")
    groups.add_member(group, Side.REGION, date(2025, 1, 1), user=member)
    assert deadlines.send_reminders(today=date(2026, 12, 10), lead_days=(30,)) >= 1
    sent_to = [m["To"] for m in outbox if "saknas" in m["Subject"]]
    assert sent_to == ["ledamot@test.example"]


def test_cli_remind(app, iop, admin, outbox):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["agreements", "remind", "--today", "2027-02-10"])
    assert result.exit_code == 0, result.output
    assert "1 påminnelser skickade" in result.output
    bad = runner.invoke(args=["agreements", "remind", "--today", "10/2"])
    assert bad.exit_code != 0
    assert "ÅÅÅÅ-MM-DD" in bad.output


def test_group_page_and_admin_list_show_the_deadlines(client, auth, admin, group, iop):
    page = client.get(f"/overenskommelser/grupper/{group.id}").get_data(as_text=True)
    assert "Tidsfrister" in page
    assert "Handlingsplanen revideras" in page
    assert "Överenskommelsen ses över" in page
    assert "Årsberättelsen" not in page  # the IOP's deadline belongs to the IOP, not this group
    assert "Tidsfrister" not in client.get("/overenskommelser/").get_data(as_text=True)
    auth.login_as(admin)
    index = client.get("/overenskommelser/").get_data(as_text=True)
    assert "Tidsfrister" in index
    assert "Årsberättelsen" in index
    assert "Handlingsplanen revideras" in index
    assert Role.ADMIN in admin.roles

"""Numbers of a series, the annex, charts, exports and the organisation merge hook."""
from core.models import Organisation
from dialog import merge_organisations
from dialog import registration as reg_svc
from dialog.charts import series_figures
from dialog.models import MeetingStatus, Registration
from dialog.stats import (
    attendance_rows,
    by_legal_form_and_region,
    organisation_table,
    returning_organisations,
)


def _attend(meeting, name, org):
    reg, _ = reg_svc.register(meeting, name, None, organisation_id=org.id if org else None, by_organiser=True,
                              send=False)
    reg_svc.set_attendance(reg, True)
    return reg


def _series_with_attendance(make_meeting, make_series, make_organisation):
    series = make_series("Överenskommelsen i Västra Götaland")
    a = make_organisation("Social Ekonomi Sjuhärad", legal_form="natverk", sub_region="sjuharad")
    b = make_organisation("Coompanion Väst", legal_form="ekonomisk_forening", sub_region="goteborgsregionen")
    first = make_meeting(days=-60, status=MeetingStatus.HELD, series=series)
    second = make_meeting(days=-30, status=MeetingStatus.HELD, series=series)
    _attend(first, "Anna", a)
    _attend(first, "Bo", a)
    _attend(first, "Cilla", b)
    _attend(second, "Anna", a)
    reg_svc.register(second, "Frånvarande", None, organisation_id=b.id, by_organiser=True, send=False)
    return series, [first, second], a, b


def test_series_numbers(make_meeting, make_series, make_organisation):
    series, meetings, a, b = _series_with_attendance(make_meeting, make_series, make_organisation)
    rows = attendance_rows(meetings)
    assert [(r["registered"], r["attended"], r["organisations"]) for r in rows] == [(3, 3, 2), (2, 1, 1)]
    forms, regions = by_legal_form_and_region(meetings)
    assert forms == {"Nätverk/plattform": 1, "Ekonomisk förening/kooperativ": 1}
    assert regions == {"Sjuhärad": 1, "Göteborgsregionen": 1}
    assert returning_organisations(meetings) == {2: 1, 1: 1}
    table = organisation_table(meetings)
    assert table[0][:4] == ["Coompanion Väst", "Ekonomisk förening/kooperativ", "Göteborgsregionen", 1]
    assert table[1][3:] == [2, "x", "x"]
    figures = series_figures(meetings)
    assert [f[0] for f in figures] == ["chart-attendance", "chart-forms", "chart-regions", "chart-returning"]
    assert "Organisationer efter delregion" in figures[2][1]


def test_merge_hook_moves_registrations_and_organiser(app, make_meeting, make_organisation, db):

    keep = make_organisation("Röda korset")
    drop = make_organisation("Röda Korset (dubblett)")
    meeting = make_meeting(organiser=drop)
    _attend(meeting, "Anna", drop)
    assert merge_organisations in app.extensions["samrad_org_merge_hooks"]
    merge_organisations(keep, drop)
    db.session.delete(db.session.get(Organisation, drop.id))
    db.session.commit()
    db.session.expire_all()
    registration = db.session.scalar(db.select(Registration))
    assert registration.organisation_id == keep.id and registration.organisation_name == "Röda korset"
    assert db.session.get(type(meeting), meeting.id).organiser_id == keep.id

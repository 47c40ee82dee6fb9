"""The barometer's section of an agreement's yearly report: sessions ended in the year, who took part, how far
they agreed."""
from core.models import utcnow
from core.timeutil import utc_to_local
from surveys.barometer import answering, sessions
from surveys.barometer.reporting import agreement_share, report_section


def test_ended_sessions_of_the_year_are_counted(db, live_session, join):
    statement = live_session.current_statement
    for value in (5, 4, 1):  # two on the agreeing half of five steps, one not
        answering.submit_answer(live_session.code, statement.id, join(), value)
    answering.submit_answer(live_session.code, statement.id, join(), None)  # "vet inte" does not count
    year = utc_to_local(utcnow()).year
    assert report_section(None, year).figures[0][1] == 0  # still running: not in the report
    sessions.session_action(live_session, "end")
    section = report_section(None, year)
    assert dict(section.figures) == {"Avslutade omgångar": 1, "Deltagare": 4}
    assert agreement_share(live_session.id) == 2 / 3
    (table,) = section.tables
    assert table.rows[0][1:] == ["Värmland 2015: Karlstad", 4, 4, "67%"]
    assert len(section.charts) == 1
    assert section.reached == set()  # the phones are anonymous
    assert report_section(None, year - 1).tables == []

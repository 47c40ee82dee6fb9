"""The iCalendar text: CRLF, escaping, folding at 75 octets, UTC times."""
from datetime import datetime

from dialog.calendar import calendar_bytes, escape_text, fold, meeting_ics
from dialog.models import Meeting


def test_escape_text():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_fold_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "å" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_meeting_ics(make_meeting, make_organisation, db):
    org = make_organisation("Landstinget i Värmland")
    meeting = make_meeting(title="Dialogmöte, Värmland; del 1", organiser=org,
                           description="Rad ett\nRad två med ett mycket långt stycke text " * 3)
    meeting.starts_at = datetime(2025, 3, 20, 8, 0)
    meeting.ends_at = datetime(2025, 3, 20, 14, 30)
    db.session.commit()
    text = meeting_ics(meeting).decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART:20250320T080000Z" in unfolded
    assert "DTEND:20250320T143000Z" in unfolded
    assert "SUMMARY:Dialogmöte\\, Värmland\\; del 1" in unfolded
    assert f"UID:meeting-{meeting.id}@" in unfolded
    assert "STATUS:CONFIRMED" in unfolded


def test_feed_lists_every_meeting_and_cancelled_status(make_meeting, db):
    a = make_meeting()
    b = make_meeting()
    b.cancel()
    db.session.commit()
    text = calendar_bytes([a, b], name="Kommande").decode()
    assert text.count("BEGIN:VEVENT") == 2
    assert "STATUS:CANCELLED" in text
    assert "X-WR-CALNAME:Kommande" in text


def test_ics_has_no_bare_newlines_from_user_text(db, make_meeting):
    meeting = make_meeting(place="Gata 1\r\nKarlstad")
    assert isinstance(meeting, Meeting)
    text = meeting_ics(meeting).decode().replace("\r\n ", "")
    assert "LOCATION:Gata 1\\nKarlstad" in text

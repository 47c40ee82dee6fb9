"""iCalendar (RFC 5545) files for one meeting and a feed of upcoming meetings, written with `icalendar`."""
from datetime import UTC

from flask import request
from icalendar import Calendar, Event, vCalAddress, vText
from icalendar.parser import Contentline

from core.mail import external_url
from core.models import utcnow

PRODID = "-//Samråd//Dialogmöten//SV"


def escape_text(value):
    """TEXT escaping of RFC 5545 §3.3.11 (backslash, semicolon, comma, newlines), as icalendar writes it."""
    return vText(value or "").to_ical().decode("utf-8")


def fold(line):
    """Fold a content line at 75 octets (§3.1) without splitting a UTF-8 character."""
    return Contentline(line).to_ical().decode("utf-8")


def _utc(value):
    """Our naive-UTC timestamps as aware ones, so icalendar writes them as UTC times (…Z)."""
    return value.replace(tzinfo=UTC)


def _host():
    try:
        return request.host.split(":")[0] or "samrad"
    except RuntimeError:
        return "samrad"


def meeting_event(meeting, now=None):
    now = now or utcnow()
    url = external_url("dialog.meeting", meeting_id=meeting.id)
    location = ", ".join(p for p in (meeting.place, meeting.online_url) if p)
    description = meeting.description or ""
    if meeting.online_url:
        description = f"{description}\n\n{meeting.online_url}".strip()
    description = f"{description}\n\n{url}".strip()
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@{_host()}")
    event.add("dtstamp", _utc(now))
    event.add("dtstart", _utc(meeting.starts_at))
    event.add("dtend", _utc(meeting.ends_at))
    # Calendars replace an event they hold when SEQUENCE grows: seconds since creation do that.
    event.add("sequence", max(0, int((meeting.updated_at - meeting.created_at).total_seconds())))
    event.add("summary", meeting.title)
    event.add("description", description)
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    if location:
        event.add("location", location)
    if meeting.organiser is not None:
        organiser = vCalAddress(f"mailto:noreply@{_host()}")
        # A quoted parameter value may hold neither a double quote nor a line break.
        organiser.params["cn"] = " ".join((meeting.organiser.name or "").replace('"', "'").split())
        event.add("organizer", organiser)
    return event


def calendar_bytes(meetings, name=None, method="PUBLISH", now=None):
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, now=now))
    return calendar.to_ical()


def meeting_ics(meeting, now=None):
    return calendar_bytes([meeting], now=now)

"""iCalendar (RFC 5545) files for one meeting and a feed of upcoming meetings, written by hand."""
from flask import request

from core.mail import external_url
from core.models import utcnow
from dialog.models import MeetingStatus

PRODID = "-//Samråd//Dialogmöten//SV"


def escape_text(value):
    """TEXT escaping of RFC 5545 §3.3.11: backslash, semicolon, comma and newlines."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def fold(line):
    """Fold a content line at 75 octets (§3.1) without splitting a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts = []
    limit = 75
    while data:
        cut = min(limit, len(data))
        # Step back to the start of a UTF-8 character (continuation bytes are 10xxxxxx).
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = 74  # continuation lines start with one space
    return "\r\n ".join(parts)


def utc_stamp(value):
    return value.strftime("%Y%m%dT%H%M%SZ")


def _host():
    try:
        return request.host.split(":")[0] or "samrad"
    except RuntimeError:
        return "samrad"


def event_lines(meeting, now=None):
    now = now or utcnow()
    url = external_url("dialog.meeting", meeting_id=meeting.id)
    location = ", ".join(p for p in (meeting.place, meeting.online_url) if p)
    description = meeting.description or ""
    if meeting.online_url:
        description = f"{description}\n\n{meeting.online_url}".strip()
    description = f"{description}\n\n{url}".strip()
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.id}@{_host()}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART:{utc_stamp(meeting.starts_at)}",
        f"DTEND:{utc_stamp(meeting.ends_at)}",
        # Calendars replace an event they hold when SEQUENCE grows: seconds since creation do that.
        f"SEQUENCE:{max(0, int((meeting.updated_at - meeting.created_at).total_seconds()))}",
        f"SUMMARY:{escape_text(meeting.title)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        "STATUS:" + ("CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"),
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if meeting.organiser is not None:
        lines.append(f"ORGANIZER;CN={_param(meeting.organiser.name)}:mailto:noreply@{_host()}")
    lines.append("END:VEVENT")
    return lines


def _param(value):
    """A parameter value: quoted, with the characters a quoted value may not hold removed."""
    return '"' + (value or "").replace('"', "'").replace("\n", " ").replace("\r", " ") + '"'


def calendar_bytes(meetings, name=None, method="PUBLISH", now=None):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", f"METHOD:{method}"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for meeting in meetings:
        lines.extend(event_lines(meeting, now=now))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def meeting_ics(meeting, now=None):
    return calendar_bytes([meeting], now=now)

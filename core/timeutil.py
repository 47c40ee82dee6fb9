"""Times are stored as naive UTC; people type and read them in Europe/Stockholm."""
from datetime import UTC
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local_to_utc(value):
    """A naive Stockholm wall-clock datetime (from a form) → naive UTC for the database."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=STOCKHOLM)
    return value.astimezone(UTC).replace(tzinfo=None)


def utc_to_local(value):
    """A naive UTC datetime from the database → aware Stockholm datetime."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(STOCKHOLM)


def utc_to_local_naive(value):
    """For pre-filling a datetime-local form field."""
    local = utc_to_local(value)
    return local.replace(tzinfo=None) if local else None

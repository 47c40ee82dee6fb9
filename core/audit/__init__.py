"""The audit trail: who did what and when, for the actions that matter to openness and trust.

Services call record(...) just before they commit, so the line is stored in the same transaction as the action
(an action rolled back leaves no line). Details hold ids and codes only, never names, addresses or text.
"""
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.extensions import db
from core.models import AuditEvent, User
from core.timeutil import local_to_utc, utc_to_local

# Every action code with its label. The areas' codes are listed here too (strings only: core imports no area),
# so the administrators' filter offers them all.
ACTIONS = {
    "remiss.published": _l("Remiss publicerad"),
    "remiss.unpublished": _l("Remiss avpublicerad"),
    "remiss.handling_decided": _l("Beslut om hur en synpunkt hanteras"),
    "remiss.personal_data_reviewed": _l("Remissvar granskat för personuppgifter"),
    "minutes.approved": _l("Anteckningar godkända"),
    "organisation.merged": _l("Organisationer sammanfogade"),
    "organisation.claimed": _l("Konto kopplat till organisation"),
    "user.invited": _l("Användare inbjuden"),
    "user.roles_changed": _l("Roller eller behörighet ändrade"),
    "gdpr.erased": _l("Personuppgifter raderade på begäran"),
    "gdpr.anonymised": _l("Gamla anmälningar avidentifierade"),
    "api_token.created": _l("API-nyckel skapad"),
    "api_token.revoked": _l("API-nyckel återkallad"),
}

_SCALARS = (str, int, float, bool, type(None))
CURRENT_USER = object()


def _clean(value):
    if isinstance(value, str):
        return value[:200]
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [_clean(v) for v in items if isinstance(v, _SCALARS)]
    raise TypeError(f"audit details take ids, codes and numbers, not {type(value).__name__}")


def _current_actor():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def record(action, target=None, actor=CURRENT_USER, **details):
    """Add a line to the trail in the current transaction (the caller commits) and return it.

    target: a model instance (its table name and id are kept) or a (type, id) pair. actor: a User, an id or None
    (nobody logged in: a personal link, the command line); by default the logged-in user, if any.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to core.audit.ACTIONS")
    if isinstance(target, tuple):
        target_type, target_id = target
    elif target is not None:
        if getattr(target, "id", None) is None:
            db.session.flush()  # a row created in this transaction needs its id first
        target_type, target_id = target.__tablename__, target.id
    else:
        target_type = target_id = None
    if actor is CURRENT_USER:
        actor_id = _current_actor()
    elif actor is None:
        actor_id = None
    else:
        if isinstance(actor, User) and actor.id is None:
            db.session.flush()
        actor_id = actor.id if isinstance(actor, User) else int(actor)
    event = AuditEvent(action=action, actor_id=actor_id, target_type=target_type, target_id=target_id,
                       details={key: _clean(value) for key, value in details.items()})
    db.session.add(event)
    return event


def day_range(date_from=None, date_to=None):
    """Stockholm calendar days (inclusive) → a naive UTC [start, end) pair; either end may be None."""
    start = local_to_utc(datetime.combine(date_from, time.min)) if date_from else None
    end = local_to_utc(datetime.combine(date_to + timedelta(days=1), time.min)) if date_to else None
    return start, end


def search_statement(action=None, actor_id=None, date_from=None, date_to=None):
    """The trail's lines matching the filters, newest first."""
    stmt = sa.select(AuditEvent)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    start, end = day_range(date_from, date_to)
    if start is not None:
        stmt = stmt.where(AuditEvent.at >= start)
    if end is not None:
        stmt = stmt.where(AuditEvent.at < end)
    return stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def actors(events):
    """{actor id: User} for the lines shown (the trail itself keeps only the id)."""
    ids = {e.actor_id for e in events if e.actor_id is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


def label(action):
    return ACTIONS.get(action, action)


def export_table(events):
    """(header, rows) for the CSV export: ids and codes, as stored."""
    header = [_("tid"), _("utförd av (id)"), _("händelse"), _("kod"), _("gäller"), _("id"), _("detaljer")]
    rows = [[utc_to_local(e.at).replace(tzinfo=None), e.actor_id, str(label(e.action)), e.action,
             e.target_type or "", e.target_id, format_details(e.details)] for e in events]
    return header, rows


def format_details(details):
    return ", ".join(f"{key}={_show(value)}" for key, value in sorted((details or {}).items()))


def _show(value):
    if isinstance(value, list):
        return "/".join(str(v) for v in value) or "–"
    return "–" if value is None else str(value)

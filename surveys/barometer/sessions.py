"""Live sessions: start one, move it through its statements (open, close, show, next, end) and
publish its results; every change is committed and told to the open streams."""
import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from core.extensions import db
from core.registry import choices
from surveys.barometer import live
from surveys.barometer.access import forget_session_cache
from surveys.barometer.models import (
    JOIN_ALPHABET,
    JOIN_CODE_LENGTH,
    Answer,
    LiveSession,
    Statement,
    TransitionError,
)
from surveys.barometer.results import Tally, count_answers, statement_numbers


def generate_code():
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def meeting_choices():
    """[(0, "Inget möte"), (id, label), ...]: the meetings a session can be attached to, from whichever
    area provides the "meetings" choice source (dialog); just the first entry without one."""
    return [(0, _("Inget möte"))] + list(choices(current_app, "meetings"))


def meeting_labels(sessions):
    """{meeting id: label} for the meetings these sessions were run at (those the choice source knows)."""
    ids = sorted({s.meeting_id for s in sessions if s.meeting_id})
    return dict(choices(current_app, "meetings", ids=ids)) if ids else {}


def sessions_for_meeting(meeting_id, public_only=False):
    """The barometer sessions run at a meeting; public_only keeps those whose results are shown."""
    stmt = sa.select(LiveSession).where(LiveSession.meeting_id == meeting_id).order_by(LiveSession.created_at)
    if public_only:
        stmt = stmt.where(LiveSession.results_shown.is_(True))
    return db.session.scalars(stmt).all()


def start_session(barometer, user, name="", code=None, meeting_id=None):
    if not barometer.statements:
        raise TransitionError("no_statements", _("Lägg till minst ett påstående innan du startar."))
    for _attempt in range(20):
        candidate = code or generate_code()
        exists = db.session.scalar(sa.select(sa.exists().where(LiveSession.code == candidate)))
        if not exists:
            break
        if code:
            raise TransitionError("code_taken", _("Koden används redan."))
    else:  # pragma: no cover - 31^6 codes make this practically impossible
        raise TransitionError("code_taken", _("Kunde inte skapa en ledig kod. Försök igen."))
    session = LiveSession(barometer=barometer, name=(name or "").strip(), code=candidate, created_by=user,
                          meeting_id=meeting_id or None)
    db.session.add(session)
    db.session.commit()
    return session


def _neighbour(session, offset):
    statements = session.barometer.statements
    if session.current_statement is None:
        return statements[0] if statements and offset > 0 else None
    index = statements.index(session.current_statement)
    target = index + offset
    return statements[target] if 0 <= target < len(statements) else None


ACTIONS = ("open", "close", "show", "hide", "next", "prev", "end")


def session_action(session, action, statement_id=None):
    """Apply one moderator action, commit, and tell every open stream."""
    if action == "open":
        if session.current_statement is None:
            first = _neighbour(session, 1)
            if first is None:
                raise TransitionError("no_statements", _("Barometern har inga påståenden."))
            session.show_statement(first)
        session.open_statement()
    elif action == "close":
        session.close_statement()
    elif action in ("show", "hide"):
        session.set_results_shown(action == "show")
    elif action in ("next", "prev"):
        target = _neighbour(session, 1 if action == "next" else -1)
        if target is None:
            raise TransitionError("no_more", _("Det finns inga fler påståenden åt det hållet.")
                                  if action == "next" else _("Det här är det första påståendet."))
        session.show_statement(target)
        # The moderator usually wants the next statement answerable at once.
        session.open_statement()
    elif action == "goto":
        target = db.session.get(Statement, statement_id) if statement_id else None
        if target is None:
            raise TransitionError("wrong_statement", _("Påståendet finns inte."))
        session.show_statement(target)
        session.open_statement()
    elif action == "end":
        session.end()
    else:
        raise TransitionError("unknown_action", _("Okänd åtgärd."))
    db.session.commit()
    forget_session_cache(session.code)
    live.channel().publish(session.id, "state")
    return session


def publish_results(session, shown=True):
    """After a session: let anyone with the code see (or stop seeing) all its results."""
    session.set_results_shown(shown)
    db.session.commit()
    live.channel().publish(session.id, "state")


# --- what a phone sees ----------------------------------------------------------------

def session_state(session, participant_id=None, include_results=None):
    """What a participant's phone needs: the session, the current statement and, if shown, its result."""
    numbers = statement_numbers(session.barometer_id)
    statement = session.current_statement
    state = {
        "code": session.code,
        "title": session.barometer.title,
        "state": session.state,
        "version": session.version,
        "statement_count": len(numbers),
        "statement": statement.as_json(numbers.get(statement.id)) if statement is not None else None,
        "statement_open": bool(session.statement_open and statement is not None and not session.ended),
        "results_shown": session.results_shown,
        "results": None,
        "my_answer": None,
    }
    show = session.results_shown if include_results is None else include_results
    if show and statement is not None:
        state["results"] = Tally.of(statement, count_answers(session.id, statement.id)).as_json()
    if participant_id is not None and statement is not None:
        row = db.session.execute(sa.select(Answer.value).where(
            Answer.participant_id == participant_id, Answer.statement_id == statement.id)).first()
        state["my_answer"] = {"answered": row is not None, "value": row[0] if row else None}
    return state

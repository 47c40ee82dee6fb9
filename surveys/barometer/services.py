"""The rules of barometers and live sessions: what views, the API and the tests call."""
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from core.models import LEGAL_FORMS, SUB_REGIONS, VG_SUB_REGIONS, hash_token, utcnow
from surveys.barometer import live
from surveys.barometer.models import (
    DEFAULT_LABELS,
    JOIN_ALPHABET,
    JOIN_CODE_LENGTH,
    SCALE_STEPS,
    Answer,
    BackgroundQuestion,
    Barometer,
    LiveSession,
    Participant,
    SessionState,
    Statement,
    TransitionError,
)


class LiveError(Exception):
    """An API refusal: HTTP status, machine-readable code and a Swedish message."""

    def __init__(self, status, error, message):
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message

    def as_json(self):
        return {"error": self.error, "message": str(self.message)}


class StatementLocked(ValueError):
    """A statement that has answers can no longer be edited or deleted."""


# --- barometers and statements ------------------------------------------------

def barometers_for(user):
    query = sa.select(Barometer).order_by(Barometer.updated_at.desc())
    if not user.is_admin:
        query = query.where(Barometer.owner_id == user.id)
    return db.session.scalars(query).all()


def default_background_questions():
    """Which kind of organisation (the legal forms) and which sub-region, in Swedish."""
    with force_locale("sv"):
        forms = [{"value": code, "label": str(label)} for code, label in LEGAL_FORMS.items()]
        regions = [{"value": code, "label": str(SUB_REGIONS[code])} for code in VG_SUB_REGIONS]
        regions.append({"value": "annan", "label": _("Annan region eller annat län")})
        return [
            (_("Vilken typ av organisation företräder du?"), forms),
            (_("Vilken delregion kommer du från?"), regions),
        ]


def create_barometer(owner, title, description="", with_default_questions=True):
    barometer = Barometer(title=title.strip(), description=(description or "").strip(), owner=owner)
    if with_default_questions:
        for position, (text, options) in enumerate(default_background_questions()):
            barometer.background_questions.append(
                BackgroundQuestion(position=position, text=text, options=options, allow_decline=True)
            )
    db.session.add(barometer)
    db.session.commit()
    return barometer


def update_barometer(barometer, title, description):
    barometer.title = title.strip()
    barometer.description = (description or "").strip()
    db.session.commit()
    return barometer


def delete_barometer(barometer):
    db.session.delete(barometer)
    db.session.commit()


def clean_labels(steps, labels):
    """The step labels typed by the moderator, or the defaults where left empty."""
    if steps not in SCALE_STEPS:
        raise ValueError(_("Välj 2, 4, 5 eller 7 steg."))
    typed = [(label or "").strip() for label in (labels or [])][:steps]
    defaults = DEFAULT_LABELS[steps]
    return [typed[i] if i < len(typed) and typed[i] else defaults[i] for i in range(steps)]


def statement_has_answers(statement):
    return db.session.scalar(sa.select(sa.exists().where(Answer.statement_id == statement.id)))


def add_statement(barometer, text, steps=5, labels=None, allow_dont_know=True):
    position = max((s.position for s in barometer.statements), default=-1) + 1
    statement = Statement(text=text.strip(), steps=steps, labels=clean_labels(steps, labels),
                          allow_dont_know=allow_dont_know, position=position)
    barometer.statements.append(statement)
    db.session.commit()
    return statement


def update_statement(statement, text, steps, labels, allow_dont_know):
    if statement_has_answers(statement):
        raise StatementLocked(_("Påståendet har redan svar och kan inte ändras. Kopiera det i stället."))
    statement.text = text.strip()
    statement.steps = steps
    statement.labels = clean_labels(steps, labels)
    statement.allow_dont_know = allow_dont_know
    db.session.commit()
    return statement


def delete_statement(statement):
    if statement_has_answers(statement):
        raise StatementLocked(_("Påståendet har redan svar och kan inte tas bort."))
    barometer = statement.barometer
    barometer.statements.remove(statement)
    _renumber(barometer.statements)
    db.session.commit()


def _renumber(items):
    for position, item in enumerate(items):
        item.position = position


def move_statement(statement, offset):
    """Move a statement up (offset -1) or down (+1); order is what participants will see."""
    items = list(statement.barometer.statements)
    index = items.index(statement)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        _renumber(items)
        db.session.commit()


def copy_statements(barometer, statements):
    """Copy statements (e.g. from another barometer) to the end of this one."""
    copies = []
    for source in statements:
        copies.append(add_statement(barometer, source.text, source.steps, list(source.step_labels),
                                    source.allow_dont_know))
    return copies


def copyable_statements(user, barometer):
    """Statements of the user's other barometers (all barometers for an administrator)."""
    query = (sa.select(Statement).join(Barometer).where(Barometer.id != barometer.id)
             .order_by(Barometer.title, Statement.position))
    if not user.is_admin:
        query = query.where(Barometer.owner_id == user.id)
    return db.session.scalars(query).all()


def barometer_has_participants(barometer):
    return db.session.scalar(sa.select(sa.exists().where(
        Participant.session_id == LiveSession.id, LiveSession.barometer_id == barometer.id)))


def save_background_question(barometer, text, option_labels, allow_decline=True, question=None):
    """Add or edit a question; options are one label per entry. Locked once people have answered."""
    if barometer_has_participants(barometer):
        raise StatementLocked(_("Någon har redan svarat på bakgrundsfrågorna; de kan inte ändras längre."))
    labels = [label.strip() for label in option_labels if label.strip()]
    if len(labels) < 2:
        raise ValueError(_("Skriv minst två svarsalternativ, ett per rad."))
    options = [{"value": f"o{i}", "label": label} for i, label in enumerate(labels, start=1)]
    if question is None:
        position = max((q.position for q in barometer.background_questions), default=-1) + 1
        question = BackgroundQuestion(position=position)
        barometer.background_questions.append(question)
    elif [o["label"] for o in question.options] == labels:
        options = question.options  # unchanged labels keep their values (e.g. legal form codes)
    question.text = text.strip()
    question.options = options
    question.allow_decline = allow_decline
    db.session.commit()
    return question


def delete_background_question(question):
    barometer = question.barometer
    if barometer_has_participants(barometer):
        raise StatementLocked(_("Någon har redan svarat på bakgrundsfrågorna; de kan inte ändras längre."))
    barometer.background_questions.remove(question)
    _renumber(barometer.background_questions)
    db.session.commit()


# --- live sessions ----------------------------------------------------------

def generate_code():
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def meeting_choices():
    """Meetings a session can be attached to: the recent and upcoming ones, newest first."""
    from dialog.models import Meeting

    since = utcnow() - timedelta(days=60)
    meetings = db.session.scalars(
        sa.select(Meeting).where(Meeting.starts_at >= since).order_by(Meeting.starts_at.desc()).limit(50)
    ).all()
    return meetings


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


def get_session_by_code(code):
    code = normalise_code(code)
    if not code:
        return None
    return db.session.scalar(sa.select(LiveSession).where(LiveSession.code == code))


def normalise_code(code):
    code = "".join((code or "").split()).upper()
    return code if len(code) == JOIN_CODE_LENGTH and code.isalnum() and code.isascii() else None


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


# --- joining -------------------------------------------------------------------

def clean_background(barometer, answers):
    """Keep only known questions and options; anything else is "Vill inte svara"."""
    answers = answers if isinstance(answers, dict) else {}
    cleaned = {}
    for question in barometer.background_questions:
        value = answers.get(str(question.id), answers.get(question.id))
        if value is not None and question.option_label(value) is None:
            raise LiveError(400, "bad_background",
                            _("Svaret på frågan ”%(question)s” finns inte bland alternativen.",
                              question=question.text))
        cleaned[str(question.id)] = value
    return cleaned


def join(session, background=None):
    """Create an anonymous participant; returns (participant, raw token). The token is shown once.

    A session takes at most LIVE_MAX_PARTICIPANTS: a venue's phones share one address, so this cap,
    not a per-address limit, is what keeps a join flood from growing a session without bound."""
    if session.ended:
        raise LiveError(409, "session_ended", _("Sessionen är avslutad. Tack för att du deltog!"))
    check_room(session)
    participant = Participant(session_id=session.id, token_hash=secrets.token_hex(32),
                              background=clean_background(session.barometer, background))
    db.session.add(participant)
    db.session.flush()  # the id goes into the token
    raw = _signed_token(participant.id, session.id)
    participant.token_hash = hash_token(raw)
    db.session.commit()
    return participant, raw


def join_by_id(session_id, background=None):
    session = db.session.get(LiveSession, session_id)
    if session is None:
        forget_session_cache()
        raise LiveError(404, "unknown_code", _("Sessionen finns inte längre."))
    return join(session, background)


_full_until: dict[int, float] = {}
FULL_CACHE_SECONDS = 5


def check_room(session):
    """LiveError 409 when the session has its LIVE_MAX_PARTICIPANTS. A full session is remembered in this
    process for a few seconds, so a flood of joins to it costs no count each. Joins in flight at the same
    moment may pass the cap by that many; the cap bounds growth, it is not an exact seat count."""
    cap = int(current_app.config.get("LIVE_MAX_PARTICIPANTS", 20000))
    full = _full_until.get(session.id, 0) > time.monotonic() or participant_count(session) >= cap
    if full:
        _full_until[session.id] = time.monotonic() + FULL_CACHE_SECONDS
        raise LiveError(409, "session_full", _("Sessionen är full (högst %(cap)d deltagare). Fråga moderatorn.",
                                               cap=cap))


def _signature(body):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"barometer-participant:" + body.encode(), hashlib.sha256).hexdigest()[:32]


def _signed_token(participant_id, session_id):
    """<participant>.<session>.<random>.<HMAC>: the answer path can trust it without a lookup.

    Only its hash is stored, as for any token; a deleted participant is caught by the upsert's
    foreign key. Rotating SECRET_KEY makes phones join again (they do so by themselves)."""
    body = f"{participant_id}.{session_id}.{secrets.token_urlsafe(12)}"
    return f"{body}.{_signature(body)}"


def _verify_signed_token(raw):
    parts = raw.split(".")
    if len(parts) != 4 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    body = ".".join(parts[:3])
    if not hmac.compare_digest(parts[3], _signature(body)):
        return None
    return int(parts[0]), int(parts[1])


# --- the answer hot path ---------------------------------------------------------
# A few small per-process caches keep the PUT to one upsert statement. The cached facts never
# change (a code's session id, a token's participant) except by deletion, which the upsert's
# join notices anyway.

_cache_lock = threading.Lock()
_code_cache: dict[str, tuple[int, float]] = {}
_participant_cache: dict[str, tuple[int, int]] = {}
CODE_CACHE_SECONDS = 30
PARTICIPANT_CACHE_SIZE = 50_000


def forget_session_cache(code=None):
    with _cache_lock:
        if code is None:
            _code_cache.clear()
            _participant_cache.clear()
            _full_until.clear()
        else:
            _code_cache.pop(code, None)


def session_id_for_code(code):
    now = time.monotonic()
    hit = _code_cache.get(code)
    if hit and hit[1] > now:
        return hit[0]
    session_id = db.session.scalar(sa.select(LiveSession.id).where(LiveSession.code == code))
    if session_id is None:
        raise LiveError(404, "unknown_code", _("Det finns ingen session med koden %(code)s.", code=code))
    with _cache_lock:
        _code_cache[code] = (session_id, now + CODE_CACHE_SECONDS)
    return session_id


def participant_for_token(raw):
    """(participant id, session id) for a raw participant token, or LiveError 401."""
    if not raw:
        raise LiveError(401, "missing_token", _("Deltagarnyckel saknas. Gå med i sessionen först."))
    signed = _verify_signed_token(raw)
    if signed:
        return signed
    token_hash = hash_token(raw)
    hit = _participant_cache.get(token_hash)
    if hit:
        return hit
    row = db.session.execute(
        sa.select(Participant.id, Participant.session_id).where(Participant.token_hash == token_hash)
    ).first()
    if row is None:
        raise LiveError(401, "unknown_token", _("Deltagarnyckeln är okänd. Gå med i sessionen igen."))
    with _cache_lock:
        if len(_participant_cache) >= PARTICIPANT_CACHE_SIZE:
            _participant_cache.clear()
        _participant_cache[token_hash] = (row[0], row[1])
    return row[0], row[1]


# SQLite allows one writer at a time; letting every thread of a process poll its file lock
# (busy_timeout sleeps in growing steps) costs far more than queueing on a lock in the process.
_sqlite_write_lock = threading.Lock()

# The whole answer in one statement, valid on SQLite (≥ 3.24) and PostgreSQL alike. INSERT … SELECT
# only yields a row while the session runs, the statement is the current, open one and the value is
# on its scale; ON CONFLICT makes the last answer count. Written as text because SQLAlchemy does not
# cache the compiled form of an INSERT … SELECT … ON CONFLICT, and compiling it on every request
# cost more than the rest of the request together (see tests/bench/barometer_load.py).
ANSWER_UPSERT = sa.text(
    "INSERT INTO barometer_answers (participant_id, statement_id, session_id, value, answered_at) "
    "SELECT :participant_id, st.id, ls.id, CAST(:value AS INTEGER), :now "
    "FROM barometer_sessions AS ls JOIN barometer_statements AS st ON st.id = ls.current_statement_id "
    "WHERE ls.id = :session_id AND st.id = :statement_id AND ls.state = :running AND ls.statement_open = true "
    "AND ((CAST(:value AS INTEGER) IS NULL AND st.allow_dont_know = true) "
    "OR CAST(:value AS INTEGER) BETWEEN 1 AND st.steps) "
    "ON CONFLICT (participant_id, statement_id) "
    "DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at"
).bindparams(sa.bindparam("now", type_=sa.DateTime))


def parse_value(body):
    """The answer value from a JSON body: an int step, or None for "Vet inte"."""
    if not isinstance(body, dict) or "value" not in body:
        raise LiveError(400, "bad_value", _("Skicka ett svar som {\"value\": stegnummer} eller {\"value\": null}."))
    value = body["value"]
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise LiveError(400, "bad_value", _("Svaret ska vara ett heltal på skalan eller null för ”Vet inte”."))
    return value


def submit_answer(code, statement_id, raw_token, value):
    """Store a participant's answer to the open statement: one upsert, last answer counts.

    The checks are inside the one statement (see _answer_upsert), so a concurrent close cannot
    slip in between a check and the write. When nothing was written, _refusal() works out why.
    """
    session_id = session_id_for_code(code)
    participant_id, participant_session = participant_for_token(raw_token)
    if participant_session != session_id:
        raise LiveError(401, "unknown_token", _("Deltagarnyckeln hör inte till den här sessionen."))
    params = {"participant_id": participant_id, "session_id": session_id, "statement_id": statement_id,
              "value": value, "now": utcnow(), "running": SessionState.RUNNING}
    engine = db.engine
    try:
        # A bare connection, not the ORM session: nothing here needs an identity map.
        if engine.dialect.name == "sqlite":
            with _sqlite_write_lock, engine.begin() as conn:
                written = conn.execute(ANSWER_UPSERT, params).rowcount
        else:
            with engine.begin() as conn:
                written = conn.execute(ANSWER_UPSERT, params).rowcount
    except IntegrityError:
        forget_session_cache()
        raise LiveError(401, "unknown_token", _("Deltagarnyckeln är okänd. Gå med i sessionen igen.")) from None
    if written != 1:
        raise _refusal(session_id, statement_id, value)
    live.channel().answers_arrived(session_id)
    return {"statement_id": statement_id, "value": value}


def _refusal(session_id, statement_id, value):
    session = db.session.get(LiveSession, session_id)
    statement = db.session.get(Statement, statement_id)
    if session is None:
        forget_session_cache()
        return LiveError(404, "unknown_code", _("Sessionen finns inte längre."))
    if statement is None or statement.barometer_id != session.barometer_id:
        return LiveError(404, "unknown_statement", _("Påståendet finns inte i den här sessionen."))
    if not statement.valid_value(value):
        if value is None:
            return LiveError(400, "bad_value", _("”Vet inte” går inte att välja för det här påståendet."))
        return LiveError(400, "bad_value", _("Välj ett värde mellan 1 och %(steps)d.", steps=statement.steps))
    if session.ended:
        return LiveError(409, "session_ended", _("Sessionen är avslutad. Tack för att du deltog!"))
    if session.current_statement_id != statement_id:
        return LiveError(409, "not_current", _("Moderatorn har gått vidare till ett annat påstående."))
    return LiveError(409, "statement_closed", _("Påståendet är stängt. Ditt svar kom för sent."))


# --- state and counts -------------------------------------------------------------

def count_answers(session_id, statement_id):
    """{value: count} for one statement of one session (None = vet inte): exact, from the database."""
    rows = db.session.execute(
        sa.select(Answer.value, sa.func.count()).where(Answer.session_id == session_id,
                                                      Answer.statement_id == statement_id)
        .group_by(Answer.value)
    ).all()
    return {value: n for value, n in rows}


def count_all(session_id):
    """{statement_id: {value: count}} for every statement of a session."""
    rows = db.session.execute(
        sa.select(Answer.statement_id, Answer.value, sa.func.count()).where(Answer.session_id == session_id)
        .group_by(Answer.statement_id, Answer.value)
    ).all()
    counts = {}
    for statement_id, value, n in rows:
        counts.setdefault(statement_id, {})[value] = n
    return counts


@dataclass
class Tally:
    """Counts of one statement: per step, vet inte, and what the presenter and results show."""

    steps: int
    counts: list
    dont_know: int

    @classmethod
    def of(cls, statement, value_counts):
        counts = [int(value_counts.get(step, 0)) for step in range(1, statement.steps + 1)]
        return cls(statement.steps, counts, int(value_counts.get(None, 0)))

    @property
    def answered(self):
        return sum(self.counts)

    @property
    def total(self):
        return self.answered + self.dont_know

    @property
    def mean(self):
        if not self.answered:
            return None
        return sum(step * n for step, n in enumerate(self.counts, start=1)) / self.answered

    @property
    def shares(self):
        """Share of each step among those who took a position (vet inte left out), in per cent."""
        return [100.0 * n / self.answered if self.answered else 0.0 for n in self.counts]

    def as_json(self):
        mean = self.mean
        return {"counts": self.counts, "dont_know": self.dont_know, "total": self.total,
                "mean": round(mean, 2) if mean is not None else None}


def statement_numbers(barometer_id):
    ids = db.session.scalars(
        sa.select(Statement.id).where(Statement.barometer_id == barometer_id).order_by(Statement.position)
    ).all()
    return {statement_id: number for number, statement_id in enumerate(ids, start=1)}


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
        state["my_answer"] = my_answer(participant_id, statement.id)
    return state


def my_answer(participant_id, statement_id):
    """{"answered": bool, "value": int | None}: a participant's stored answer to one statement."""
    row = db.session.execute(sa.select(Answer.value).where(
        Answer.participant_id == participant_id, Answer.statement_id == statement_id)).first()
    return {"answered": row is not None, "value": row[0] if row else None}


def presenter_counts(session):
    """The presenter's numbers for the current statement, with the chart built in Python."""
    from surveys.barometer.charts import live_figure

    statement = session.current_statement
    if statement is None:
        return {"statement_id": None, "total": 0, "participants": participant_count(session), "figure": None}
    tally = Tally.of(statement, count_answers(session.id, statement.id))
    data = tally.as_json()
    data.update(statement_id=statement.id, participants=participant_count(session),
                figure=live_figure(statement, tally))
    return data


def participant_count(session):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Participant)
                             .where(Participant.session_id == session.id))


# --- results after the session ---------------------------------------------------

def results(session):
    """[(number, statement, Tally)] for every statement of the session's barometer."""
    counts = count_all(session.id)
    return [(number, statement, Tally.of(statement, counts.get(statement.id, {})))
            for number, statement in enumerate(session.barometer.statements, start=1)]


def results_json(session, only_current=False):
    statements = results(session)
    if only_current:
        statements = [r for r in statements if r[1].id == session.current_statement_id]
    return {
        "code": session.code,
        "title": session.barometer.title,
        "state": session.state,
        "participants": participant_count(session),
        "statements": [dict(statement.as_json(number), **tally.as_json())
                       for number, statement, tally in statements],
    }


def breakdown(session):
    """Per background question: for each statement, a Tally per option (and one for "Vill inte svara")."""
    barometer = session.barometer
    rows = db.session.execute(
        sa.select(Answer.statement_id, Answer.value, Participant.background)
        .join(Participant, Participant.id == Answer.participant_id)
        .where(Answer.session_id == session.id)
    ).all()
    out = []
    for question in barometer.background_questions:
        groups = [(option["value"], option["label"]) for option in question.options]
        groups.append((None, _("Vill inte svara")))
        raw = {}  # (statement_id, option value) -> {answer value: n}
        for statement_id, value, background in rows:
            option = (background or {}).get(str(question.id))
            bucket = raw.setdefault((statement_id, option), {})
            bucket[value] = bucket.get(value, 0) + 1
        table = []
        for number, statement in enumerate(barometer.statements, start=1):
            cells = [Tally.of(statement, raw.get((statement.id, value), {})) for value, _label in groups]
            table.append((number, statement, cells))
        out.append({"question": question, "groups": groups, "rows": table})
    return out


def comparable_sessions(session):
    return [s for s in session.barometer.sessions if s.id != session.id]


def export_rows(session):
    """Header and rows for CSV/XLSX: one row per statement with counts per step."""
    max_steps = max((s.steps for s in session.barometer.statements), default=5)
    header = [_("Nr"), _("Påstående"), _("Antal svar"), _("Vet inte"), _("Medelvärde")]
    header += [_("Steg %(n)d", n=i) for i in range(1, max_steps + 1)]
    rows = []
    for number, statement, tally in results(session):
        mean = round(tally.mean, 2) if tally.mean is not None else None
        rows.append([number, statement.text, tally.total, tally.dont_know, mean]
                    + tally.counts + [None] * (max_steps - statement.steps))
    return header, rows


def export_answer_rows(session):
    """Every stored answer, anonymous: participant number, statement, value and background."""
    barometer = session.barometer
    questions = barometer.background_questions
    numbers = {s.id: n for n, s in enumerate(barometer.statements, start=1)}
    header = [_("Deltagare"), _("Påstående nr"), _("Svar"), _("Svarstid (UTC)")] + [q.text for q in questions]
    rows = db.session.execute(
        sa.select(Answer.participant_id, Answer.statement_id, Answer.value, Answer.answered_at,
                  Participant.background)
        .join(Participant, Participant.id == Answer.participant_id)
        .where(Answer.session_id == session.id).order_by(Answer.participant_id, Answer.statement_id)
    ).all()
    seq = {}
    out = []
    for participant_id, statement_id, value, answered_at, background in rows:
        number = seq.setdefault(participant_id, len(seq) + 1)
        out.append([number, numbers.get(statement_id), value if value is not None else _("Vet inte"), answered_at]
                   + [q.option_label((background or {}).get(str(q.id))) or "" for q in questions])
    return header, out


"""Evaluation after a meeting: a few scale statements and one open question, answered once through a personal link.

Built on the barometer's own model: the statements are Statements of a Barometer, the answers Answers of an
ended LiveSession, so the results page, the charts and the exports are the barometer's. Dialog reaches this
module only through core/registry.py ("meeting_evaluation", "evaluation_links", the panels).

Anonymity: an answer is stored under a fresh Participant that knows nothing of who answered. The only trace of
the person is an EvaluationReceipt, an HMAC of (evaluation, key) with no link to the answers, kept so that a
link cannot be used twice.
"""
import hashlib
import hmac
import secrets

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from core import signing
from core.extensions import db
from core.registry import choices
from surveys.barometer.models import (
    DEFAULT_LABELS,
    Answer,
    Barometer,
    BarometerError,
    Evaluation,
    EvaluationComment,
    EvaluationReceipt,
    LiveSession,
    Participant,
    SessionState,
    Statement,
)
from surveys.barometer.results import Tally, count_all, participant_count
from surveys.barometer.sessions import generate_code

STEPS = 5
LINK_PURPOSE = "barometer-evaluation"
LINK_DAYS = 60
COMMENT_MAX = 5000


class EvaluationError(BarometerError):
    """An evaluation could not be created or answered; str() is the message for the user."""

    code = "evaluation"
    status = 400


class AlreadyAnswered(EvaluationError):
    code = "already_answered"
    status = 409


def default_statements():
    """The statements every evaluation starts with (Swedish: the data language); the moderator may edit them."""
    with force_locale("sv"):
        return [
            _("Inbjudan och underlagen gav mig det jag behövde för att delta."),
            _("Jag fick komma till tals och kände mig lyssnad på."),
            _("Mötet handlade om frågor som är viktiga för min organisation."),
            _("Jag vet vad som händer härnäst med det vi tog upp."),
        ]


def default_open_question():
    with force_locale("sv"):
        return _("Vad ska vi göra annorlunda till nästa gång?")


def evaluation_for_meeting(meeting_id):
    return db.session.scalar(sa.select(Evaluation).where(Evaluation.meeting_id == meeting_id))


def _meeting_label(meeting_id):
    return dict(choices(current_app, "meetings", ids=[meeting_id])).get(meeting_id)


def create_evaluation(meeting_id, user):
    """The evaluation of a meeting, with the default statements; refused when the meeting has one already."""
    label = _meeting_label(meeting_id)
    if label is None:
        raise EvaluationError(_("Mötet finns inte."), status=404)
    if evaluation_for_meeting(meeting_id) is not None:
        raise EvaluationError(_("Mötet har redan en utvärdering."), status=409)
    with force_locale("sv"):
        title = _("Utvärdering: %(meeting)s", meeting=label)[:200]
    barometer = Barometer(title=title, owner=user)
    for position, text in enumerate(default_statements()):
        barometer.statements.append(Statement(position=position, text=text, steps=STEPS,
                                              labels=list(DEFAULT_LABELS[STEPS]), allow_dont_know=True))
    session = LiveSession(barometer=barometer, name=str(_("Utvärdering")), code=_free_code(),
                          state=SessionState.ENDED, created_by=user)
    evaluation = Evaluation(barometer=barometer, session=session, meeting_id=meeting_id,
                            open_question=default_open_question())
    db.session.add(evaluation)
    try:
        db.session.commit()
    except IntegrityError:  # created at the same moment by someone else
        db.session.rollback()
        raise EvaluationError(_("Mötet har redan en utvärdering."), status=409) from None
    return evaluation


def _free_code():
    while True:
        code = generate_code()
        if not db.session.scalar(sa.select(sa.exists().where(LiveSession.code == code))):
            return code


# --- personal links ------------------------------------------------------------------------------------

def make_token(evaluation, key):
    return signing.sign(LINK_PURPOSE, {"e": evaluation.id, "k": str(key)})


def answer_url(evaluation, key):
    return url_for("barometer_live.evaluation_answer", token=make_token(evaluation, key), _external=True)


def from_token(token):
    """(evaluation, key) of a personal link, or (None, None) when it is wrong, expired or the evaluation is gone."""
    data = signing.unsign(LINK_PURPOSE, token, max_age=LINK_DAYS * 24 * 3600)
    if not isinstance(data, dict) or not isinstance(data.get("e"), int) or not isinstance(data.get("k"), str):
        return None, None
    evaluation = db.session.get(Evaluation, data["e"])
    return (evaluation, data["k"]) if evaluation is not None else (None, None)


def _key_hash(evaluation, key):
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{evaluation.id}:{key}".encode(), hashlib.sha256).hexdigest()


def already_answered(evaluation, key):
    return db.session.scalar(sa.select(sa.exists().where(
        EvaluationReceipt.evaluation_id == evaluation.id, EvaluationReceipt.key_hash == _key_hash(evaluation, key))))


# --- answering -------------------------------------------------------------------------------------------

DONT_KNOW = "vet-inte"


def parse_answers(evaluation, form):
    """{statement id: value or None} from the posted form (fields s-<id>); raises listing what is missing."""
    values, missing = {}, []
    for number, statement in enumerate(evaluation.barometer.statements, start=1):
        raw = (form.get(f"s-{statement.id}") or "").strip()
        if raw == DONT_KNOW and statement.allow_dont_know:
            values[statement.id] = None
        elif raw.isdigit() and statement.valid_value(int(raw)):
            values[statement.id] = int(raw)
        else:
            missing.append(str(number))
    if missing:
        raise EvaluationError(_("Svara på påstående %(numbers)s (eller välj ”Vet inte”).",
                                numbers=", ".join(missing)))
    return values


def submit(evaluation, key, values, comment=""):
    """Store one person's answers anonymously; a second use of the same link is refused."""
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise EvaluationError(_("Svaret på den öppna frågan är för långt (högst %(max)d tecken).", max=COMMENT_MAX))
    statements = {s.id: s for s in evaluation.barometer.statements}
    if set(values) != set(statements) or not all(statements[i].valid_value(v) for i, v in values.items()):
        raise EvaluationError(_("Svaren stämmer inte med påståendena. Ladda om sidan och försök igen."))
    if already_answered(evaluation, key):
        raise AlreadyAnswered(_("Du har redan svarat på utvärderingen. Tack!"))
    db.session.add(EvaluationReceipt(evaluation_id=evaluation.id, key_hash=_key_hash(evaluation, key)))
    participant = Participant(session_id=evaluation.session_id, token_hash=secrets.token_hex(32), background={})
    db.session.add(participant)
    db.session.flush()
    for statement_id, value in values.items():
        db.session.add(Answer(participant_id=participant.id, statement_id=statement_id,
                              session_id=evaluation.session_id, value=value))
    if comment:
        db.session.add(EvaluationComment(evaluation=evaluation, text=comment))
    try:
        db.session.commit()
    except IntegrityError:  # the same link sent twice at once: the receipt's unique key lets one through
        db.session.rollback()
        raise AlreadyAnswered(_("Du har redan svarat på utvärderingen. Tack!")) from None


# --- results ---------------------------------------------------------------------------------------------

def answer_count(evaluation):
    return participant_count(evaluation.session)


def tallies(evaluation):
    """[(number, statement, Tally)] as the barometer's results have them."""
    counts = count_all(evaluation.session_id)
    return [(number, statement, Tally.of(statement, counts.get(statement.id, {})))
            for number, statement in enumerate(evaluation.barometer.statements, start=1)]


def series_means(meeting_ids):
    """Across meetings (a series): {"meetings": [(meeting id, label, answers)], "statements": [(text, [mean or
    None per meeting])]}. Statements are matched by their text, so edited ones show as their own line."""
    evaluations = db.session.scalars(sa.select(Evaluation).where(Evaluation.meeting_id.in_(list(meeting_ids)))).all()
    by_meeting = {e.meeting_id: e for e in evaluations}
    ordered = [m for m in meeting_ids if m in by_meeting]
    if not ordered:
        return None
    labels = dict(choices(current_app, "meetings", ids=ordered))
    meetings, lines = [], {}
    for column, meeting_id in enumerate(ordered):
        evaluation = by_meeting[meeting_id]
        meetings.append((meeting_id, labels.get(meeting_id, ""), answer_count(evaluation)))
        for _number, statement, tally in tallies(evaluation):
            lines.setdefault(statement.text, [None] * len(ordered))[column] = tally.mean
    return {"meetings": meetings, "statements": list(lines.items())}


# --- what dialog asks through core/registry.py ------------------------------------------------------------

def summary_for_meeting(meeting_id):
    """The "meeting_evaluation" source: {"id", "answers", "results_url"} or None when the meeting has none."""
    evaluation = evaluation_for_meeting(meeting_id)
    if evaluation is None:
        return None
    return {"id": evaluation.id, "answers": answer_count(evaluation),
            "results_url": url_for("barometer.evaluation", evaluation_id=evaluation.id)}


def links_for_meeting(meeting_id, keys):
    """The "evaluation_links" source: {key: personal answer URL}; {} when the meeting has no evaluation."""
    evaluation = evaluation_for_meeting(meeting_id)
    if evaluation is None:
        return {}
    return {key: answer_url(evaluation, key) for key in keys}

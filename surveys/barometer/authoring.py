"""Building barometers: their statements and background questions, locked once people have answered."""
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from core.extensions import db
from core.models import LEGAL_FORMS, SUB_REGIONS, VG_SUB_REGIONS
from surveys.barometer.models import (
    DEFAULT_LABELS,
    SCALE_STEPS,
    Answer,
    BackgroundQuestion,
    Barometer,
    BarometerError,
    LiveSession,
    Participant,
    Statement,
    StatementLocked,
)


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
        raise BarometerError(_("Välj 2, 4, 5 eller 7 steg."), code="bad_steps")
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
        raise BarometerError(_("Skriv minst två svarsalternativ, ett per rad."), code="few_options")
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

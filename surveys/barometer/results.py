"""Counting answers: the live tallies, the results after a session, the breakdown by background and exports."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from core.extensions import db
from surveys.barometer.charts import live_figure
from surveys.barometer.models import Answer, Participant, Statement


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


def presenter_counts(session):
    """The presenter's numbers for the current statement, with the chart built in Python."""
    statement = session.current_statement
    if statement is None:
        return {"statement_id": None, "total": 0, "participants": participant_count(session), "figure": None}
    tally = Tally.of(statement, count_answers(session.id, statement.id))
    data = tally.as_json()
    data.update(statement_id=statement.id, participants=participant_count(session),
                figure=live_figure(statement, tally))
    return data


def participant_count(session):
    """Participants of a session (the session or its id)."""
    session_id = session if isinstance(session, int) else session.id
    return db.session.scalar(sa.select(sa.func.count()).select_from(Participant)
                             .where(Participant.session_id == session_id))


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

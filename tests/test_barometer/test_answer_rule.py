"""The rule of a valid answer is written twice: in SQL (answering.ANSWER_UPSERT, the hot path the API uses) and
on the model (LiveSession.accepts_answer with Statement.valid_value). These tests run every session state ×
statement open/closed × current or not × value in and out of range through both and check that they agree,
on whichever database the suite runs on (SQLite by default, PostgreSQL with DATABASE_URL)."""
import itertools

import pytest
import sqlalchemy as sa

from surveys.barometer import answering
from surveys.barometer.models import Answer, LiveError, SessionState

INT_MAX = 2**31 - 1


def values_for(statement):
    """Boundaries of the statement's scale, its neighbours, negatives, database limits and beyond, odd types."""
    steps = statement.steps
    return [None, 1, 2, steps - 1, steps, steps + 1, 0, -1, -steps, -INT_MAX - 1, INT_MAX, INT_MAX + 1, 10**20,
            -(10**20), True, False, 2.0, "3"]


def set_state(db, session, state, statement_open, current):
    session.state = state
    session.statement_open = statement_open
    session.current_statement_id = current.id if current is not None else None
    db.session.commit()


def raw_path(db, session, statement, token, value):
    """(accepted, stored value) through the API's path: submit_answer and its one SQL upsert."""
    db.session.execute(sa.delete(Answer).where(Answer.statement_id == statement.id))
    db.session.commit()
    try:
        answering.submit_answer(session.code, statement.id, token, value)
        accepted = True
    except LiveError as exc:
        assert exc.status in (400, 409), (exc.status, exc.code)
        accepted = False
    db.session.expire_all()
    stored = db.session.execute(sa.select(Answer.value).where(Answer.statement_id == statement.id)).all()
    return accepted, stored


@pytest.mark.parametrize("state", SessionState.ALL)
@pytest.mark.parametrize("statement_open", [True, False])
def test_sql_upsert_and_model_rule_agree(db, barometer, live_session, join, state, statement_open):
    token = join()  # before the session may end: joining an ended session is refused
    statements = list(barometer.statements)
    # The statement asked about is the current one, or another one is current, or none is.
    cases = [(target, target) for target in statements]
    cases += [(statements[0], statements[1]), (statements[0], None)]
    disagreements = []
    for (target, current) in cases:
        set_state(db, live_session, state, statement_open, current)
        for value in values_for(target):
            model = live_session.accepts_answer(target, value)
            accepted, stored = raw_path(db, live_session, target, token, value)
            if accepted != model:
                disagreements.append((state, statement_open, target.steps, current is target, value, accepted, model))
            assert stored == ([(value,)] if accepted else []), (value, stored)
    assert not disagreements


def test_the_matrix_can_fail(db, barometer, live_session, join):
    """The model rule is not trivially true or false: some cases accept and some refuse."""
    statement = barometer.statements[0]
    outcomes = set()
    for state, is_open in itertools.product(SessionState.ALL, (True, False)):
        set_state(db, live_session, state, is_open, statement)
        outcomes |= {live_session.accepts_answer(statement, v) for v in values_for(statement)}
    assert outcomes == {True, False}

"""Unit tests of the barometer rules: statements, session transitions, answers, counts and results."""
import pytest
import sqlalchemy as sa

from core.demo import seed_core
from surveys.barometer import access, answering, authoring, live, results, sessions
from surveys.barometer.demo import DEMO_CODE, VARMLAND_STATEMENTS, seed_demo
from surveys.barometer.models import (
    DEFAULT_LABELS,
    JOIN_ALPHABET,
    Answer,
    LiveError,
    LiveSession,
    SessionState,
    StatementLocked,
    TransitionError,
)
from surveys.barometer.results import Tally


def stored(db, session_id, statement_id):
    return db.session.execute(
        sa.select(Answer.participant_id, Answer.value).where(Answer.session_id == session_id,
                                                             Answer.statement_id == statement_id)
        .order_by(Answer.participant_id)
    ).all()


# --- barometers and statements -------------------------------------------------------

def test_new_barometer_gets_the_default_background_questions(moderator):
    barometer = authoring.create_barometer(moderator, "  Test  ")
    assert barometer.title == "Test"
    kinds, regions = barometer.background_questions
    assert "organisation" in kinds.text
    assert {o["value"] for o in kinds.options} >= {"forening", "stiftelse", "trossamfund"}
    assert "Göteborgsregionen" in [o["label"] for o in regions.options]


def test_barometer_without_default_questions(moderator):
    assert authoring.create_barometer(moderator, "Utan", with_default_questions=False).background_questions == []


def test_labels_default_per_scale_and_keep_typed_ones():
    assert authoring.clean_labels(5, []) == DEFAULT_LABELS[5]
    assert authoring.clean_labels(2, ["Nej", ""]) == ["Nej", DEFAULT_LABELS[2][1]]
    assert len(authoring.clean_labels(7, ["a"] * 9)) == 7
    with pytest.raises(ValueError):
        authoring.clean_labels(3, [])


def test_statements_are_ordered_and_can_be_moved(barometer):
    first, second, third = barometer.statements
    authoring.move_statement(third, -1)
    assert [s.id for s in barometer.statements] == [first.id, third.id, second.id]
    authoring.move_statement(first, -1)  # already first: nothing happens
    assert barometer.statements[0].id == first.id
    authoring.delete_statement(third)
    assert [s.position for s in barometer.statements] == [0, 1]


def test_statement_is_locked_once_answered(db, live_session, join):
    statement = live_session.current_statement
    authoring.update_statement(statement, "Ändrad text", 4, [], True)  # no answers yet: allowed
    answering.submit_answer(live_session.code, statement.id, join(), 2)
    with pytest.raises(StatementLocked):
        authoring.update_statement(statement, "Igen", 5, [], True)
    with pytest.raises(StatementLocked):
        authoring.delete_statement(statement)


def test_copy_statements_from_another_barometer(moderator, barometer):
    other = authoring.create_barometer(moderator, "Ny")
    copies = authoring.copy_statements(other, barometer.statements[1:])
    assert [c.text for c in copies] == [s.text for s in barometer.statements[1:]]
    assert copies[0].steps == 4 and copies[1].allow_dont_know is False
    assert {s.id for s in authoring.copyable_statements(moderator, other)} == {s.id for s in barometer.statements}


def test_background_questions_lock_after_someone_joined(barometer, live_session, join):
    question = barometer.background_questions[0]
    authoring.save_background_question(barometer, "Ålder?", ["Under 30", "30 eller äldre"])
    join({str(question.id): "forening"})
    with pytest.raises(StatementLocked):
        authoring.save_background_question(barometer, "Kön?", ["A", "B"])
    with pytest.raises(StatementLocked):
        authoring.delete_background_question(question)


def test_background_question_needs_two_options(moderator):
    barometer = authoring.create_barometer(moderator, "B", with_default_questions=False)
    with pytest.raises(ValueError):
        authoring.save_background_question(barometer, "Fråga", ["Bara en"])


# --- sessions --------------------------------------------------------------------------

def test_join_codes_have_no_look_alikes(barometer, moderator):
    for _ in range(200):
        code = sessions.generate_code()
        assert len(code) == 6 and set(code) <= set(JOIN_ALPHABET)
    assert not set("0O1IL") & set(JOIN_ALPHABET)
    session = sessions.start_session(barometer, moderator)
    assert session.state == SessionState.WAITING and session.current_statement is None


def test_a_hand_picked_code_must_be_free(barometer, moderator):
    sessions.start_session(barometer, moderator, code="VARM15")
    with pytest.raises(TransitionError):
        sessions.start_session(barometer, moderator, code="VARM15")


def test_cannot_start_without_statements(moderator):
    empty = authoring.create_barometer(moderator, "Tom")
    with pytest.raises(TransitionError):
        sessions.start_session(empty, moderator)


def test_moderator_walks_through_the_statements(barometer, moderator):
    session = sessions.start_session(barometer, moderator)
    first, second, third = barometer.statements
    sessions.session_action(session, "open")
    assert session.current_statement_id == first.id and session.statement_open
    sessions.session_action(session, "close")
    assert not session.statement_open
    with pytest.raises(TransitionError):
        sessions.session_action(session, "close")
    sessions.session_action(session, "show")
    assert session.results_shown
    sessions.session_action(session, "next")
    assert session.current_statement_id == second.id and session.statement_open and not session.results_shown
    sessions.session_action(session, "next")
    with pytest.raises(TransitionError):
        sessions.session_action(session, "next")
    sessions.session_action(session, "prev")
    assert session.current_statement_id == second.id
    sessions.session_action(session, "goto", statement_id=third.id)
    assert session.current_statement_id == third.id
    version = session.version
    sessions.session_action(session, "end")
    assert session.ended and not session.statement_open and session.version > version
    for action in ("open", "next", "end"):
        with pytest.raises(TransitionError):
            sessions.session_action(session, action)


def test_a_statement_of_another_barometer_cannot_be_shown(live_session, moderator):
    other = authoring.create_barometer(moderator, "Annan")
    statement = authoring.add_statement(other, "Främmande")
    with pytest.raises(TransitionError):
        live_session.show_statement(statement)


def test_actions_are_published_to_the_live_channel(app, live_session):
    with live.channel().subscribe(live_session.id) as sub:
        sessions.session_action(live_session, "close")
        assert sub.get(1) == {"session": live_session.id, "kind": "state"}


# --- joining and answering -------------------------------------------------------------

def test_join_stores_only_the_token_hash_and_checks_background(db, barometer, live_session):
    question = barometer.background_questions[0]
    participant, token = answering.join(live_session, {str(question.id): "stiftelse"})
    assert participant.token_hash != token and len(participant.token_hash) == 64
    assert participant.background[str(question.id)] == "stiftelse"
    assert participant.background[str(barometer.background_questions[1].id)] is None  # not answered
    with pytest.raises(LiveError) as err:
        answering.join(live_session, {str(question.id): "påhittad"})
    assert err.value.status == 400


def test_cannot_join_an_ended_session(live_session):
    sessions.session_action(live_session, "end")
    with pytest.raises(LiveError) as err:
        answering.join(live_session)
    assert err.value.status == 409


def test_answers_are_idempotent_and_the_last_one_counts(db, live_session, join):
    statement_id = live_session.current_statement_id
    token = join()
    for value in (2, 2, 5, 4):
        assert answering.submit_answer(live_session.code, statement_id, token, value)["value"] == value
    rows = stored(db, live_session.id, statement_id)
    assert len(rows) == 1 and rows[0].value == 4
    answering.submit_answer(live_session.code, statement_id, token, None)
    assert stored(db, live_session.id, statement_id)[0].value is None


@pytest.mark.parametrize("value", [0, 6, -1])
def test_a_value_off_the_scale_is_refused(live_session, join, value):
    with pytest.raises(LiveError) as err:
        answering.submit_answer(live_session.code, live_session.current_statement_id, join(), value)
    assert err.value.status == 400


def test_dont_know_only_where_allowed(live_session, join):
    third = live_session.barometer.statements[2]
    sessions.session_action(live_session, "goto", statement_id=third.id)
    with pytest.raises(LiveError) as err:
        answering.submit_answer(live_session.code, third.id, join(), None)
    assert err.value.status == 400
    assert answering.submit_answer(live_session.code, third.id, join(), 7)["value"] == 7


def test_an_answer_after_close_or_to_another_statement_is_refused(db, live_session, join):
    token = join()
    first, second, _third = live_session.barometer.statements
    sessions.session_action(live_session, "close")
    with pytest.raises(LiveError) as err:
        answering.submit_answer(live_session.code, first.id, token, 3)
    assert (err.value.status, err.value.code) == (409, "statement_closed")
    sessions.session_action(live_session, "next")
    with pytest.raises(LiveError) as err:
        answering.submit_answer(live_session.code, first.id, token, 3)
    assert (err.value.status, err.value.code) == (409, "not_current")
    sessions.session_action(live_session, "end")
    with pytest.raises(LiveError) as err:
        answering.submit_answer(live_session.code, second.id, token, 3)
    assert (err.value.status, err.value.code) == (409, "session_ended")
    assert stored(db, live_session.id, first.id) == []


def test_tokens_are_checked(live_session, barometer, moderator, join):
    statement_id = live_session.current_statement_id
    for token, error in ((None, "missing_token"), ("gissad", "unknown_token")):
        with pytest.raises(LiveError) as err:
            answering.submit_answer(live_session.code, statement_id, token, 3)
        assert (err.value.status, err.value.code) == (401, error)
    other = sessions.start_session(barometer, moderator)
    with pytest.raises(LiveError) as err:
        answering.submit_answer(live_session.code, statement_id, join(session=other), 3)
    assert err.value.status == 401


def test_unknown_code_and_statement(live_session, join):
    with pytest.raises(LiveError) as err:
        answering.submit_answer("QQQQQQ", live_session.current_statement_id, join(), 3)
    assert err.value.status == 404
    with pytest.raises(LiveError) as err:
        answering.submit_answer(live_session.code, 987654, join(), 3)
    assert (err.value.status, err.value.code) == (404, "unknown_statement")


def test_answers_tell_the_live_channel_coalesced(app, live_session, join):
    channel = live.channel()
    with channel.subscribe(live_session.id, kinds=("answers",)) as sub:
        for value in (1, 2, 3):
            answering.submit_answer(live_session.code, live_session.current_statement_id, join(), value)
        channel.flush()
        events = [sub.get(1)] + sub.drain()
    # Three answers, one event (two if the background flush happened to fall between them).
    assert 1 <= len(events) <= 2
    assert all(e == {"session": live_session.id, "kind": "answers"} for e in events)


# --- counts and results -----------------------------------------------------------------

def test_tally_mean_and_shares(barometer):
    statement = barometer.statements[0]
    tally = Tally.of(statement, {1: 1, 5: 3, None: 2})
    assert tally.counts == [1, 0, 0, 0, 3] and tally.total == 6 and tally.answered == 4
    assert tally.mean == 4.0 and tally.shares[4] == 75.0
    assert Tally.of(statement, {}).mean is None


def test_presenter_counts_are_exact(live_session, join):
    statement_id = live_session.current_statement_id
    for value in (1, 1, 4, None):
        answering.submit_answer(live_session.code, statement_id, join(), value)
    counts = results.presenter_counts(live_session)
    assert counts["counts"] == [2, 0, 0, 1, 0] and counts["dont_know"] == 1 and counts["total"] == 4
    assert counts["participants"] == 4
    assert counts["figure"]["layout"]["barmode"] == "relative"


def test_results_breakdown_and_exports(barometer, live_session, join):
    kind = barometer.background_questions[0]
    first = live_session.current_statement_id
    answering.submit_answer(live_session.code, first, join({str(kind.id): "stiftelse"}), 5)
    answering.submit_answer(live_session.code, first, join({str(kind.id): "stiftelse"}), 3)
    answering.submit_answer(live_session.code, first, join(), 1)
    rows = results.results(live_session)
    assert [r[0] for r in rows] == [1, 2, 3]
    assert rows[0][2].counts == [1, 0, 1, 0, 1]
    block = results.breakdown(live_session)[0]
    labels = [label for _value, label in block["groups"]]
    assert "Stiftelse" in labels and labels[-1] == "Vill inte svara"
    cells = block["rows"][0][2]
    assert cells[labels.index("Stiftelse")].mean == 4.0
    assert cells[-1].total == 1
    header, export = results.export_rows(live_session)
    assert export[0][:5] == [1, barometer.statements[0].text, 3, 0, 3.0]
    assert len(header) == 5 + 7  # the widest scale has seven steps
    header, answers = results.export_answer_rows(live_session)
    assert len(answers) == 3 and kind.text in header
    assert results.results_json(live_session, only_current=True)["statements"][0]["id"] == first


def test_state_for_a_phone(live_session, join):
    token = join()
    participant_id, _ = access.participant_for_token(token)
    state = sessions.session_state(live_session, participant_id)
    assert state["statement"]["number"] == 1 and state["statement_open"] and state["my_answer"] == {
        "answered": False, "value": None}
    answering.submit_answer(live_session.code, live_session.current_statement_id, token, 2)
    assert sessions.session_state(live_session, participant_id)["my_answer"] == {"answered": True, "value": 2}
    sessions.session_action(live_session, "show")
    assert sessions.session_state(live_session)["results"]["counts"][1] == 1


def test_demo_seeder_is_idempotent(db, app):
    seed_core()
    seed_demo()
    session = seed_demo()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LiveSession)) == 1
    assert session.code == DEMO_CODE and session.statement_open
    assert [s.text for s in session.barometer.statements] == VARMLAND_STATEMENTS
    assert session.barometer.owner.email == "moderator@samrad.example"
    assert session.current_statement_id == session.barometer.statements[0].id

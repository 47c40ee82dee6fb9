"""The action plan: loaded as data, followed up per year, shown as a principle × level matrix with evidence."""
import json
from datetime import date, datetime, timedelta

import pytest

from core.agreements import actionplan
from core.agreements.demo import load
from core.agreements.models import (
    AgreementError,
    Indicator,
    IndicatorKind,
    Measure,
    MeasureStatus,
    ParticipationLevel,
    Principle,
)
from core.registry import add_choice_source
from dialog.models import Meeting


@pytest.fixture
def plan():
    return load("action_plan_vgr.json")


@pytest.fixture
def loaded(db, agreement, plan):
    actionplan.load_plan(agreement, plan)
    db.session.commit()
    return agreement


def count(db, model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_loads_six_principles_four_levels_26_measures_37_indicators_once(db, loaded, plan):
    assert [p.name for p in loaded.principles] == [
        "Dialog", "Långsiktighet", "Kvalitet", "Öppenhet och insyn", "Självständighet och oberoende", "Mångfald"]
    assert [lv.name for lv in loaded.levels] == ["Information", "Samråd", "Dialog", "Partnerskap"]
    assert (count(db, Measure), count(db, Indicator)) == (26, 37)
    actionplan.load_plan(loaded, plan)
    db.session.commit()
    assert (count(db, Principle), count(db, ParticipationLevel), count(db, Measure), count(db, Indicator)) == (
        6, 4, 26, 37)


def test_a_region_adds_its_own_principle_as_data(db, loaded):
    own = actionplan.add_principle(loaded, "demokrati", "Demokrati")
    db.session.commit()
    assert loaded.principles[-1] == own
    cells = actionplan.matrix(loaded, 2025)
    assert len(cells) == 7 * 4
    with pytest.raises(AgreementError):
        actionplan.add_principle(loaded, "demokrati", "Demokrati")


def test_the_projects_copy_of_the_data_is_the_shared_extraction(plan):
    # The project seeds from its own copy; it must say what the README says it holds.
    assert plan["cooperation_group"]["meetings_per_year_min"] == 4
    assert json.dumps(plan, ensure_ascii=False).count('"text"') > 26


def test_yes_no_and_value_indicators(db, loaded):
    dialog = loaded.principles[0]
    yes_no = dialog.indicators[0]
    with pytest.raises(AgreementError):
        actionplan.set_indicator_value(yes_no, 2025, value=3.0)
    row = actionplan.set_indicator_value(yes_no, 2025, met=True, note="Två dialogmöten")
    assert row.reached is True
    value = Indicator(principle=dialog, level=loaded.levels[2], text="Antal dialogmöten", kind=IndicatorKind.VALUE,
                      target=4)
    db.session.add(value)
    db.session.commit()
    with pytest.raises(AgreementError):
        actionplan.set_indicator_value(value, 2025, met=True)
    assert actionplan.set_indicator_value(value, 2025, value=3).reached is False
    assert actionplan.set_indicator_value(value, 2025, value=4).reached is True
    assert len(value.values) == 1
    with pytest.raises(AgreementError):
        actionplan.set_indicator_value(value, 1999, value=4)


def test_matrix_scores_a_cell_by_the_share_of_its_indicators_reached(db, loaded):
    dialog, information = loaded.principles[0], loaded.levels[0]
    first, second = [i for i in dialog.indicators if i.level_id == information.id]
    cells = actionplan.matrix(loaded, 2025)
    assert cells[(dialog.id, information.id)].score is None
    actionplan.set_indicator_value(first, 2025, met=True)
    actionplan.set_indicator_value(second, 2024, met=True)  # another year does not count
    cell = actionplan.matrix(loaded, 2025)[(dialog.id, information.id)]
    assert (cell.reached, cell.known, len(cell.indicators), cell.score) == (1, 1, 2, 0.5)
    actionplan.set_indicator_value(second, 2025, met=False)
    assert actionplan.matrix(loaded, 2025)[(dialog.id, information.id)].score == 0.5


def test_measures_summary_counts_done_and_late(db, loaded):
    dialog = loaded.principles[0]
    actionplan.set_measure(dialog.measures[0], MeasureStatus.DONE, due_on=date(2017, 12, 31))
    actionplan.set_measure(dialog.measures[1], MeasureStatus.ONGOING, due_on=date(2017, 12, 31))
    actionplan.set_measure(dialog.measures[2], MeasureStatus.PLANNED, responsible="Regionstyrelsen",
                           due_on=date(2099, 1, 1))
    summary = actionplan.measures_summary(loaded, today=date(2018, 1, 1))[dialog.id]
    assert summary == {"total": 3, "done": 1, "late": 1}
    assert dialog.measures[0].done_on is not None and dialog.measures[2].responsible == "Regionstyrelsen"
    with pytest.raises(AgreementError):
        actionplan.set_measure(dialog.measures[0], "klar")


def test_evidence_comes_from_the_areas_sources_and_is_linked_once(app, db, loaded):
    add_choice_source(app, "evidence:test", lambda: [
        {"kind": "remiss", "id": 7, "label": "Remiss om överenskommelsen", "url": "/remisser/7"}])
    try:
        candidates = actionplan.evidence_candidates()
        assert {"kind": "remiss", "id": 7, "label": "Remiss om överenskommelsen", "url": "/remisser/7"} in candidates
        principle, level = loaded.principles[3], loaded.levels[1]
        row = actionplan.add_evidence_from_candidate(principle, level, 2025, "remiss:7")
        assert (row.label, row.url) == ("Remiss om överenskommelsen", "/remisser/7")
        with pytest.raises(AgreementError):
            actionplan.add_evidence_from_candidate(principle, level, 2025, "remiss:7")
        with pytest.raises(AgreementError):
            actionplan.add_evidence_from_candidate(principle, level, 2025, "remiss:8")
        cell = actionplan.matrix(loaded, 2025)[(principle.id, level.id)]
        assert cell.evidence == [row]
        assert actionplan.matrix(loaded, 2024)[(principle.id, level.id)].evidence == []
    finally:
        app.extensions["samrad_choice_sources"].pop("evidence:test")


def test_dialog_offers_its_meetings_as_evidence(db, loaded):
    db.session.add(Meeting(title="Dialogmöte Skaraborg", starts_at=datetime(2025, 5, 23, 11),
                           ends_at=datetime(2025, 5, 23, 11) + timedelta(hours=3)))
    db.session.commit()
    meetings = actionplan.evidence_candidates("meeting")
    assert meetings[0]["label"] == "Dialogmöte Skaraborg (2025-05-23)"
    assert meetings[0]["url"].startswith("/moten/")
    # A meeting counts as evidence for the year it took place.
    assert actionplan.evidence_candidates("meeting", 2025) == meetings
    assert actionplan.evidence_candidates("meeting", 2024) == []


def test_heatmap_carries_each_cells_url(db, loaded):
    cells = actionplan.matrix(loaded, 2025)
    figure = json.loads(actionplan.heatmap(loaded, 2025, cells, lambda p, lv: f"/cell/{p.key}/{lv.key}"))
    trace = figure["data"][0]
    assert trace["type"] == "heatmap"
    assert len(trace["z"]) == 6 and len(trace["z"][0]) == 4
    assert trace["customdata"][0][0] == "/cell/dialog/information"

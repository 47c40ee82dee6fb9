"""The action plan: principles × levels of participation, measures, indicators with yearly values, evidence.

Principles and levels are rows, not code: the seed loads the Västra Götaland plan from data/, and a region
may add its own principles (Värmland's Demokrati, Integritet, Tillgänglighet) the same way.
"""
from dataclasses import dataclass, field
from datetime import date

import plotly.graph_objects as go
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.agreements.managing import AgreementErrors
from core.agreements.models import (
    AgreementError,
    Evidence,
    EvidenceKind,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Measure,
    MeasureStatus,
    ParticipationLevel,
    Principle,
)
from core.charts import base_layout, figure_json
from core.extensions import db

# Areas offer what can count as evidence under names starting with this (core.registry.add_choice_source):
# func() -> [{"kind": "meeting", "id": 3, "label": "...", "url": "/moten/3", "year": 2025}, ...]; "year" (when
# the thing took place) is optional: without it a candidate is offered for every year.
EVIDENCE_SOURCE_PREFIX = "evidence:"


def add_principle(agreement, key, name, description="", responsibilities=""):
    key = (key or "").strip().lower()
    if not key or not (name or "").strip():
        raise AgreementErrors({"name": _l("Skriv principens namn.")})
    if any(p.key == key for p in agreement.principles):
        raise AgreementError(_l("Principen finns redan."), field="name")
    principle = Principle(agreement=agreement, key=key[:60], name=name.strip()[:200], description=description,
                          responsibilities=responsibilities, position=len(agreement.principles) + 1)
    db.session.add(principle)
    db.session.flush()
    return principle


def add_level(agreement, key, name, description=""):
    key = (key or "").strip().lower()
    if not key or not (name or "").strip():
        raise AgreementErrors({"name": _l("Skriv nivåns namn.")})
    if any(lv.key == key for lv in agreement.levels):
        raise AgreementError(_l("Nivån finns redan."), field="name")
    level = ParticipationLevel(agreement=agreement, key=key[:60], name=name.strip()[:200], description=description,
                               position=len(agreement.levels) + 1)
    db.session.add(level)
    db.session.flush()
    return level


def load_plan(agreement, plan):
    """Load principles, levels, measures and indicators from the extracted JSON (action_plan_vgr.json).

    Idempotent: what exists (by key, or by text within a principle) is left as it is.
    """
    levels = {lv.key: lv for lv in agreement.levels}
    for item in sorted(plan["levels"], key=lambda lv: lv["order"]):
        if item["key"] not in levels:
            levels[item["key"]] = add_level(agreement, item["key"], item["name"], item.get("description", ""))
    principles = {p.key: p for p in agreement.principles}
    for item in sorted(plan["principles"], key=lambda p: p["number"]):
        principle = principles.get(item["key"])
        if principle is None:
            responsibilities = "\n".join(r["text"] for r in item.get("responsibilities", []))
            principle = add_principle(agreement, item["key"], item["name"], item.get("description", ""),
                                      responsibilities)
            principle.position = item["number"]
        known = {m.text for m in principle.measures}
        for i, measure in enumerate(item.get("measures", [])):
            if measure["text"] not in known:
                principle.measures.append(Measure(text=measure["text"], responsible=measure.get("responsible") or "",
                                                  position=i))
        known = {(ind.level_id, ind.text) for ind in principle.indicators}
        position = len(principle.indicators)
        for level_key, texts in item.get("indicators", {}).items():
            level = levels[level_key]
            for text in texts:
                if (level.id, text) not in known:
                    position += 1
                    principle.indicators.append(Indicator(level=level, text=text, kind=IndicatorKind.YES_NO,
                                                          position=position))
    db.session.flush()


# --- follow-up ---------------------------------------------------------------------------------------------

def set_measure(measure, status, responsible=None, due_on=None, today=None):
    if status not in MeasureStatus.ALL:
        raise AgreementError(_l("Välj en status."), field="status")
    measure.status = status
    measure.done_on = (today or date.today()) if status == MeasureStatus.DONE and measure.done_on is None else (
        measure.done_on if status == MeasureStatus.DONE else None)
    if responsible is not None:
        measure.responsible = responsible.strip()[:200]
    measure.due_on = due_on
    db.session.commit()


def set_indicator_value(indicator, year, value=None, met=None, note=""):
    """The indicator's value for a year: a yes/no for a yes/no indicator, a number for a value indicator."""
    if not isinstance(year, int) or year < 2000 or year > 2100:
        raise AgreementError(_l("Ange ett år mellan 2000 och 2100."), field="year")
    if indicator.kind == IndicatorKind.YES_NO and value is not None:
        raise AgreementError(_l("Indikatorn följs upp med ja eller nej."), field="value")
    if indicator.kind == IndicatorKind.VALUE and met is not None:
        raise AgreementError(_l("Indikatorn följs upp med ett värde."), field="met")
    row = indicator.value_for(year)
    if row is None:
        row = IndicatorValue(indicator=indicator, year=year)
        db.session.add(row)
    row.value, row.met, row.note = value, met, (note or "").strip()
    db.session.commit()
    return row


def evidence_candidates(kind=None, year=None):
    """What the areas offer as evidence (meetings, remisses, barometers), as dicts with kind, id, label, url;
    with year, only what took place that year (or has no year)."""
    found = []
    for name, func in sorted(current_app.extensions.get("samrad_choice_sources", {}).items()):
        if name.startswith(EVIDENCE_SOURCE_PREFIX):
            found.extend(item for item in func() if (kind is None or item["kind"] == kind)
                         and (year is None or item.get("year") in (None, year)))
    return found


def add_evidence(principle, level, year, kind, ref_id, label, url=""):
    if level.agreement_id != principle.agreement_id:
        raise AgreementError(_l("Nivån hör inte till samma överenskommelse."))
    if kind not in EvidenceKind.LABELS:
        raise AgreementError(_l("Okänd sorts underlag."), field="candidate")
    existing = db.session.scalar(sa.select(Evidence).where(
        Evidence.principle_id == principle.id, Evidence.level_id == level.id, Evidence.year == year,
        Evidence.kind == kind, Evidence.ref_id == ref_id))
    if existing is not None and ref_id is not None:
        raise AgreementError(_l("Underlaget är redan kopplat till den här rutan."), field="candidate")
    row = Evidence(principle=principle, level=level, year=year, kind=kind, ref_id=ref_id, label=label[:300],
                   url=url[:500])
    db.session.add(row)
    db.session.commit()
    return row


def add_evidence_from_candidate(principle, level, year, candidate_key):
    """candidate_key is "kind:id" as offered by evidence_candidates(); label and url come from the area."""
    kind, _sep, ref = (candidate_key or "").partition(":")
    match = next((c for c in evidence_candidates(kind, year) if str(c["id"]) == ref), None)
    if match is None:
        raise AgreementError(_l("Välj ett möte, en remiss eller en barometer i listan."), field="candidate")
    return add_evidence(principle, level, year, match["kind"], match["id"], match["label"], match["url"])


def remove_evidence(row):
    db.session.delete(row)
    db.session.commit()


# --- the matrix ----------------------------------------------------------------------------------------------

@dataclass
class Cell:
    principle: Principle
    level: ParticipationLevel
    indicators: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    reached: int = 0
    known: int = 0

    @property
    def score(self):
        """Share of the cell's indicators reached this year; None when nothing is recorded yet."""
        if not self.indicators or not self.known and not self.evidence:
            return None
        return self.reached / len(self.indicators)


def matrix(agreement, year):
    """{(principle_id, level_id): Cell} for every principle × level, with the year's values and evidence."""
    cells = {(p.id, lv.id): Cell(p, lv) for p in agreement.principles for lv in agreement.levels}
    principle_ids = [p.id for p in agreement.principles]
    indicators = db.session.scalars(sa.select(Indicator).where(Indicator.principle_id.in_(principle_ids))
                                    .order_by(Indicator.position)).all()
    values = {v.indicator_id: v for v in db.session.scalars(sa.select(IndicatorValue).where(
        IndicatorValue.indicator_id.in_([i.id for i in indicators]), IndicatorValue.year == year))}
    for indicator in indicators:
        cell = cells.get((indicator.principle_id, indicator.level_id))
        if cell is None:
            continue
        value = values.get(indicator.id)
        cell.indicators.append((indicator, value))
        if value is not None and value.reached is not None:
            cell.known += 1
            cell.reached += 1 if value.reached else 0
    for row in db.session.scalars(sa.select(Evidence).where(Evidence.principle_id.in_(principle_ids),
                                                            Evidence.year == year).order_by(Evidence.added_at)):
        cell = cells.get((row.principle_id, row.level_id))
        if cell is not None:
            cell.evidence.append(row)
    return cells


def measures_summary(agreement, today=None):
    """{principle_id: {"done": n, "late": n, "total": n}}."""
    today = today or date.today()
    out = {}
    for principle in agreement.principles:
        out[principle.id] = {
            "total": len(principle.measures),
            "done": sum(1 for m in principle.measures if m.status == MeasureStatus.DONE),
            "late": sum(1 for m in principle.measures if m.is_late(today)),
        }
    return out


# Red (nothing reached) → yellow → green (all reached); a cell without data stays white with a dash.
SCALE = [[0, "#d73027"], [0.5, "#fee08b"], [1, "#1a9850"]]


def _wrap(name, width=14):
    """A long principle name on two lines ("Självständighet<br>och oberoende"), so it fits beside a phone's matrix."""
    if len(name) <= width or " " not in name:
        return name
    middle = len(name) // 2
    cut = min((i for i, ch in enumerate(name) if ch == " "), key=lambda i: abs(i - middle))
    return f"{name[:cut]}<br>{name[cut + 1:]}"


def heatmap(agreement, year, cells, cell_url):
    """The Plotly heatmap: principles down, levels across; customdata carries each cell's URL."""
    principles, levels = agreement.principles, agreement.levels
    z, text, urls, hover = [], [], [], []
    for p in principles:
        row_z, row_text, row_url, row_hover = [], [], [], []
        for lv in levels:
            cell = cells[(p.id, lv.id)]
            score = cell.score
            row_z.append(None if score is None else round(score, 2))
            label = "–" if score is None else f"{cell.reached}/{len(cell.indicators)}"
            if cell.evidence:
                label += f" · {len(cell.evidence)}✓"
            row_text.append(label)
            row_url.append(cell_url(p, lv))
            row_hover.append(_("%(principle)s × %(level)s: %(reached)s av %(total)s indikatorer uppnådda, "
                               "%(evidence)s underlag", principle=p.name, level=lv.name, reached=cell.reached,
                               total=len(cell.indicators), evidence=len(cell.evidence)))
        z.append(row_z)
        text.append(row_text)
        urls.append(row_url)
        hover.append(row_hover)
    trace = go.Heatmap(
        z=z, x=[lv.name for lv in levels], y=[_wrap(p.name) for p in principles], zmin=0, zmax=1, colorscale=SCALE,
        text=text, texttemplate="%{text}", customdata=urls, hovertext=hover, hoverinfo="text", xgap=3, ygap=3,
        # Under the cells, so a phone's width goes to the matrix.
        colorbar={"title": {"text": _("Andel uppnådda"), "side": "top"}, "tickformat": ".0%",
                  "orientation": "h", "y": -0.08, "yanchor": "top", "thickness": 14, "len": 1},
    )
    fig = go.Figure(trace)
    # No title in the figure: the page's heading says what it is, and the levels' names stand on top.
    fig.update_layout(**base_layout(margin={"l": 10, "r": 10, "t": 30, "b": 10}))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(side="top", automargin=True)
    return figure_json(fig)

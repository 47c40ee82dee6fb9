"""The barometer area's figures for an agreement's yearly report: the live sessions that ended in the year,
how many took part and how far they agreed. Read through core.registry; the phones are anonymous, so the
barometer reaches no organisations that could be counted."""
from datetime import datetime

import plotly.graph_objects as go
import sqlalchemy as sa
from flask_babel import gettext as _

from core.charts import QUALITATIVE, base_layout, figure_json
from core.extensions import db
from core.reports import ReportSection, Table
from core.timeutil import local_to_utc, utc_to_local
from surveys.barometer.models import Answer, LiveSession, Participant, Statement


def _year_bounds(year):
    return local_to_utc(datetime(year, 1, 1)), local_to_utc(datetime(year + 1, 1, 1))


def agreement_share(session_id):
    """Share of the session's answers (not "vet inte") on the agreeing half of each statement's scale;
    None without answers."""
    rows = db.session.execute(
        sa.select(Answer.value, Statement.steps).join(Statement, Statement.id == Answer.statement_id)
        .where(Answer.session_id == session_id, Answer.value.is_not(None))).all()
    if not rows:
        return None
    return sum(1 for value, steps in rows if value > steps / 2) / len(rows)


def report_section(agreement, year):
    start, end = _year_bounds(year)
    sessions = db.session.scalars(sa.select(LiveSession).where(LiveSession.ended_at >= start,
                                                               LiveSession.ended_at < end)
                                  .order_by(LiveSession.ended_at)).all()
    section = ReportSection("barometer", _("Åsiktsbarometrar"), order=50)
    rows, dates, shares, total = [], [], [], 0
    for s in sessions:
        people = db.session.scalar(sa.select(sa.func.count()).select_from(Participant)
                                   .where(Participant.session_id == s.id))
        answers = db.session.scalar(sa.select(sa.func.count()).select_from(Answer).where(Answer.session_id == s.id))
        share = agreement_share(s.id)
        total += people
        day = f"{utc_to_local(s.ended_at):%Y-%m-%d}"
        title = s.barometer.title + (f": {s.name}" if s.name else "")
        rows.append([day, title, people, answers, "–" if share is None else f"{share:.0%}"])
        if share is not None:
            dates.append(day)
            shares.append(round(share * 100))
    section.figures += [(_("Avslutade omgångar"), len(sessions)), (_("Deltagare"), total)]
    if not sessions:
        return section
    section.tables.append(Table(_("Barometeromgångar som avslutades %(year)s", year=year),
                                [_("Datum"), _("Barometer"), _("Deltagare"), _("Svar"), _("Andel som instämmer")],
                                rows))
    if shares:
        fig = go.Figure(go.Scatter(x=dates, y=shares, mode="lines+markers+text", text=[f"{v} %" for v in shares],
                                   textposition="top center", line={"color": QUALITATIVE[2]}))
        fig.update_layout(**base_layout(showlegend=False))
        fig.update_yaxes(range=[0, 105], ticksuffix=" %")
        section.charts.append((_("Andel svar som instämmer, per omgång %(year)s", year=year), figure_json(fig)))
    return section

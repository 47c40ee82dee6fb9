"""Plotly figures of the drafting group's dashboard: positions overall and by group, and the answer timeline."""
from collections import Counter

import plotly.graph_objects as go
from flask_babel import gettext as _

from core.charts import DIVERGING, base_layout, figure_json
from core.models import LEGAL_FORMS, SUB_REGIONS
from core.timeutil import utc_to_local
from surveys.remiss.models import POSITIONS

# From support to opposition; "avstår" is neutral grey.
POSITION_ORDER = ["tillstyrker", "tillstyrker_delvis", "avstyrker", "avstar"]
POSITION_COLOURS = {"tillstyrker": DIVERGING[4][3], "tillstyrker_delvis": DIVERGING[4][2],
                    "avstyrker": DIVERGING[4][0], "avstar": "#8a8a8a"}


def positions_overall(rows):
    counts = Counter(r["position"] for r in rows)
    labels = [str(POSITIONS[p]) for p in POSITION_ORDER]
    values = [counts.get(p, 0) for p in POSITION_ORDER]
    fig = go.Figure(go.Bar(x=values, y=labels, orientation="h", text=values, textposition="auto",
                           marker_color=[POSITION_COLOURS[p] for p in POSITION_ORDER]))
    fig.update_layout(**base_layout(title=_("Ställningstaganden"), showlegend=False))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(title=_("Antal svar"), dtick=1 if max(values, default=0) < 10 else None)
    return figure_json(fig)


def positions_by(rows, key, labels):
    groups = sorted({r[key] or "" for r in rows}, key=lambda g: str(labels.get(g, g or "")))
    group_labels = [str(labels.get(g, g)) if g else _("Okänd") for g in groups]
    fig = go.Figure()
    for p in POSITION_ORDER:
        counts = Counter(r[key] or "" for r in rows if r["position"] == p)
        fig.add_trace(go.Bar(name=str(POSITIONS[p]), y=group_labels, x=[counts.get(g, 0) for g in groups],
                             orientation="h", marker_color=POSITION_COLOURS[p]))
    title = _("Per juridisk form") if key == "legal_form" else _("Per delregion")
    # The legend sits under the axis (no axis title there) so the two never collide on a narrow screen.
    fig.update_layout(**base_layout(title=title, barmode="stack",
                                    legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0,
                                            "traceorder": "normal"},
                                    margin={"l": 10, "r": 10, "t": 40, "b": 90}))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(dtick=1 if len(rows) < 10 else None)
    return figure_json(fig)


def timeline(rows):
    times = sorted(utc_to_local(r["first_submitted_at"]).replace(tzinfo=None) for r in rows
                   if r["first_submitted_at"])
    fig = go.Figure(go.Scatter(x=times, y=list(range(1, len(times) + 1)), mode="lines+markers",
                               line_shape="hv", name=_("Inkomna svar")))
    fig.update_layout(**base_layout(title=_("Inkomna svar över tid"), showlegend=False))
    fig.update_yaxes(title=_("Antal svar"), rangemode="tozero", dtick=1 if len(times) < 10 else None)
    fig.update_xaxes(tickformat="%-d %b", automargin=True)
    return figure_json(fig)


def dashboard_figures(rows):
    return {
        "overall": positions_overall(rows),
        "legal_form": positions_by(rows, "legal_form", LEGAL_FORMS),
        "sub_region": positions_by(rows, "sub_region", SUB_REGIONS),
        "timeline": timeline(rows),
    }

"""Plotly figures of the drafting group's dashboard: positions overall and by group, and the answer timeline;
figure_json and layout for the other remiss figures (themes.py).

Written as the plain dicts plotly.js reads, not as plotly.graph_objects: validating a go.Figure took more
than half of the dashboard's time. The JSON is what go.Figure(...).to_json() gave for the same figure,
default template included, so the charts look the same (a test compares them).
"""
import json
from collections import Counter
from functools import cache

import plotly.graph_objects as go
from flask_babel import gettext as _

from core.charts import DIVERGING, base_layout, safe_json_text
from core.models import LEGAL_FORMS, SUB_REGIONS
from core.timeutil import utc_to_local
from surveys.remiss.models import POSITIONS

# From support to opposition; "avstår" is neutral grey.
POSITION_ORDER = ["tillstyrker", "tillstyrker_delvis", "avstyrker", "avstar"]
POSITION_COLOURS = {"tillstyrker": DIVERGING[4][3], "tillstyrker_delvis": DIVERGING[4][2],
                    "avstyrker": DIVERGING[4][0], "avstar": "#8a8a8a"}


@cache
def _template():
    """plotly's default template as go.Figure writes it into every figure: built once per process."""
    return json.loads(go.Figure().to_json())["layout"]["template"]


def figure_json(data, figure_layout):
    """The figure's JSON for <script type="application/json" data-plotly> (core.charts.figure_json's place)."""
    figure = {"data": data, "layout": {"template": _template(), **figure_layout}}
    return safe_json_text(json.dumps(figure, ensure_ascii=False, default=lambda value: value.isoformat()))


def layout(title, xaxis=None, yaxis=None, **overrides):
    """core.charts.base_layout with a title and axes, as go.Figure writes them."""
    out = base_layout(title={"text": title}, **overrides)
    for name, axis in (("xaxis", xaxis), ("yaxis", yaxis)):
        # plotly leaves out an axis setting given as None (dtick=None: plotly.js picks the ticks).
        axis = {k: v for k, v in (axis or {}).items() if v is not None}
        if axis:
            out[name] = axis
    return out


def positions_overall(rows, labels):
    counts = Counter(r["position"] for r in rows)
    values = [counts.get(p, 0) for p in POSITION_ORDER]
    bar = {"type": "bar", "x": values, "y": [labels[p] for p in POSITION_ORDER], "orientation": "h",
           "text": [str(v) for v in values], "textposition": "auto",
           "marker": {"color": [POSITION_COLOURS[p] for p in POSITION_ORDER]}}
    return figure_json([bar], layout(
        _("Ställningstaganden"), showlegend=False, yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": {"text": _("Antal svar")}, "dtick": 1 if max(values, default=0) < 10 else None}))


def positions_by(rows, key, group_names, labels):
    group_names = {k: str(v) for k, v in group_names.items()}
    groups = sorted({r[key] or "" for r in rows}, key=lambda g: group_names.get(g, g or ""))
    group_labels = [group_names.get(g, g) if g else _("Okänd") for g in groups]
    bars = []
    for p in POSITION_ORDER:
        counts = Counter(r[key] or "" for r in rows if r["position"] == p)
        bars.append({"type": "bar", "name": labels[p], "y": group_labels, "x": [counts.get(g, 0) for g in groups],
                     "orientation": "h", "marker": {"color": POSITION_COLOURS[p]}})
    title = _("Per juridisk form") if key == "legal_form" else _("Per delregion")
    # The legend sits under the axis (no axis title there) so the two never collide on a narrow screen.
    return figure_json(bars, layout(
        title, barmode="stack",
        legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0, "traceorder": "normal"},
        margin={"l": 10, "r": 10, "t": 40, "b": 90},
        yaxis={"autorange": "reversed", "automargin": True}, xaxis={"dtick": 1 if len(rows) < 10 else None}))


def timeline(rows):
    times = sorted(utc_to_local(r["first_submitted_at"]).replace(tzinfo=None) for r in rows
                   if r["first_submitted_at"])
    line = {"type": "scatter", "x": times, "y": list(range(1, len(times) + 1)), "mode": "lines+markers",
            "line": {"shape": "hv"}, "name": _("Inkomna svar")}
    return figure_json([line], layout(
        _("Inkomna svar över tid"), showlegend=False,
        yaxis={"title": {"text": _("Antal svar")}, "rangemode": "tozero", "dtick": 1 if len(times) < 10 else None},
        xaxis={"tickformat": "%-d %b", "automargin": True}))


def dashboard_figures(rows):
    labels = {code: str(label) for code, label in POSITIONS.items()}
    return {
        "overall": positions_overall(rows, labels),
        "legal_form": positions_by(rows, "legal_form", LEGAL_FORMS, labels),
        "sub_region": positions_by(rows, "sub_region", SUB_REGIONS, labels),
        "timeline": timeline(rows),
    }

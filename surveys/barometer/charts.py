"""Diverging (Likert) bar charts for the presenter and the results, as plain Plotly figure dicts.

Disagree steps go to the left of zero, agree steps to the right, a neutral middle step is split
across zero. Shares are of those who took a position ("Vet inte" is counted and shown apart).
The live chart is rebuilt on the server on every recount and drawn with Plotly.react, so the
presenter's JavaScript holds no chart logic of its own.
"""
from collections import Counter

from flask_babel import gettext as _

from core.charts import DIVERGING, QUALITATIVE, base_layout

AXIS_TICKS = [-100, -75, -50, -25, 0, 25, 50, 75, 100]


def _sides(steps):
    """(disagree steps nearest-zero first, neutral step or None, agree steps nearest-zero first)."""
    half = steps // 2
    neutral = half + 1 if steps % 2 else None
    disagree = list(range(half, 0, -1))
    agree = list(range(steps - half + 1, steps + 1))
    return disagree, neutral, agree


def _label(share, count):
    return f"{share:.0f} % ({count})" if count else ""


def likert_traces(rows, legend=True):
    """rows: [(y label, statement, Tally)], all with the same number of steps."""
    steps = rows[0][1].steps
    labels = rows[0][1].step_labels
    colours = DIVERGING[steps]
    disagree, neutral, agree = _sides(steps)
    ys = [label for label, _s, _t in rows]
    traces = []

    def trace(step, sign=1, half=False, show_text=True, show_legend=True):
        shares = [t.shares[step - 1] / (2 if half else 1) for _l, _s, t in rows]
        counts = [t.counts[step - 1] for _l, _s, t in rows]
        full = [t.shares[step - 1] for _l, _s, t in rows]
        traces.append({
            "type": "bar", "orientation": "h", "y": ys, "x": [sign * v for v in shares],
            "name": labels[step - 1], "legendgroup": f"s{steps}-{step}", "legendrank": step,
            "showlegend": legend and show_legend,
            "marker": {"color": colours[step - 1], "line": {"color": "#ffffff", "width": 1}},
            "text": [_label(f, c) if show_text else "" for f, c in zip(full, counts, strict=True)],
            "textposition": "inside", "insidetextanchor": "middle", "textangle": 0,
            "customdata": [[c, f] for c, f in zip(counts, full, strict=True)],
            "hovertemplate": "%{y}<br>" + labels[step - 1].replace("%", "%%")
                             + ": %{customdata[0]} (%{customdata[1]:.0f} %)<extra></extra>",
        })

    if neutral:
        trace(neutral, -1, half=True, show_text=False, show_legend=False)
    for step in disagree:
        trace(step, -1)
    if neutral:
        trace(neutral, 1, half=True)
    for step in agree:
        trace(step, 1)
    return traces


def _poles(y=1.0):
    return [
        {"x": 0, "y": y, "xref": "paper", "yref": "paper", "xanchor": "left", "yanchor": "bottom",
         "text": "← " + _("Jag håller INTE med"), "showarrow": False, "font": {"size": 15}},
        {"x": 1, "y": y, "xref": "paper", "yref": "paper", "xanchor": "right", "yanchor": "bottom",
         "text": _("Jag håller med") + " →", "showarrow": False, "font": {"size": 15}},
    ]


def _xaxis():
    return {"range": [-100, 100], "tickvals": AXIS_TICKS,
            "ticktext": [f"{abs(v)} %" for v in AXIS_TICKS], "zeroline": True, "zerolinewidth": 2,
            "zerolinecolor": "#1b1f24", "fixedrange": True}


def likert_figure(rows, height=None):
    """One chart of many rows (statements, or sessions of a statement). Rows of differing scales
    get their own traces; the legend follows the most common scale."""
    if not rows:
        return {"data": [], "layout": base_layout()}
    by_steps = {}
    for row in rows:
        by_steps.setdefault(row[1].steps, []).append(row)
    common = Counter(row[1].steps for row in rows).most_common(1)[0][0]
    data = []
    for steps, group in by_steps.items():
        data.extend(likert_traces(group, legend=steps == common))
    layout = base_layout(
        barmode="relative", height=height or max(260, 70 * len(rows) + 140), bargap=0.3,
        xaxis=_xaxis(), yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True,
                               "categoryorder": "array", "categoryarray": [r[0] for r in rows]},
        annotations=_poles(), margin={"l": 10, "r": 10, "t": 40, "b": 40},
        legend={"orientation": "h", "y": -0.12, "traceorder": "normal"},
        uniformtext={"minsize": 12, "mode": "hide"},  # no unreadable labels in thin segments
    )
    return {"data": data, "layout": layout}


def live_figure(statement, tally):
    """The presenter's chart: one diverging bar, large type, fixed axis so nothing jumps."""
    figure = likert_figure([("", statement, tally)], height=360)
    layout = figure["layout"]
    layout["font"] = dict(layout["font"], size=22)
    layout["uniformtext"] = {"minsize": 16, "mode": "hide"}
    layout["yaxis"]["showticklabels"] = False
    layout["bargap"] = 0.15
    layout["legend"] = {"orientation": "h", "y": -0.2, "x": 0.5, "xanchor": "center", "font": {"size": 18}}
    layout["margin"] = {"l": 10, "r": 10, "t": 50, "b": 30}
    layout["transition"] = {"duration": 0}
    for annotation in layout["annotations"]:
        annotation["font"] = {"size": 22}
    return figure


def mean_label(tally):
    mean = tally.mean
    return f"{mean:.1f}".replace(".", ",") if mean is not None else "–"


def series_evaluation_figure(means):
    """Evaluations across a series: one line per statement, the mean per meeting (1 = håller inte alls med).

    Lines are named by the statement's number (the table under the chart gives the text), so the legend stays
    short on a phone; hovering shows the whole statement."""
    x = [label.split(" – ", 1)[0] or label for _id, label, _answers in means["meetings"]]
    hover = [label for _id, label, _answers in means["meetings"]]
    data = []
    for index, (text, values) in enumerate(means["statements"]):
        data.append({
            "type": "scatter", "mode": "lines+markers", "name": _("Påstående %(n)d", n=index + 1),
            "x": x, "y": [round(v, 2) if v is not None else None for v in values], "customdata": hover,
            "hovertemplate": "%{customdata}<br>%{y}<extra>" + text.replace("<", "‹") + "</extra>",
            "line": {"color": QUALITATIVE[index % len(QUALITATIVE)]}, "marker": {"size": 9},
            "connectgaps": False,
        })
    layout = base_layout(
        height=400, showlegend=True, margin={"l": 10, "r": 10, "t": 20, "b": 40},
        yaxis={"range": [0.8, 5.2], "dtick": 1, "automargin": True, "fixedrange": True,
               "title": {"text": _("Medelvärde (1–5)"), "standoff": 12}},
        xaxis={"type": "category", "automargin": True, "fixedrange": True},
        legend={"orientation": "h", "y": -0.2, "x": 0},
    )
    return {"data": data, "layout": layout}

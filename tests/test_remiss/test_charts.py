"""The dashboard's figures are plain dicts, and the same figures go.Figure would give (default template too)."""
import json
from collections import Counter
from datetime import datetime

import plotly.graph_objects as go
import pytest
from flask_babel import force_locale

from core.charts import QUALITATIVE, base_layout
from surveys.remiss import charts, themes

ROWS = [
    {"position": "tillstyrker", "legal_form": "stiftelse", "sub_region": None, "first_submitted_at": datetime(2026, 3, 1, 9)},
    {"position": "avstyrker", "legal_form": "forening", "sub_region": "fyrbodal",
     "first_submitted_at": datetime(2026, 3, 30, 10, 30, 5, 120)},
    {"position": "avstyrker", "legal_form": "forening", "sub_region": "fyrbodal", "first_submitted_at": None},
]


def _plotly(fig):
    return json.loads(fig.to_json())


def _reference(rows):
    """The figures as go.Figure built them before (issue 12 replaced it: its validation was slow)."""
    order, colours = charts.POSITION_ORDER, charts.POSITION_COLOURS
    labels = [str(charts.POSITIONS[p]) for p in order]
    overall = go.Figure(go.Bar(x=[1, 0, 2, 0], y=labels, orientation="h", text=[1, 0, 2, 0], textposition="auto",
                               marker_color=[colours[p] for p in order]))
    overall.update_layout(**base_layout(title="Ställningstaganden", showlegend=False))
    overall.update_yaxes(autorange="reversed", automargin=True)
    overall.update_xaxes(title="Antal svar", dtick=1)
    legal = go.Figure()
    for p, counts in zip(order, ([0, 1], [0, 0], [2, 0], [0, 0]), strict=True):
        legal.add_trace(go.Bar(name=str(charts.POSITIONS[p]), y=["Förening", "Stiftelse"], x=counts, orientation="h",
                               marker_color=colours[p]))
    legal.update_layout(**base_layout(title="Per juridisk form", barmode="stack",
                                      legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0,
                                              "traceorder": "normal"},
                                      margin={"l": 10, "r": 10, "t": 40, "b": 90}))
    legal.update_yaxes(autorange="reversed", automargin=True)
    legal.update_xaxes(dtick=1)
    line = go.Figure(go.Scatter(x=[datetime(2026, 3, 1, 10), datetime(2026, 3, 30, 12, 30, 5, 120)], y=[1, 2],
                                mode="lines+markers", line_shape="hv", name="Inkomna svar"))
    line.update_layout(**base_layout(title="Inkomna svar över tid", showlegend=False))
    line.update_yaxes(title="Antal svar", rangemode="tozero", dtick=1)
    line.update_xaxes(tickformat="%-d %b", automargin=True)
    return {"overall": _plotly(overall), "legal_form": _plotly(legal), "timeline": _plotly(line)}


def test_figures_are_what_plotly_gave(app):
    with app.test_request_context(), force_locale("sv"):
        figures = {k: json.loads(v) for k, v in charts.dashboard_figures(ROWS).items()}
        for name, expected in _reference(ROWS).items():
            assert figures[name] == expected, name
        region = figures["sub_region"]
        assert region["data"][0]["y"] == ["Okänd", "Fyrbodal"] and region["data"][2]["x"] == [0, 2]


def test_figures_use_no_graph_objects(app, monkeypatch):
    charts._template()  # the default template is read from plotly once per process

    def refuse(*args, **kwargs):
        raise AssertionError("go.Figure validates every property: too slow for a page")

    monkeypatch.setattr(go, "Figure", refuse)
    with app.test_request_context():
        assert set(charts.dashboard_figures(ROWS)) == {"overall", "legal_form", "sub_region", "timeline"}


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>"])
def test_figure_json_cannot_close_its_script_element(app, text):
    with app.test_request_context():
        out = charts.dashboard_figures([{**ROWS[0], "legal_form": text}])["legal_form"]
    assert "</script>" not in out and json.loads(out)["data"][0]["y"] == [text]


def test_theme_figures_are_what_plotly_gave(app, monkeypatch):
    class Remiss:
        id = 7

    totals = {"themes": ["Dialog", "Mångfald"], "overall": Counter({"Dialog": 3, "Mångfald": 1}),
              "by_legal_form": {"forening": Counter({"Dialog": 2}), "": Counter({"Dialog": 1, "Mångfald": 1})},
              "by_sub_region": {"fyrbodal": Counter({"Dialog": 3, "Mångfald": 1})}}
    with app.test_request_context(), force_locale("sv"):
        url = themes.comments_url
        overall = go.Figure(go.Bar(x=[3, 1], y=["Dialog", "Mångfald"], orientation="h", text=[3, 1],
                                   textposition="auto", marker_color=QUALITATIVE[0],
                                   customdata=[url(Remiss, "Dialog"), url(Remiss, "Mångfald")],
                                   hovertemplate="%{y}: %{x}<extra></extra>"))
        overall.update_layout(**base_layout(title="Teman totalt", showlegend=False))
        overall.update_yaxes(autorange="reversed", automargin=True)
        overall.update_xaxes(title="Antal kommentarer")
        by_form = go.Figure()
        for i, (key, name, x) in enumerate([("forening", "Förening", [2, 0]), ("", "Okänd", [1, 1])]):
            by_form.add_trace(go.Bar(name=name, y=["Dialog", "Mångfald"], x=x, orientation="h",
                                     marker_color=QUALITATIVE[i],
                                     customdata=[url(Remiss, t, form=key or "-") for t in ("Dialog", "Mångfald")]))
        by_form.update_layout(**base_layout(title="Teman per juridisk form", barmode="stack",
                                            legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0},
                                            margin={"l": 10, "r": 10, "t": 40, "b": 90}))
        by_form.update_yaxes(autorange="reversed", automargin=True)
        expected = {"overall": _plotly(overall), "by_legal_form": _plotly(by_form)}
        charts._template()  # read from plotly once per process
        monkeypatch.setattr(go, "Figure", None)  # the page builds no go.Figure
        figures = {k: json.loads(v) for k, v in themes.figures(Remiss, totals).items()}
    assert figures["overall"] == expected["overall"] and figures["by_legal_form"] == expected["by_legal_form"]

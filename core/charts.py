"""Plotly figures for the templates: built in Python, drawn by static/js/charts.js."""
import plotly.graph_objects as go

# Colour-blind-safe diverging scale: disagree (brown/orange) → neutral (grey) → agree (teal/green).
DIVERGING = {
    2: ["#b35806", "#1b7837"],
    3: ["#b35806", "#bababa", "#1b7837"],
    4: ["#b35806", "#f1a340", "#7fbf7b", "#1b7837"],
    5: ["#b35806", "#f1a340", "#bababa", "#7fbf7b", "#1b7837"],
    6: ["#b35806", "#e08214", "#fdb863", "#a6dba0", "#5aae61", "#1b7837"],
    7: ["#b35806", "#e08214", "#fdb863", "#bababa", "#a6dba0", "#5aae61", "#1b7837"],
}
QUALITATIVE = ["#0b5d4b", "#b3471d", "#3a6ea5", "#8c6d1f", "#6a3d9a", "#2f7f7f", "#a6366b", "#4d4d4d"]


def base_layout(**overrides):
    layout = {
        "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", "size": 15,
                 "color": "#1b1f24"},
        "margin": {"l": 10, "r": 10, "t": 40, "b": 40},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.15},
        "hoverlabel": {"font": {"size": 15}},
    }
    layout.update(overrides)
    return layout


def figure_json(fig):
    """JSON for <script type="application/json" data-plotly> (no inline script needed)."""
    text = fig.to_json() if isinstance(fig, go.Figure) else go.Figure(fig).to_json()
    return safe_json_text(text)


def safe_json_text(text):
    """Escape <, > and & so user text inside the JSON cannot close the <script> element."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def bar_chart(labels, values, title="", horizontal=True, color=None):
    trace = go.Bar(
        x=values if horizontal else labels,
        y=labels if horizontal else values,
        orientation="h" if horizontal else "v",
        marker_color=color or QUALITATIVE[0],
        text=values,
        textposition="auto",
    )
    fig = go.Figure(trace)
    fig.update_layout(**base_layout(title=title, showlegend=False))
    if horizontal:
        fig.update_yaxes(autorange="reversed", automargin=True)
    return fig

"""Plotly figures for a series: attendance per meeting, organisations by form and region, returning ones."""
import plotly.graph_objects as go
from flask_babel import gettext as _

from core.charts import QUALITATIVE, bar_chart, base_layout, figure_json
from core.timeutil import utc_to_local
from dialog.invitations import reach_by_status
from dialog.models import InvitationStatus
from dialog.stats import attendance_rows, by_legal_form_and_region, returning_organisations


def attendance_figure(meetings):
    rows = attendance_rows(meetings)
    # Short date labels on the axis (titles would need rotating); the title shows on hover.
    labels = [f"{utc_to_local(r['meeting'].starts_at):%Y-%m-%d}" for r in rows]
    titles = [r["meeting"].title for r in rows]
    hover = "%{customdata}<br>%{fullData.name}: %{y}<extra></extra>"

    def bars(name, key, colour):
        return go.Bar(name=name, x=labels, y=[r[key] for r in rows], marker_color=colour, customdata=titles,
                      hovertemplate=hover, text=[r[key] for r in rows], textposition="auto")

    fig = go.Figure([
        bars(_("Anmälda"), "registered", QUALITATIVE[2]),
        bars(_("Närvarande"), "attended", QUALITATIVE[0]),
        bars(_("Organisationer"), "organisations", QUALITATIVE[1]),
    ])
    fig.update_layout(**base_layout(title=_("Deltagande per möte"), barmode="group"))
    fig.update_xaxes(automargin=True, type="category")
    return fig


def series_figures(meetings):
    """(id, figure json, accessible label) for each chart of a series."""
    forms, regions = by_legal_form_and_region(meetings)
    returning = returning_organisations(meetings)
    form_labels = sorted(forms, key=lambda k: -forms[k])
    region_labels = sorted(regions, key=lambda k: -regions[k])
    times = sorted(returning)
    returning_fig = bar_chart([_("%(n)d möten", n=n) if n != 1 else _("1 möte") for n in times],
                              [returning[n] for n in times], title=_("Organisationer efter antal möten"),
                              horizontal=False, color=QUALITATIVE[4])
    return [
        ("chart-attendance", figure_json(attendance_figure(meetings)), _("Deltagande per möte")),
        ("chart-forms", figure_json(bar_chart(form_labels, [forms[k] for k in form_labels],
                                              title=_("Organisationer efter organisationsform"))),
         _("Deltagande organisationer efter organisationsform")),
        ("chart-regions", figure_json(bar_chart(region_labels, [regions[k] for k in region_labels],
                                                title=_("Organisationer efter delregion"),
                                                color=QUALITATIVE[2])),
         _("Deltagande organisationer efter delregion")),
        ("chart-returning", figure_json(returning_fig), _("Återkommande organisationer")),
    ]


def invitation_figures(invitations):
    """(id, figure json, accessible label) for the reach of a meeting's invitations, by legal form and by
    sub-region, each bar split by how far the organisations have come."""
    reach = reach_by_status(invitations)
    colours = dict(zip(InvitationStatus.ORDER, (QUALITATIVE[2], QUALITATIVE[3], QUALITATIVE[0], QUALITATIVE[1]),
                       strict=True))
    out = []
    for kind, chart_id, title in (("legal_form", "chart-invited-forms", _("Inbjudna efter organisationsform")),
                                  ("sub_region", "chart-invited-regions", _("Inbjudna efter delregion"))):
        groups = sorted(reach[kind], key=lambda label: -sum(reach[kind][label].values()))
        fig = go.Figure([
            go.Bar(name=str(InvitationStatus.LABELS[status]), y=groups, x=[reach[kind][g][status] for g in groups],
                   orientation="h", marker_color=colours[status])
            for status in InvitationStatus.ORDER
        ])
        # The legend beside the bars, clear of the axis (charts.js moves it below on a phone); whole
        # organisations on the axis, never 0.5.
        fig.update_layout(**base_layout(title=title, barmode="stack",
                                        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1}))
        fig.update_yaxes(autorange="reversed", automargin=True)
        most = max((sum(row.values()) for row in reach[kind].values()), default=0)
        fig.update_xaxes(rangemode="tozero", dtick=1 if most <= 10 else None, automargin=True)
        out.append((chart_id, figure_json(fig), title))
    return out

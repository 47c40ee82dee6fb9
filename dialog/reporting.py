"""Dialog's figures for an agreement's yearly report: the year's meetings, their registrations and the
organisations they reached. core/agreements reads them through core.registry.add_report_section."""
from datetime import datetime

import plotly.graph_objects as go
import sqlalchemy as sa
from flask_babel import gettext as _

from core.charts import QUALITATIVE, base_layout, figure_json
from core.extensions import db
from core.reports import ReportSection, Table
from core.timeutil import local_to_utc, utc_to_local
from dialog.models import Meeting, MeetingStatus, Registration, RegistrationStatus


def _year_bounds(year):
    return local_to_utc(datetime(year, 1, 1)), local_to_utc(datetime(year + 1, 1, 1))


def _organisations(where):
    return set(db.session.scalars(
        sa.select(Registration.organisation_id).join(Meeting, Meeting.id == Registration.meeting_id)
        .where(Registration.organisation_id.is_not(None), Registration.status != RegistrationStatus.CANCELLED,
               Meeting.status == MeetingStatus.HELD, *where).distinct()))


def report_section(agreement, year):
    """Every meeting held in Samråd during the year (the groups' own count is core's section)."""
    start, end = _year_bounds(year)
    in_year = (Meeting.starts_at >= start, Meeting.starts_at < end)
    meetings = db.session.scalars(sa.select(Meeting).where(Meeting.status == MeetingStatus.HELD, *in_year)
                                  .order_by(Meeting.starts_at)).all()
    section = ReportSection("dialog", _("Dialogmöten"), order=30)
    registered = {m.id: m.registered_count for m in meetings}
    section.figures += [(_("Hållna möten"), len(meetings)), (_("Anmälda deltagare"), sum(registered.values()))]
    section.reached = _organisations(in_year)
    section.reached_before = _organisations((Meeting.starts_at < start,))
    section.figures.append((_("Organisationer som deltog"), len(section.reached)))
    if not meetings:
        return section
    section.tables.append(Table(_("Hållna möten %(year)s", year=year), [_("Datum"), _("Möte"), _("Anmälda")],
                                [[f"{utc_to_local(m.starts_at):%Y-%m-%d}", m.title, registered[m.id]]
                                 for m in meetings]))
    months = [0] * 12
    for m in meetings:
        months[utc_to_local(m.starts_at).month - 1] += 1
    fig = go.Figure(go.Bar(x=[f"{year}-{n:02d}" for n in range(1, 13)], y=months, marker_color=QUALITATIVE[0]))
    fig.update_layout(**base_layout(showlegend=False))
    fig.update_xaxes(tickformat="%b", dtick="M1")
    section.charts.append((_("Hållna möten per månad %(year)s", year=year), figure_json(fig)))
    return section

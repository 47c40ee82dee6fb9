"""The remiss area's figures for an agreement's yearly report: the year's remisses with their answer rates,
how the marked comments were handled, and the organisations that answered. Read through core.registry."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from core.charts import bar_chart, figure_json
from core.extensions import db
from core.reports import ReportSection, Table
from core.timeutil import local_to_utc, utc_to_local
from surveys.remiss.models import HANDLINGS, KeyQuote, Remiss, RemissAnswer, RemissStatus, SectionAnswer
from surveys.remiss.review import body_counts


def _year_bounds(year):
    return local_to_utc(datetime(year, 1, 1)), local_to_utc(datetime(year + 1, 1, 1))


def _answering_organisations(*where):
    return set(db.session.scalars(sa.select(RemissAnswer.organisation_id).where(
        RemissAnswer.submitted_at.is_not(None), *where).distinct()))


def handling_counts(remiss_ids):
    """{handling: count} of the marked comments (key quotes) in these remisses; None: not yet decided."""
    if not remiss_ids:
        return {}
    rows = db.session.execute(
        sa.select(KeyQuote.handling, sa.func.count()).join(SectionAnswer, SectionAnswer.id == KeyQuote.section_answer_id)
        .join(RemissAnswer, RemissAnswer.id == SectionAnswer.answer_id)
        .where(RemissAnswer.remiss_id.in_(remiss_ids)).group_by(KeyQuote.handling)).all()
    return {handling: n for handling, n in rows}


def report_section(agreement, year):
    """Remisses whose deadline fell in the year (drafts never count)."""
    start, end = _year_bounds(year)
    remisses = db.session.scalars(sa.select(Remiss).where(Remiss.status != RemissStatus.DRAFT,
                                                          Remiss.deadline >= start, Remiss.deadline < end)
                                  .order_by(Remiss.deadline)).all()
    section = ReportSection("remiss", _("Remisser"), order=40)
    section.reached = _answering_organisations(RemissAnswer.submitted_at >= start, RemissAnswer.submitted_at < end)
    section.reached_before = _answering_organisations(RemissAnswer.submitted_at < start)
    rows, rates, invited_total, answered_total = [], [], 0, 0
    for remiss in remisses:
        counts = body_counts(remiss)
        invited_total += counts["invited"]
        answered_total += counts["answered_invited"]
        rows.append([f"{utc_to_local(remiss.deadline):%Y-%m-%d}", remiss.title, counts["invited"],
                     counts["answered_invited"], counts["answered_uninvited"], f"{counts['rate']:.0%}"])
        rates.append(round(counts["rate"] * 100))
    rate = answered_total / invited_total if invited_total else 0
    section.figures += [(_("Remisser"), len(remisses)), (_("Svarsfrekvens bland inbjudna"), f"{rate:.0%}")]
    if not remisses:
        return section
    section.tables.append(Table(_("Remisser med sista svarsdag %(year)s", year=year),
                                [_("Sista svarsdag"), _("Remiss"), _("Inbjudna"), _("Svar från inbjudna"),
                                 _("Svar från andra"), _("Svarsfrekvens")], rows))
    section.charts.append((_("Svarsfrekvens bland inbjudna per remiss %(year)s, procent", year=year),
                           figure_json(bar_chart([r[1] for r in rows], rates).update_xaxes(range=[0, 100]))))
    handled = handling_counts([r.id for r in remisses])
    if handled:
        handling_rows = [[str(label), handled.get(key, 0)] for key, label in HANDLINGS.items()]
        handling_rows.append([_("Inte bestämt ännu"), handled.get(None, 0)])
        section.tables.append(Table(_("Hur markerade synpunkter hanterades"), [_("Hantering"), _("Synpunkter")],
                                    handling_rows))
    return section

"""The yearly report (årsberättelse): every figure computed from Samråd's own data when the report is shown;
the group's text around each section is what is stored. Areas add their sections through core.registry."""
import io
from collections import Counter
from datetime import date

import plotly.graph_objects as go
import sqlalchemy as sa
from docx import Document
from docx.shared import Pt
from flask import current_app
from flask_babel import gettext as _

from core.agreements import actionplan, groups
from core.agreements.models import AgreementError, MeasureStatus, ReportText, YearlyReport
from core.charts import QUALITATIVE, bar_chart, base_layout, figure_json
from core.extensions import db
from core.models import LEGAL_FORMS, SUB_REGIONS, Organisation
from core.registry import report_sections
from core.reports import ReportSection, Table

INTRO = "intro"
TEXT_MAX = 20000


def get_report(agreement, year):
    return db.session.scalar(sa.select(YearlyReport).where(YearlyReport.agreement_id == agreement.id,
                                                           YearlyReport.year == year))


def reports_of(agreement):
    return db.session.scalars(sa.select(YearlyReport).where(YearlyReport.agreement_id == agreement.id)).all()


def get_or_create_report(agreement, year):
    report = get_report(agreement, year)
    if report is None:
        report = YearlyReport(agreement=agreement, year=year)
        db.session.add(report)
        db.session.commit()
    return report


def valid_year(agreement, year, today=None):
    """A report covers a year of the agreement's period, up to this year."""
    today = today or date.today()
    first = agreement.period_start.year if agreement.period_start else today.year
    return first <= year <= today.year


def report_years(agreement, today=None):
    today = today or date.today()
    first = agreement.period_start.year if agreement.period_start else today.year
    return list(range(today.year, first - 1, -1))


def save_text(report, section_key, text, known_keys):
    """Store the group's words around one section; the figures themselves cannot be typed."""
    if section_key not in known_keys:
        raise AgreementError(_("Årsberättelsen har inget sådant avsnitt."), field="text")
    text = (text or "").replace("\r\n", "\n")
    if len(text) > TEXT_MAX:
        raise AgreementError(_("Texten får vara högst %(max)s tecken (nu %(now)s).", max=TEXT_MAX, now=len(text)),
                             field="text")
    row = next((t for t in report.texts if t.section_key == section_key), None)
    if row is None:
        row = ReportText(section_key=section_key)
        report.texts.append(row)
    row.text = text.strip()
    db.session.commit()
    return row


def publish(report):
    report.publish()
    db.session.commit()


def unpublish(report):
    report.unpublish()
    db.session.commit()


# --- core's own sections --------------------------------------------------------------------------------------

def meetings_section(agreement, year, now=None):
    rows, names, held, minimum = [], [], [], []
    for group in agreement.groups:
        target = groups.year_target(group, year, now=now)
        goal = (f"{target.minimum}–{target.maximum}" if target.minimum and target.maximum
                else str(target.minimum or target.maximum or "–"))
        status = (_("Målet nås") if target.on_track else
                  _("Fler än målet") if target.too_many else _("%(num)s saknas", num=target.missing))
        rows.append([group.name, target.held, target.planned, goal, target.spring, target.autumn, status])
        names.append(group.name)
        held.append(target.held)
        minimum.append(target.minimum or 0)
    section = ReportSection("meetings", _("Gruppernas möten"), order=10)
    if not rows:
        section.figures.append((_("Grupper"), 0))
        return section
    section.figures += [(_("Grupper"), len(rows)), (_("Hållna möten"), sum(held))]
    section.tables.append(Table(_("Möten %(year)s per grupp mot målet", year=year),
                                [_("Grupp"), _("Hållna"), _("Planerade"), _("Mål per år"), _("Våren"),
                                 _("Hösten"), _("Status")], rows))
    fig = go.Figure([go.Bar(name=_("Hållna"), y=names, x=held, orientation="h", marker_color=QUALITATIVE[0],
                            text=held, textposition="auto"),
                     go.Bar(name=_("Lägsta mål"), y=names, x=minimum, orientation="h", marker_color=QUALITATIVE[7],
                            text=minimum, textposition="auto")])
    fig.update_layout(**base_layout(barmode="group"))
    fig.update_yaxes(autorange="reversed", automargin=True)
    section.charts.append((_("Hållna möten per grupp mot lägsta målet %(year)s", year=year), figure_json(fig)))
    return section


def reach_section(year, area_sections):
    """Organisations reached in the year across every area: distinct, by legal form and sub-region, first-timers."""
    reached, before = set(), set()
    for section in area_sections:
        reached |= section.reached
        before |= section.reached_before
    section = ReportSection("reach", _("Organisationer som nåtts"), order=20)
    orgs = db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(reached))).all() if reached else []
    first_timers = [o for o in orgs if o.id not in before]
    section.figures += [(_("Organisationer"), len(orgs)), (_("Första gången"), len(first_timers))]
    if not orgs:
        return section
    forms = Counter(o.legal_form for o in orgs)
    regions = Counter(o.sub_region or "" for o in orgs)
    form_rows = [[str(LEGAL_FORMS.get(k, k)), n] for k, n in forms.most_common()]
    region_rows = [[str(SUB_REGIONS.get(k, k)) if k else _("Okänd delregion"), n] for k, n in regions.most_common()]
    section.tables.append(Table(_("Efter juridisk form"), [_("Juridisk form"), _("Organisationer")], form_rows))
    section.tables.append(Table(_("Efter delregion"), [_("Delregion"), _("Organisationer")], region_rows))
    section.charts.append((_("Organisationer som nåtts %(year)s efter juridisk form", year=year),
                           figure_json(bar_chart([r[0] for r in form_rows], [r[1] for r in form_rows]))))
    return section


def actionplan_section(agreement, year, cell_url, today=None):
    today = today or date.today()
    # Late as the year ended (or today, for the year under way).
    as_of = min(today, date(year, 12, 31))
    section = ReportSection("actionplan", _("Handlingsplanen"), order=80)
    if not agreement.principles:
        return section
    cells = actionplan.matrix(agreement, year)
    header = [_("Princip")] + [lv.name for lv in agreement.levels]
    rows = []
    for p in agreement.principles:
        row = [p.name]
        for lv in agreement.levels:
            cell = cells[(p.id, lv.id)]
            row.append("–" if cell.score is None else f"{cell.reached}/{len(cell.indicators)}")
        rows.append(row)
    section.tables.append(Table(_("Uppnådda indikatorer per princip och nivå %(year)s", year=year), header, rows))
    section.charts.append((_("Handlingsplanen %(year)s: andel uppnådda indikatorer per princip och nivå", year=year),
                           actionplan.heatmap(agreement, year, cells, cell_url)))
    measure_rows, done_total, late_total, total = [], 0, 0, 0
    for p in agreement.principles:
        done = sum(1 for m in p.measures if m.status == MeasureStatus.DONE)
        late = sum(1 for m in p.measures if m.is_late(as_of))
        measure_rows.append([p.name, len(p.measures), done, late])
        done_total, late_total, total = done_total + done, late_total + late, total + len(p.measures)
    section.figures += [(_("Åtgärder"), total), (_("Klara"), done_total), (_("Försenade"), late_total)]
    section.tables.append(Table(_("Åtgärder per princip"), [_("Princip"), _("Åtgärder"), _("Klara"),
                                                             _("Försenade")], measure_rows))
    late = [[m.principle.name, m.text, m.responsible, m.due_on.isoformat()]
            for p in agreement.principles for m in p.measures if m.is_late(as_of)]
    if late:
        section.tables.append(Table(_("Försenade åtgärder"), [_("Princip"), _("Åtgärd"), _("Ansvarig"),
                                                               _("Skulle vara klar")], late))
    return section


def build(agreement, year, cell_url, today=None, now=None):
    """The report's sections, in order: an introduction, then core's and every area's figures."""
    area_sections = report_sections(current_app, agreement, year)
    sections = [ReportSection(INTRO, _("Inledning"), order=0), meetings_section(agreement, year, now=now),
                reach_section(year, area_sections), *area_sections,
                actionplan_section(agreement, year, cell_url, today=today)]
    return sorted(sections, key=lambda s: s.order)


# --- the .docx --------------------------------------------------------------------------------------------------

def to_docx(agreement, year, report, sections):
    """A Word document the region can put into its own decision process: the text and the figures as tables
    (the charts' numbers are in the tables beside them)."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(_("Årsberättelse %(year)s", year=year), level=0)
    doc.add_paragraph(agreement.title)
    if report is None or not report.is_published:
        doc.add_paragraph(_("Utkast – inte publicerad."))
    for section in sections:
        doc.add_heading(str(section.title), level=1)
        text = report.text_for(section.key) if report is not None else ""
        for paragraph in text.split("\n\n"):
            if paragraph.strip():
                doc.add_paragraph(paragraph.strip())
        for label, value in section.figures:
            doc.add_paragraph(f"{label}: {value}", style="List Bullet")
        for table in section.tables:
            doc.add_paragraph(str(table.caption)).runs[0].bold = True
            grid = doc.add_table(rows=1, cols=len(table.header))
            grid.style = "Table Grid"
            for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
                cell.text = str(text)
                cell.paragraphs[0].runs[0].bold = True
            for row in table.rows:
                cells = grid.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = str(value)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_stream(data):
    return io.BytesIO(data)

"""The remissammanställning as a Word document (.docx): title page, who answered, positions per section,
the drafting group's summaries, themes, handled comments with their decisions, and an annex of all answers."""
import io
from collections import Counter, defaultdict

import sqlalchemy as sa
from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt
from flask_babel import format_date
from flask_babel import gettext as _

from core.extensions import db
from core.models import LEGAL_FORMS, SUB_REGIONS, utcnow
from surveys.remiss import compilation, summaries, themes
from surveys.remiss.models import POSITIONS, SectionAnswer
from surveys.remiss.review import body_counts, section_position_counts

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class _Writer:
    """Paragraph helpers that look each style up once: python-docx finds a style by name with a linear search."""

    def __init__(self, doc):
        self.doc = doc
        self.styles = {name: doc.styles[name] for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2",
                                                             "Heading 3", "Quote", "List Bullet")}

    def heading(self, text, level=1):
        return self.doc.add_paragraph(text, self.styles[f"Heading {level}"])

    def para(self, text="", style="Normal"):
        return self.doc.add_paragraph(text, self.styles[style])

    def text(self, text):
        """A long text: one paragraph per line break the writer made, empty lines dropped."""
        for line in (text or "").splitlines():
            if line.strip():
                self.doc.add_paragraph(line, self.styles["Normal"])

    def labelled(self, label, value):
        p = self.doc.add_paragraph(style=self.styles["Normal"])
        p.add_run(f"{label}: ").bold = True
        p.add_run(value or "–")
        return p

    def table(self, header, rows):
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        for cell, value in zip(table.rows[0].cells, header, strict=True):
            cell.text = str(value)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = str(value)
        return table

    def page_break(self):
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _annex_sections(remiss, answer_ids):
    """{answer id: [(section, position, comment, wording)]} of the submitted section comments, in section order."""
    sections = {s.id: s for s in remiss.sections}
    out = defaultdict(list)
    if not answer_ids:
        return out
    for answer_id, section_id, pos, comment, wording in db.session.execute(
            sa.select(SectionAnswer.answer_id, SectionAnswer.section_id, SectionAnswer.final_position,
                      SectionAnswer.final_comment, SectionAnswer.final_wording)
            .where(SectionAnswer.answer_id.in_(answer_ids), SectionAnswer.has_final.is_(True))):
        out[answer_id].append((sections[section_id], pos, comment, wording))
    for rows in out.values():
        rows.sort(key=lambda r: r[0].number)
    return out


def build_docx(remiss):
    """The document as bytes."""
    labels = compilation.position_labels()
    answers = compilation._answers_rows(remiss)
    counts = body_counts(remiss)
    per_section = section_position_counts(remiss)
    quotes = compilation.quotes_by_section(remiss)
    written = summaries.all_summaries(remiss)
    theme_totals = themes.totals(remiss)

    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    w = _Writer(doc)

    # Title page
    w.para(_("Remissammanställning"), "Title")
    w.para(remiss.title, "Subtitle")
    w.labelled(_("Diarienummer"), remiss.diarienummer)
    w.labelled(_("Svarsdatum"), format_date(remiss.deadline, "long"))
    w.labelled(_("Inkomna svar"), str(len(answers)))
    w.labelled(_("Sammanställd"), format_date(utcnow(), "long"))
    w.page_break()

    # Who answered
    w.heading(_("Vilka svarade"))
    w.para(_("%(a)s av %(i)s inbjudna remissinstanser svarade; %(u)s svar kom från organisationer som inte var "
             "inbjudna; %(d)s avstod.", a=counts["answered_invited"], i=counts["invited"],
             u=counts["answered_uninvited"], d=counts["declined"]))
    by_form = Counter(o.legal_form or "" for _a, o, _i in answers)
    by_region = Counter(o.sub_region or "" for _a, o, _i in answers)
    w.heading(_("Per juridisk form"), 2)
    w.table([_("Juridisk form"), _("Antal svar")],
            [(str(LEGAL_FORMS.get(k, k)) if k else _("Okänd"), n) for k, n in sorted(by_form.items())])
    w.heading(_("Per delregion"), 2)
    w.table([_("Delregion"), _("Antal svar")],
            [(str(SUB_REGIONS.get(k, k)) if k else _("Okänd"), n) for k, n in sorted(by_region.items())])
    w.heading(_("Svarande organisationer"), 2)
    w.table([_("Organisation"), _("Juridisk form"), _("Delregion"), _("Inbjuden"), _("Ställningstagande")],
            [(o.name, str(LEGAL_FORMS.get(o.legal_form, o.legal_form or "")), str(SUB_REGIONS.get(o.sub_region, "")),
              _("Ja") if inv else _("Nej"), labels.get(a.final_position, "")) for a, o, inv in answers])

    # Positions per section
    w.heading(_("Ställningstaganden per avsnitt"))
    w.table([_("Avsnitt")] + [labels[p] for p in POSITIONS],
            [(f"{s.number}. {s.heading}", *[per_section[s.id].get(p, 0) for p in POSITIONS])
             for s in remiss.sections])

    # Summaries, themes and handled comments
    w.heading(_("Sammanfattning"))
    if None in written:
        w.text(written[None].text)
    else:
        w.para(_("Ingen övergripande sammanfattning är skriven."))
    w.heading(_("Teman"), 2)
    if theme_totals["themes"]:
        w.table([_("Tema"), _("Antal kommentarer")],
                [(name, theme_totals["overall"][name]) for name in theme_totals["themes"]])
    else:
        w.para(_("Inga teman är markerade."))
    for s in remiss.sections:
        w.heading(f"{s.number}. {s.heading}", 2)
        w.para("; ".join(f"{labels[p]}: {per_section[s.id].get(p, 0)}" for p in POSITIONS))
        if s.id in written:
            w.text(written[s.id].text)
        section_themes = theme_totals["by_section"].get(s.id)
        if section_themes:
            w.labelled(_("Teman"), ", ".join(f"{name} ({n})" for name, n in section_themes.most_common()))
        for q in quotes.get(s.id, []):
            quote = q["quote"]
            w.para(quote.text, "Quote")
            p = w.para(f"– {q['organisation']}. ")
            p.add_run(f"{quote.handling_label or _('Ej bestämt')}").bold = True
            if quote.handling_reason:
                p.add_run(f": {quote.handling_reason}")
    general_themes = theme_totals["by_section"].get(None)
    if general_themes:
        w.heading(_("Teman i de allmänna kommentarerna"), 2)
        w.para(", ".join(f"{name} ({n})" for name, n in general_themes.most_common()))

    # Annex: every answer as submitted
    w.page_break()
    w.heading(_("Bilaga: Alla svar"))
    by_answer = _annex_sections(remiss, [a.id for a, _o, _i in answers])
    for a, o, _inv in answers:
        w.heading(o.name, 2)
        w.labelled(_("Ställningstagande"), labels.get(a.final_position, ""))
        w.labelled(_("Beslutat av"), a.final_decided_by)
        w.text(a.final_general_comment)
        for section, pos, comment, wording in by_answer.get(a.id, []):
            heading = f"{section.number}. {section.heading}"
            w.heading(f"{heading} – {labels[pos]}" if pos else heading, 3)
            w.text(comment)
            if wording.strip():
                w.labelled(_("Förslag till ny lydelse"), wording)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

"""The remissammanställning as a Word document (.docx): title page, who answered, positions per section,
the drafting group's summaries, themes, handled comments with their decisions, and an annex of all answers."""
import io
import re
from collections import Counter, defaultdict
from xml.sax.saxutils import escape

import sqlalchemy as sa
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt
from flask_babel import format_date
from flask_babel import gettext as _

from core.extensions import db
from core.models import LEGAL_FORMS, SUB_REGIONS, utcnow
from surveys.remiss import compilation, summaries, themes
from surveys.remiss.models import POSITIONS, SectionAnswer
from surveys.remiss.review import body_counts, section_position_counts

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# Characters XML 1.0 cannot hold (a pasted form feed or the like): dropped rather than failing the document.
_NOT_XML = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PAGE_WIDTH = 9000  # twips between the default margins, shared out among a table's columns


def _t(text, bold=False):
    text = escape(_NOT_XML.sub("", str(text)))
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


class _Writer:
    """The document body written as WordprocessingML text and parsed once at the end.

    python-docx builds a paragraph element by element and, for each one, looks for the body's closing section
    properties among all its children: an annex of 20,000 paragraphs then takes minutes. Text is escaped here;
    the styles are the template's own (their ids looked up once)."""

    def __init__(self, doc):
        self.doc = doc
        self.ids = {name: doc.styles[name].style_id for name in (
            "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Quote", "Table Grid")}
        self.parts = []

    def _p(self, runs, style=None):
        props = f'<w:pPr><w:pStyle w:val="{self.ids[style]}"/></w:pPr>' if style else ""
        self.parts.append(f"<w:p>{props}{runs}</w:p>")

    def para(self, text="", style=None, bold_tail=None):
        """A paragraph; bold_tail=(bold text, plain text) adds both after text."""
        runs = _t(text) if text else ""
        if bold_tail:
            runs += _t(bold_tail[0], bold=True) + (_t(bold_tail[1]) if bold_tail[1] else "")
        self._p(runs, style)

    def heading(self, text, level=1):
        self.para(text, f"Heading {level}")

    def text(self, text):
        """A long text: one paragraph per line break the writer made, empty lines dropped."""
        for line in (text or "").splitlines():
            if line.strip():
                self._p(_t(line))

    def labelled(self, label, value):
        self._p(_t(f"{label}: ", bold=True) + _t(value or "–"))

    def table(self, header, rows):
        width = _PAGE_WIDTH // len(header)
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for _h in header)

        def row(values, bold=False):
            cells = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>{_t(v, bold)}</w:p></w:tc>'
                            for v in values)
            return f"<w:tr>{cells}</w:tr>"

        body = row(header, bold=True) + "".join(row(r) for r in rows)
        self.parts.append(f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.ids["Table Grid"]}"/>'
                          f'<w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>')

    def page_break(self):
        self._p('<w:r><w:br w:type="page"/></w:r>')

    def finish(self):
        """Parse the text once and put its elements into the body, before the section properties."""
        fragment = parse_xml(f'<w:body xmlns:w="{_W}">{"".join(self.parts)}</w:body>')
        end = self.doc.element.body.find(qn("w:sectPr"))
        for child in list(fragment):
            end.addprevious(child)


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
            w.para(f"– {q['organisation']}. ", bold_tail=(quote.handling_label or _("Ej bestämt"),
                                                        f": {quote.handling_reason}" if quote.handling_reason else ""))
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
    w.finish()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

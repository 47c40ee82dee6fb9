"""Import of the draft document: Markdown/plain text or .docx, headings become sections."""
import io
import re

from docx import Document
from flask_babel import gettext as _

from core.uploads import check_office_archive
from surveys.remiss.models import RemissError

MD_HEADING = re.compile(r"^(#{1,6})[ \t]*(.*?)[ \t#]*$")
# In plain text, a short numbered line without a final full stop reads as a heading ("3. Kvalitet").
NUMBERED_HEADING = re.compile(r"^\d+(\.\d+)*\.?[ \t]+(\S.{0,150})$")


def _finish(sections):
    out = []
    for heading, lines in sections:
        out.append((heading, "\n".join(lines).strip()))
    for i, (heading, _text) in enumerate(out, start=1):
        if not heading:
            raise RemissError(_("Rubrik %(n)s i filen är tom. Skriv en rubrik och försök igen.", n=i))
    return out


def parse_text(text):
    """[(heading, text)] from Markdown '#' headings, else from numbered heading lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    use_markdown = any(MD_HEADING.match(line) for line in lines)
    sections = []
    preamble = []
    for line in lines:
        heading = None
        if use_markdown:
            m = MD_HEADING.match(line)
            if m:
                heading = m.group(2).strip()
        else:
            m = NUMBERED_HEADING.match(line.strip())
            if m and not line.strip().endswith((".", ",", ";", ":")):
                heading = re.sub(r"^\d+(\.\d+)*\.?\s+", "", line.strip())
        if heading is not None:
            sections.append((heading, []))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    if not sections:
        raise RemissError(_("Filen har inga rubriker. Markera rubrikerna med # (Markdown) eller numrera dem "
                            "(”1. Rubrik”) och försök igen."))
    if "\n".join(preamble).strip():
        sections.insert(0, (_("Inledning"), preamble))
    return _finish(sections)


def parse_docx(data):
    """[(heading, text)] from a Word file: paragraphs in a Heading/Rubrik style start a section."""
    try:
        check_office_archive(data)
        document = Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several types for a broken file
        raise RemissError(_("Word-filen gick inte att läsa. Spara den som .docx och försök igen.")) from exc
    sections = []
    preamble = []
    for para in document.paragraphs:
        style = (para.style.name if para.style is not None else "") or ""
        if style.lower().startswith(("heading", "rubrik")) or style.lower() == "title":
            sections.append((para.text.strip(), []))
        elif sections:
            sections[-1][1].append(para.text)
        else:
            preamble.append(para.text)
    if not sections:
        raise RemissError(_("Filen har inga rubriker. Använd formatmallen ”Rubrik 1” för avsnittens rubriker "
                            "och försök igen."))
    if "\n".join(preamble).strip():
        sections.insert(0, (_("Inledning"), preamble))
    return _finish(sections)


def parse_file(filename, data):
    name = (filename or "").lower()
    if name.endswith(".docx") or data[:2] == b"PK":
        return parse_docx(data)
    if name.endswith((".md", ".markdown", ".txt", ".text")) or not name:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        return parse_text(text)
    raise RemissError(_("Välj en fil av typen .md, .txt eller .docx."))

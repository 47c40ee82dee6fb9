"""Revised versions of the draft: made after the answers, edited per section, and the side-by-side view that ties
each changed section to the comments (marked quotes and their handling) that led to it."""
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from core.extensions import db
from core.models import Organisation
from surveys.remiss import importing, uploads
from surveys.remiss.models import (
    DraftVersion,
    DraftVersionSection,
    HandlingTarget,
    KeyQuote,
    RemissAnswer,
    RemissError,
    RemissStatus,
    SectionAnswer,
)

# A revised version belongs to the time after the answers: while answers come in, the remitted text must not move.
VERSION_STATUSES = (RemissStatus.CLOSED, RemissStatus.COMPILED)


def versions(remiss):
    return db.session.scalars(sa.select(DraftVersion).where(DraftVersion.remiss_id == remiss.id)
                              .order_by(DraftVersion.number)).all()


def _base_sections(remiss):
    """(section_id, heading, text) of the newest version, or of the remitted draft when there is none yet."""
    latest = db.session.scalar(sa.select(DraftVersion).where(DraftVersion.remiss_id == remiss.id)
                               .order_by(DraftVersion.number.desc()).limit(1))
    if latest is None:
        return [(s.id, s.heading, s.text) for s in remiss.sections]
    return [(s.section_id, s.heading, s.text) for s in latest.sections]


def _match_uploaded(remiss, parsed):
    """Sections parsed from an uploaded Word file, each tied to the remitted section with the same heading
    (case and spacing ignored), else to the one in the same place; a heading the draft never had is new."""
    by_heading = {" ".join(s.heading.split()).lower(): s.id for s in remiss.sections}
    by_place = [s.id for s in remiss.sections]
    used = set()
    out = []
    for i, (heading, text) in enumerate(parsed):
        sid = by_heading.get(" ".join(heading.split()).lower())
        if sid is None and i < len(by_place) and by_place[i] not in by_heading.values():
            sid = by_place[i]
        if sid in used:
            sid = None
        used.add(sid)
        out.append((sid, heading, text))
    return out


def start_version(remiss, user, note="", upload=None):
    """A new version: a copy of the newest text to edit, or the uploaded file (a .docx's headings become its
    sections; a PDF or .odt is kept as the version's document and the text is copied to edit beside it)."""
    if remiss.status not in VERSION_STATUSES:
        raise RemissError(_("En ny version av underlaget kan göras när remissen är stängd."))
    sections = _base_sections(remiss)
    data = extension = None
    if upload is not None and getattr(upload, "filename", ""):
        data, extension = uploads.read_document(upload)
        if extension == "docx":
            sections = _match_uploaded(remiss, importing.parse_docx(data))
    number = (db.session.scalar(sa.select(sa.func.max(DraftVersion.number))
                                .where(DraftVersion.remiss_id == remiss.id)) or 1) + 1
    version = DraftVersion(remiss_id=remiss.id, number=number, note=(note or "").strip(),
                           created_by_id=user.id)
    for i, (section_id, heading, text) in enumerate(sections, start=1):
        version.sections.append(DraftVersionSection(section_id=section_id, number=i, heading=heading, text=text))
    stored = None
    if data is not None:
        stored = uploads.store(data, extension)
        version.stored_name = stored
        version.filename = uploads.clean_filename(upload.filename, extension)
    db.session.add(version)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        if stored:
            uploads.remove(stored)
        raise
    return version


def update_section(version_section, heading, text):
    """Edit one section of a version; the heading is needed, the text may be emptied (a section struck out)."""
    heading = " ".join((heading or "").split())
    if not heading:
        raise RemissError(_("Skriv en rubrik för avsnittet."))
    if len(heading) > 300:
        raise RemissError(_("Rubriken får vara högst 300 tecken."))
    version_section.heading = heading
    version_section.text = (text or "").replace("\r\n", "\n")
    db.session.commit()


def set_target(quote, version_section):
    """Point a quote's handling decision at a section of a revised version (None: no longer points anywhere)."""
    target = db.session.scalar(sa.select(HandlingTarget).where(HandlingTarget.quote_id == quote.id))
    if version_section is None:
        if target is not None:
            db.session.delete(target)
        db.session.commit()
        return None
    if version_section.version.remiss_id != quote.section_answer.answer.remiss_id:
        raise RemissError(_("Avsnittet hör inte till den här remissen."))
    if target is None:
        target = HandlingTarget(quote_id=quote.id)
        db.session.add(target)
    target.version_section_id = version_section.id
    db.session.commit()
    return target


@dataclass
class ComparedSection:
    """One line of the side-by-side view: the remitted section and what it became, with the comments behind it."""

    old: object = None          # RemissSection, or None for a section the version added
    new: object = None          # DraftVersionSection, or None for a remitted section the version dropped
    quotes: list = field(default_factory=list)   # [(KeyQuote, organisation name, points here)]

    @property
    def changed(self):
        if self.old is None or self.new is None:
            return True
        return (self.old.heading, self.old.text.strip()) != (self.new.heading, self.new.text.strip())


def compare(remiss, version):
    """Old and new text per section, each with the marked quotes on the old section and those pointed at the new.

    Three queries whatever the number of sections and quotes.
    """
    rows = {}
    order = []
    for s in remiss.sections:
        rows[("old", s.id)] = ComparedSection(old=s)
        order.append(("old", s.id))
    for vs in version.sections:
        key = ("old", vs.section_id) if vs.section_id is not None and ("old", vs.section_id) in rows else None
        if key is None or rows[key].new is not None:
            key = ("new", vs.id)
            rows[key] = ComparedSection()
            order.append(key)
        rows[key].new = vs
    by_new = {row.new.id: row for row in rows.values() if row.new is not None}
    quote_rows = db.session.execute(
        sa.select(KeyQuote, SectionAnswer.section_id, Organisation.name, HandlingTarget.version_section_id)
        .join(SectionAnswer, SectionAnswer.id == KeyQuote.section_answer_id)
        .join(RemissAnswer, RemissAnswer.id == SectionAnswer.answer_id)
        .join(Organisation, Organisation.id == RemissAnswer.organisation_id)
        .outerjoin(HandlingTarget, HandlingTarget.quote_id == KeyQuote.id)
        .where(RemissAnswer.remiss_id == remiss.id)
        .order_by(Organisation.name, KeyQuote.id)
    ).all()
    for quote, section_id, org, target_id in quote_rows:
        # A quote shows where its decision landed in this version; otherwise beside the section it was said on.
        row = by_new.get(target_id) or rows.get(("old", section_id))
        if row is not None:
            row.quotes.append((quote, org, target_id is not None and target_id in by_new))
    return [rows[key] for key in order]


def targets_by_quote(version):
    """{quote id: version section id} for the quotes that point into this version."""
    ids = [s.id for s in version.sections]
    if not ids:
        return {}
    return dict(db.session.execute(
        sa.select(HandlingTarget.quote_id, HandlingTarget.version_section_id)
        .where(HandlingTarget.version_section_id.in_(ids))).all())

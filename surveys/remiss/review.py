"""The drafting group's reading: dashboard figures, the per-section view, search, tags and key quotes."""
from collections import Counter, defaultdict
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, selectinload

from core.audit import record
from core.extensions import db
from core.models import Organisation
from surveys.remiss.models import (
    HANDLINGS,
    POSITIONS,
    BodyStatus,
    CommentTag,
    InvitedBody,
    KeyQuote,
    RemissAnswer,
    RemissError,
    RemissSection,
    SectionAnswer,
)


def body_counts(remiss):
    # A self-registered organisation not yet reviewed is not a remissinstans: counted apart (open participation).
    pending = sa.and_(InvitedBody.invited.is_(False), Organisation.needs_review.is_(True))
    rows = db.session.execute(
        sa.select(InvitedBody.status, InvitedBody.invited, pending, sa.func.count())
        .outerjoin(Organisation, Organisation.id == InvitedBody.organisation_id)
        .where(InvitedBody.remiss_id == remiss.id).group_by(InvitedBody.status, InvitedBody.invited, pending)
    ).all()
    counts = Counter()
    awaiting_review = 0
    for status, invited, is_pending, n in rows:
        if is_pending:
            awaiting_review += n if status == BodyStatus.ANSWERED else 0
            continue
        counts[(status, bool(invited))] += n
    invited = sum(n for (_s, inv), n in counts.items() if inv)
    answered_invited = counts[(BodyStatus.ANSWERED, True)]
    return {
        "invited": invited,
        "answered_invited": answered_invited,
        "answered_uninvited": counts[(BodyStatus.ANSWERED, False)],
        "declined": counts[(BodyStatus.DECLINED, True)] + counts[(BodyStatus.DECLINED, False)],
        "by_status": {s: counts[(s, True)] for s in BodyStatus.ORDER},
        "rate": (answered_invited / invited) if invited else 0.0,
        "answered_awaiting_review": awaiting_review,
    }


def submitted_answers_overview(remiss):
    """One light row per submitted answer (no long texts): for the dashboard list, charts and timeline."""
    rows = db.session.execute(
        sa.select(RemissAnswer.id, RemissAnswer.final_position, RemissAnswer.first_submitted_at,
                  RemissAnswer.submitted_at, RemissAnswer.final_contains_personal_data,
                  RemissAnswer.personal_data_reviewed, Organisation.id, Organisation.name,
                  Organisation.legal_form, Organisation.sub_region, InvitedBody.invited, Organisation.needs_review)
        .join(Organisation, Organisation.id == RemissAnswer.organisation_id)
        .outerjoin(InvitedBody, sa.and_(InvitedBody.remiss_id == RemissAnswer.remiss_id,
                                        InvitedBody.organisation_id == RemissAnswer.organisation_id))
        .where(RemissAnswer.remiss_id == remiss.id, RemissAnswer.submitted_at.is_not(None))
        .order_by(Organisation.name)
    ).all()
    return [
        {"answer_id": r[0], "position": r[1], "position_label": POSITIONS.get(r[1], ""),
         "first_submitted_at": r[2], "submitted_at": r[3], "personal_data": bool(r[4]),
         "personal_data_reviewed": bool(r[5]), "organisation_id": r[6], "organisation": r[7],
         "legal_form": r[8], "sub_region": r[9], "invited": bool(r[10]) if r[10] is not None else False,
         "awaits_review": not r[10] and bool(r[11])}
        for r in rows
    ]


def section_position_counts(remiss):
    """{section_id: Counter(position)} over submitted answers, in one query."""
    rows = db.session.execute(
        sa.select(SectionAnswer.section_id, SectionAnswer.final_position, sa.func.count())
        .join(RemissAnswer, RemissAnswer.id == SectionAnswer.answer_id)
        .where(RemissAnswer.remiss_id == remiss.id, SectionAnswer.has_final.is_(True))
        .group_by(SectionAnswer.section_id, SectionAnswer.final_position)
    ).all()
    out = defaultdict(Counter)
    for section_id, position, n in rows:
        out[section_id][position or ""] += n
    return out


def section_comments(remiss, section):
    """Every submitted comment on one section with its organisation, tags and quotes: a fixed number of
    queries however many answers there are."""
    stmt = (
        sa.select(SectionAnswer)
        .join(SectionAnswer.answer)
        .join(RemissAnswer.organisation)
        .options(contains_eager(SectionAnswer.answer).contains_eager(RemissAnswer.organisation),
                 selectinload(SectionAnswer.tags), selectinload(SectionAnswer.quotes))
        .where(SectionAnswer.section_id == section.id, SectionAnswer.has_final.is_(True),
               RemissAnswer.remiss_id == remiss.id, RemissAnswer.submitted_at.is_not(None))
        .order_by(Organisation.name)
    )
    return db.session.scalars(stmt).unique().all()


class CommentRow(NamedTuple):
    """One comment on the per-section view: plain values, no ORM objects (300 answers make 300 rows)."""

    id: int
    organisation: str
    final_position: str | None
    final_comment: str
    final_wording: str
    tags: list  # [(tag id, tag)] by tag, as SectionAnswer.tags
    quotes: list  # [quote text] by id, as SectionAnswer.quotes


def section_comment_rows(remiss, section):
    """What the per-section view shows of every submitted comment on one section, in three queries: only the
    columns it needs (an answer's general comment, as long as a section comment, is not read)."""
    of_section = sa.select(SectionAnswer.id).where(SectionAnswer.section_id == section.id)
    tags, quotes = defaultdict(list), defaultdict(list)
    for sa_id, tag_id, tag in db.session.execute(
            sa.select(CommentTag.section_answer_id, CommentTag.id, CommentTag.tag)
            .where(CommentTag.section_answer_id.in_(of_section)).order_by(CommentTag.tag)):
        tags[sa_id].append((tag_id, tag))
    for sa_id, text in db.session.execute(
            sa.select(KeyQuote.section_answer_id, KeyQuote.text)
            .where(KeyQuote.section_answer_id.in_(of_section)).order_by(KeyQuote.id)):
        quotes[sa_id].append(text)
    rows = db.session.execute(
        sa.select(SectionAnswer.id, Organisation.name, SectionAnswer.final_position, SectionAnswer.final_comment,
                  SectionAnswer.final_wording)
        .join(RemissAnswer, RemissAnswer.id == SectionAnswer.answer_id)
        .join(Organisation, Organisation.id == RemissAnswer.organisation_id)
        .where(SectionAnswer.section_id == section.id, SectionAnswer.has_final.is_(True),
               RemissAnswer.remiss_id == remiss.id, RemissAnswer.submitted_at.is_not(None))
        .order_by(Organisation.name, SectionAnswer.id)
    ).all()
    return [CommentRow(*row, tags.get(row[0], []), quotes.get(row[0], [])) for row in rows]


def search(remiss, query, limit=200):
    """Submitted answers whose text contains query (case-insensitive), with a short excerpt."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    needle = query.lower()
    hits = []
    general = db.session.execute(
        sa.select(RemissAnswer.id, Organisation.name, RemissAnswer.final_general_comment)
        .join(Organisation, Organisation.id == RemissAnswer.organisation_id)
        .where(RemissAnswer.remiss_id == remiss.id, RemissAnswer.submitted_at.is_not(None),
               sa.func.lower(RemissAnswer.final_general_comment).contains(needle, autoescape=True))
        .order_by(Organisation.name).limit(limit)
    ).all()
    for answer_id, org, text in general:
        hits.append({"answer_id": answer_id, "organisation": org, "section": None,
                     "excerpt": excerpt(text, needle)})
    cols = (SectionAnswer.final_comment, SectionAnswer.final_wording)
    rows = db.session.execute(
        sa.select(RemissAnswer.id, Organisation.name, RemissSection.number, RemissSection.heading,
                  SectionAnswer.final_comment, SectionAnswer.final_wording)
        .join(RemissAnswer, RemissAnswer.id == SectionAnswer.answer_id)
        .join(Organisation, Organisation.id == RemissAnswer.organisation_id)
        .join(RemissSection, RemissSection.id == SectionAnswer.section_id)
        .where(RemissAnswer.remiss_id == remiss.id, SectionAnswer.has_final.is_(True),
               sa.or_(*[sa.func.lower(c).contains(needle, autoescape=True) for c in cols]))
        .order_by(RemissSection.number, Organisation.name).limit(limit)
    ).all()
    for answer_id, org, number, heading, comment, wording in rows:
        text = comment if needle in (comment or "").lower() else wording
        hits.append({"answer_id": answer_id, "organisation": org, "section": (number, heading),
                     "excerpt": excerpt(text, needle)})
    return hits


def excerpt(text, needle, width=120):
    """(before, match, after) around the first hit, so the template can mark it without |safe."""
    text = text or ""
    i = text.lower().find(needle)
    if i < 0:
        return (text[: width * 2], "", "")
    start = max(0, i - width)
    end = min(len(text), i + len(needle) + width)
    return (("…" if start else "") + text[start:i], text[i:i + len(needle)],
            text[i + len(needle):end] + ("…" if end < len(text) else ""))


def remiss_tags(remiss):
    rows = db.session.scalars(
        sa.select(CommentTag.tag).join(SectionAnswer, SectionAnswer.id == CommentTag.section_answer_id)
        .join(RemissAnswer, RemissAnswer.id == SectionAnswer.answer_id)
        .where(RemissAnswer.remiss_id == remiss.id).distinct()
    ).all()
    return sorted(rows, key=str.lower)


def add_tag(section_answer, tag):
    tag = " ".join((tag or "").split())[:100]
    if not tag:
        raise RemissError(_("Skriv ett tema."))
    if any(t.tag.lower() == tag.lower() for t in section_answer.tags):
        return None
    row = CommentTag(tag=tag)
    section_answer.tags.append(row)
    db.session.commit()
    return row


def remove_tag(section_answer, tag_id):
    for t in list(section_answer.tags):
        if t.id == tag_id:
            section_answer.tags.remove(t)
    db.session.commit()


def add_quote(section_answer, text, user):
    text = (text or "").strip()
    if not text:
        raise RemissError(_("Klistra in citatet du vill markera."))
    quote = KeyQuote(text=text, created_by_id=user.id)
    section_answer.quotes.append(quote)
    db.session.commit()
    return quote


def set_handling(quote, handling, reason):
    handling = handling or None
    if handling is not None and handling not in HANDLINGS:
        raise RemissError(_("Välj hur synpunkten hanteras."))
    if handling in ("beaktas_delvis", "beaktas_inte") and not (reason or "").strip():
        raise RemissError(_("Skriv en motivering när synpunkten inte beaktas fullt ut."))
    quote.handling = handling
    quote.handling_reason = (reason or "").strip()
    record("remiss.handling_decided", target=quote, handling=handling)
    db.session.commit()


def delete_quote(quote):
    db.session.delete(quote)
    db.session.commit()


def review_personal_data(answer):
    answer.personal_data_reviewed = True
    record("remiss.personal_data_reviewed", target=answer)
    db.session.commit()

"""The remissammanställning: per section positions and marked points, who was invited and who answered;
and the rows of its XLSX/CSV exports and of the public CSV."""
from collections import Counter, defaultdict
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from psycopg.types.string import ByteaBinaryLoader
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.expression import FunctionElement

from core.extensions import db
from core.models import LEGAL_FORMS, SUB_REGIONS, Organisation, utcnow
from core.organisations.services import paginate
from core.timeutil import utc_to_local
from surveys.remiss.models import (
    HANDLINGS,
    POSITIONS,
    BodyStatus,
    CommentTag,
    InvitedBody,
    KeyQuote,
    Remiss,
    RemissAnswer,
    RemissStatus,
    SectionAnswer,
)
from surveys.remiss.review import section_position_counts


def _labels(table):
    """A label table translated once: evaluating a lazy string per row costs more than the row itself."""
    return {code: str(label) for code, label in table.items()}


def position_labels():
    return _labels(POSITIONS)


def _local(value):
    local = utc_to_local(value)
    return local.replace(tzinfo=None, microsecond=0) if local else None


def status_labels():
    return _labels(BodyStatus.LABELS)


def _bodies_order():
    return InvitedBody.invited.desc(), sa.func.coalesce(Organisation.name, InvitedBody.email), InvitedBody.id


BODIES_PER_PAGE = 100
# What the bodies list can show besides one status: those that have not answered (nor declined), and those no
# invitation can reach (no address of their own nor in the organisation registry).
NOT_ANSWERED, WITHOUT_ADDRESS = "ej-svarat", "utan-adress"


def body_page(remiss, search="", show="", page=1, per_page=BODIES_PER_PAGE):
    """One page of the invited bodies, narrowed by a part of the name or address and by `show` (a BodyStatus,
    NOT_ANSWERED or WITHOUT_ADDRESS; anything else: all). 500 bodies on one page made it too slow to use."""
    stmt = (sa.select(InvitedBody).outerjoin(Organisation, Organisation.id == InvitedBody.organisation_id)
            .where(InvitedBody.remiss_id == remiss.id))
    search = (search or "").strip().lower()
    if search:
        stmt = stmt.where(sa.or_(sa.func.lower(Organisation.name).contains(search, autoescape=True),
                                 sa.func.lower(InvitedBody.email).contains(search, autoescape=True)))
    if show == NOT_ANSWERED:
        stmt = stmt.where(InvitedBody.status.not_in([BodyStatus.ANSWERED, BodyStatus.DECLINED]))
    elif show == WITHOUT_ADDRESS:  # as claiming.invited_address
        stmt = stmt.where(sa.func.coalesce(sa.func.nullif(InvitedBody.email, ""),
                                           sa.func.nullif(Organisation.contact_email, "")).is_(None))
    elif show in BodyStatus.LABELS:
        stmt = stmt.where(InvitedBody.status == show)
    stmt = stmt.options(selectinload(InvitedBody.organisation), selectinload(InvitedBody.claimed_organisation))
    return paginate(stmt.order_by(*_bodies_order()), page=page, per_page=per_page)


class BodyRow(NamedTuple):
    """A body as the compilation lists it."""

    display_name: str
    email: str | None
    invited: bool
    status: str
    extension_until: datetime | None


def body_rows(remiss):
    """Every body as plain values, in the bodies list's order: for the compilation page and exports."""
    return [BodyRow(*row) for row in db.session.execute(
        sa.select(sa.func.coalesce(Organisation.name, InvitedBody.email, ""), InvitedBody.email, InvitedBody.invited,
                  InvitedBody.status, InvitedBody.extension_until)
        .outerjoin(Organisation, Organisation.id == InvitedBody.organisation_id)
        .where(InvitedBody.remiss_id == remiss.id)
        .order_by(*_bodies_order()))]


def quotes_by_section(remiss):
    rows = db.session.execute(
        sa.select(KeyQuote, SectionAnswer.section_id, Organisation.name)
        .join(SectionAnswer, SectionAnswer.id == KeyQuote.section_answer_id)
        .join(RemissAnswer, RemissAnswer.id == SectionAnswer.answer_id)
        .join(Organisation, Organisation.id == RemissAnswer.organisation_id)
        .where(RemissAnswer.remiss_id == remiss.id)
        .order_by(SectionAnswer.section_id, Organisation.name, KeyQuote.id)
    ).all()
    out = defaultdict(list)
    for quote, section_id, org in rows:
        out[section_id].append({"quote": quote, "organisation": org})
    return out


def compilation(remiss):
    counts = section_position_counts(remiss)
    quotes = quotes_by_section(remiss)
    labels = position_labels()
    sections = [
        {"section": s, "counts": [(labels[p], counts[s.id].get(p, 0)) for p in POSITIONS],
         "total": sum(counts[s.id].values()), "quotes": quotes.get(s.id, [])}
        for s in remiss.sections
    ]
    return {"sections": sections, "bodies": body_rows(remiss)}


def _answers_rows(remiss, public_only=False):
    stmt = (
        sa.select(RemissAnswer, Organisation, InvitedBody.invited)
        .join(Organisation, Organisation.id == RemissAnswer.organisation_id)
        .outerjoin(InvitedBody, sa.and_(InvitedBody.remiss_id == RemissAnswer.remiss_id,
                                        InvitedBody.organisation_id == RemissAnswer.organisation_id))
        .where(RemissAnswer.remiss_id == remiss.id, RemissAnswer.submitted_at.is_not(None))
        .order_by(Organisation.name)
    )
    rows = db.session.execute(stmt).all()
    if public_only:
        rows = [r for r in rows if r[0].is_public]
    return rows


class _UTF8(sa.types.TypeDecorator):
    """UTF-8 bytes, whether the database gave bytes (SQLite) or text (PostgreSQL)."""

    impl = sa.LargeBinary
    cache_ok = True

    def process_result_value(self, value, dialect):
        return value.encode() if isinstance(value, str) else value


class utf8_bytes(FunctionElement):
    """A text column read as its UTF-8 bytes: the exports write bytes, and 14 M characters decoded to be written
    encoded again cost as much as reading them. SQLite hands the stored bytes over as they are (CAST AS
    BLOB). On PostgreSQL bytea comes as hexadecimal text, twice the size and slower than the text itself
    (measured: 163 against 74 ms); utf8_rows reads the text in binary format instead, where it is its UTF-8
    bytes, and any other way of running the statement encodes it here (_UTF8)."""

    type = _UTF8()
    inherit_cache = True


@compiles(utf8_bytes)
def _utf8_sqlite(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS BLOB)"


@compiles(utf8_bytes, "postgresql")
def _utf8_postgresql(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS TEXT)"


_PG_TEXT = 25  # the oid of PostgreSQL's text type


def utf8_rows(stmt):
    """The rows of a Core statement as the driver's tuples, its utf8_bytes columns as UTF-8 bytes and its other
    columns as the driver gives them (they must be numbers or short strings: varchar on PostgreSQL). Parameters
    are passed as they are (numbers and strings only; no SQLAlchemy type processing either way).

    For the exports' 14 M characters: SQLAlchemy's processing of each row, and on PostgreSQL decoding each text to
    encode it again, cost more than reading them (on issue 12's shape, PostgreSQL: ~200 ms against ~75 ms)."""
    connection = db.session.connection()
    compiled = stmt.compile(dialect=connection.dialect)
    params = compiled.construct_params()
    driver = connection.connection.driver_connection
    if connection.dialect.name == "sqlite":
        cursor = driver.cursor()
        try:
            cursor.execute(str(compiled), [params[name] for name in compiled.positiontup])
            return cursor.fetchall()
        finally:
            cursor.close()
    if connection.dialect.name == "postgresql" and driver.info.encoding == "utf-8":
        wanted = [isinstance(column, utf8_bytes) for column in stmt.selected_columns]
        # psycopg, results in binary format: a text value is sent as its bytes in the connection's encoding
        # (UTF-8, checked above), which the bytea loader hands over as they are, in C.
        with driver.cursor(binary=True) as cursor:
            cursor.adapters.register_loader("text", ByteaBinaryLoader)
            cursor.execute(str(compiled), params)
            if [column.type_code == _PG_TEXT for column in cursor.description] != wanted:
                raise TypeError("utf8_rows: a text column that is not utf8_bytes(...) would come as bytes")
            return cursor.fetchall()
    return [tuple(row) for row in connection.execute(stmt)]


def _section_rows(remiss, answer_ids):
    """Submitted section comments, with tags, in section then organisation order; the comment and the
    proposed wording as UTF-8 bytes (the exports' writers, surveys.remiss.xlsx and csv_export, take them so)."""
    if not answer_ids:
        return []
    tag_rows = db.session.execute(
        sa.select(CommentTag.section_answer_id, CommentTag.tag)
        .join(SectionAnswer, SectionAnswer.id == CommentTag.section_answer_id)
        .join(RemissAnswer, RemissAnswer.id == SectionAnswer.answer_id)
        .where(RemissAnswer.remiss_id == remiss.id)
    ).all()
    tags = defaultdict(list)
    for sa_id, tag in tag_rows:
        tags[sa_id].append(tag)
    # Long texts come from one table only; section numbers and organisation names are joined here from
    # small lookups, and sorted here rather than by the database, which would carry the texts through its sort.
    orgs = dict(db.session.execute(
        sa.select(RemissAnswer.id, Organisation.name).join(Organisation, Organisation.id == RemissAnswer.organisation_id)
        .where(RemissAnswer.id.in_(answer_ids))).all())
    sections = {s.id: (s.number, s.heading) for s in remiss.sections}
    stmt = (
        sa.select(SectionAnswer.id, SectionAnswer.answer_id, SectionAnswer.section_id, SectionAnswer.final_position,
                  utf8_bytes(SectionAnswer.final_comment), utf8_bytes(SectionAnswer.final_wording))
        .where(SectionAnswer.answer_id.in_(sa.select(RemissAnswer.id).where(RemissAnswer.remiss_id == remiss.id)),
               SectionAnswer.has_final.is_(True))
    )
    rows = [row for row in utf8_rows(stmt) if row[1] in orgs]
    rows.sort(key=lambda r: (sections[r[2]][0], orgs[r[1]], r[0]))  # section number, organisation, id
    labels = position_labels()
    return [(*sections[sid], orgs[aid], labels.get(pos, ""), comment, wording,
             ", ".join(sorted(tags[sa_id])) if sa_id in tags else "")
            for sa_id, aid, sid, pos, comment, wording in rows]


def answer_header():
    return [_("Organisation"), _("Juridisk form"), _("Delregion"), _("Inbjuden"), _("Ställningstagande"),
            _("Beslutat av"), _("Undertecknat av"), _("Inskickat"), _("Allmän kommentar")]


def section_header():
    return [_("Avsnitt"), _("Rubrik"), _("Organisation"), _("Ställningstagande"), _("Kommentar"),
            _("Förslag till ny lydelse"), _("Teman")]


def export_sheets(remiss):
    answers = _answers_rows(remiss)
    forms, regions, positions = _labels(LEGAL_FORMS), _labels(SUB_REGIONS), position_labels()
    answer_rows = [[o.name, forms.get(o.legal_form, o.legal_form), regions.get(o.sub_region, ""), bool(invited),
                    positions.get(a.final_position, ""), a.final_decided_by, a.final_signatory,
                    _local(a.submitted_at), a.final_general_comment] for a, o, invited in answers]
    section_rows = _section_rows(remiss, [a.id for a, _o, _i in answers])
    quotes = quotes_by_section(remiss)
    handlings = _labels(HANDLINGS)
    quote_rows = []
    for s in remiss.sections:
        for q in quotes.get(s.id, []):
            quote_rows.append([s.number, s.heading, q["organisation"], q["quote"].text,
                               handlings.get(q["quote"].handling, ""), q["quote"].handling_reason])
    statuses = status_labels()
    body_sheet = [[b.display_name, b.email or "", bool(b.invited), statuses.get(b.status, b.status),
                   _local(b.extension_until)] for b in body_rows(remiss)]
    return [
        (_("Svar"), answer_header(), answer_rows),
        (_("Per avsnitt"), section_header(), section_rows),
        (_("Synpunkter"), [_("Avsnitt"), _("Rubrik"), _("Organisation"), _("Citat"), _("Hantering"),
                           _("Motivering")], quote_rows),
        (_("Remissinstanser"), [_("Remissinstans"), _("E-post"), _("Inbjuden"), _("Status"), _("Förlängt till")],
         body_sheet),
    ]


def csv_rows(remiss, public_only=False):
    """One flat table: the general comment as section 0, then every section comment."""
    answers = _answers_rows(remiss, public_only=public_only)
    overall, positions = _("Övergripande"), position_labels()
    rows = [[0, overall, o.name, positions.get(a.final_position, ""), a.final_general_comment, "", ""]
            for a, o, _i in answers]
    rows.extend(list(r) for r in _section_rows(remiss, [a.id for a, _o, _i in answers]))
    if public_only:
        rows = [r[:6] for r in rows]
        return section_header()[:6], rows
    return section_header(), rows


def public_answers(remiss):
    """Published answers with their section comments, for the public page."""
    answers = [a for a, _o, _i in _answers_rows(remiss, public_only=True)]
    if not answers:
        return []
    rows = db.session.scalars(
        sa.select(SectionAnswer).where(SectionAnswer.answer_id.in_([a.id for a in answers]),
                                       SectionAnswer.has_final.is_(True))
    ).all()
    by_answer = defaultdict(list)
    numbers = {s.id: s for s in remiss.sections}
    for row in rows:
        by_answer[row.answer_id].append(row)
    for rows_ in by_answer.values():
        rows_.sort(key=lambda r: numbers[r.section_id].number)
    return [{"answer": a, "sections": [(numbers[r.section_id], r) for r in by_answer[a.id]]} for a in answers]


def public_points(remiss):
    """[(section, [{quote, organisation}])] for the published answers only."""
    public_ids = {a.id for a, _o, _i in _answers_rows(remiss, public_only=True)}
    by_section = quotes_by_section(remiss)
    out = []
    for s in remiss.sections:
        items = [q for q in by_section.get(s.id, []) if q["quote"].section_answer.answer_id in public_ids]
        if items:
            out.append((s, items))
    return out


def _published(now=None):
    """Remiss.is_published, asked of the database."""
    now = now or utcnow()
    return sa.or_(Remiss.published_at.is_not(None),
                  sa.and_(Remiss.publish_at_deadline.is_(True), Remiss.status != RemissStatus.DRAFT,
                          Remiss.deadline <= now))


def published_remiss_count(now=None):
    """How many remisses have public answers: one count, not the remisses (the home page asks it of every visit)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Remiss).where(_published(now)))


def published_remisses(now=None):
    """[(remiss, number of published answers)] for every remiss whose answers are public, latest deadline first.

    The same rule as Remiss.is_published and RemissAnswer.is_public, asked of the database.
    """
    remisses = db.session.scalars(sa.select(Remiss).where(_published(now))
                                  .order_by(Remiss.deadline.desc(), Remiss.id.desc())).all()
    if not remisses:
        return []
    counts = dict(db.session.execute(
        sa.select(RemissAnswer.remiss_id, sa.func.count())
        .where(RemissAnswer.remiss_id.in_([r.id for r in remisses]), RemissAnswer.submitted_at.is_not(None),
               sa.or_(RemissAnswer.final_contains_personal_data.is_(False), RemissAnswer.personal_data_reviewed.is_(True)))
        .group_by(RemissAnswer.remiss_id)).all())
    return [(r, counts.get(r.id, 0)) for r in remisses]


def outcome(remiss):
    """Vi frågade – ni svarade – vi gjorde: what was asked (the sections), who answered (numbers by legal form
    and sub-region, no names needed), the main themes, and what was done with the marked points of the published
    answers. Numbers count every submitted answer; texts come from published answers only."""
    answers = _answers_rows(remiss)
    by_form = Counter(o.legal_form or "" for _a, o, _i in answers)
    by_region = Counter(o.sub_region or "" for _a, o, _i in answers)
    points = public_points(remiss)
    handled = Counter(q["quote"].handling or "" for _s, items in points for q in items)
    return {
        "sections": remiss.sections,
        "answered": len(answers),
        "invited_answered": sum(1 for _a, _o, inv in answers if inv),
        "by_legal_form": sorted(((str(LEGAL_FORMS.get(k, k)) if k else _("Okänd"), n) for k, n in by_form.items()),
                                key=lambda kv: (-kv[1], kv[0])),
        "by_sub_region": sorted(((str(SUB_REGIONS.get(k, k)) if k else _("Okänd"), n) for k, n in by_region.items()),
                                key=lambda kv: (-kv[1], kv[0])),
        "positions": Counter(a.final_position for a, _o, _i in answers),
        "points": points,
        "handled": handled,
    }

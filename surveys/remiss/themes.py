"""Themes on comments: the six principles and the drafting group's own, put on general comments, section comments
and marked quotes; their totals per section, legal form and sub-region, and the comments behind each total."""
from collections import Counter, defaultdict

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from core.charts import QUALITATIVE
from core.extensions import db
from core.models import LEGAL_FORMS, SUB_REGIONS, Organisation
from surveys.remiss import charts
from surveys.remiss.models import (
    PRINCIPLE_ROWS,
    CommentTag,
    KeyQuote,
    RemissAnswer,
    RemissError,
    SectionAnswer,
    Theme,
    ThemeMark,
)

GENERAL = "general"
SECTION = "section"
QUOTE = "quote"


def clean_tag(tag):
    tag = " ".join((tag or "").split())[:100]
    if not tag:
        raise RemissError(_("Skriv ett tema."))
    return tag


def ensure_principles():
    """Put the six principles back if their rows are gone (the test suite empties every table between tests;
    a database built by the migrations or by create_all has them from the start)."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Theme).where(Theme.remiss_id.is_(None))) == 0:
        db.session.execute(sa.insert(Theme), PRINCIPLE_ROWS)
        db.session.commit()


def principles():
    return db.session.scalars(sa.select(Theme).where(Theme.remiss_id.is_(None)).order_by(Theme.position)).all()


def theme_options(remiss):
    """The themes to choose from: the principles in their order, then the drafting group's own (the remiss's
    Theme rows and any name already used on a comment), alphabetically."""
    # One query: the per-section view counts its queries. A theme put on a general comment or a quote is
    # registered as a Theme row (see _canonical); one put on a section comment is only its CommentTag.
    rows = db.session.execute(sa.union(
        sa.select(Theme.name, Theme.position, Theme.remiss_id.is_(None).label("fixed"))
        .where(sa.or_(Theme.remiss_id.is_(None), Theme.remiss_id == remiss.id)),
        sa.select(CommentTag.tag, sa.literal(0), sa.literal(False))
        .join(SectionAnswer, SectionAnswer.id == CommentTag.section_answer_id)
        .join(RemissAnswer, RemissAnswer.id == SectionAnswer.answer_id)
        .where(RemissAnswer.remiss_id == remiss.id))).all()
    fixed = [name for name, _pos, is_fixed in sorted(rows, key=lambda r: r[1]) if is_fixed]
    own = {name for name, _pos, is_fixed in rows if not is_fixed}
    lowered = {f.lower() for f in fixed}
    return fixed + sorted((t for t in own if t.lower() not in lowered), key=str.lower)


def _canonical(remiss, tag):
    """The theme's name as first written ("mångfald" becomes "Mångfald"), registering a new own theme."""
    tag = clean_tag(tag)
    for name in theme_options(remiss):
        if name.lower() == tag.lower():
            return name
    db.session.add(Theme(remiss_id=remiss.id, name=tag))
    return tag


def _add_mark(answer, quote, tag, user):
    tag = _canonical(answer.remiss, tag)
    existing = db.session.scalars(sa.select(ThemeMark.tag).where(
        ThemeMark.answer_id == answer.id,
        ThemeMark.quote_id.is_(None) if quote is None else ThemeMark.quote_id == quote.id)).all()
    if any(t.lower() == tag.lower() for t in existing):
        db.session.commit()
        return None
    mark = ThemeMark(answer_id=answer.id, quote_id=quote.id if quote else None, tag=tag,
                     created_by_id=getattr(user, "id", None))
    db.session.add(mark)
    db.session.commit()
    return mark


def add_general_theme(answer, tag, user):
    """A theme on the answer's general comment (its main messages)."""
    if not answer.is_submitted:
        raise RemissError(_("Svaret är inte inskickat än."))
    return _add_mark(answer, None, tag, user)


def add_quote_theme(quote, tag, user):
    return _add_mark(quote.section_answer.answer, quote, tag, user)


def remove_mark(mark):
    db.session.delete(mark)
    db.session.commit()


def general_marks(answer):
    return db.session.scalars(sa.select(ThemeMark).where(ThemeMark.answer_id == answer.id,
                                                         ThemeMark.quote_id.is_(None))
                              .order_by(ThemeMark.tag)).all()


def quote_marks(remiss):
    """{quote id: [ThemeMark]} for every quote of the remiss, in one query."""
    out = defaultdict(list)
    for mark in db.session.scalars(sa.select(ThemeMark).join(RemissAnswer, RemissAnswer.id == ThemeMark.answer_id)
                                   .where(RemissAnswer.remiss_id == remiss.id, ThemeMark.quote_id.is_not(None))
                                   .order_by(ThemeMark.tag)):
        out[mark.quote_id].append(mark)
    return out


# --- totals -----------------------------------------------------------------------------------------------

def occurrences(remiss):
    """Every theme put on a submitted comment: (tag, kind, section id or None, answer id, legal form, sub-region).

    Light rows only (no long texts); three small queries, whatever the number of answers."""
    org_cols = (RemissAnswer.id, Organisation.legal_form, Organisation.sub_region)
    base = sa.and_(RemissAnswer.remiss_id == remiss.id, RemissAnswer.submitted_at.is_not(None))
    rows = []
    for tag, quote_id, section_id, answer_id, form, region in db.session.execute(
            sa.select(ThemeMark.tag, ThemeMark.quote_id, SectionAnswer.section_id, *org_cols)
            .join(RemissAnswer, RemissAnswer.id == ThemeMark.answer_id)
            .join(Organisation, Organisation.id == RemissAnswer.organisation_id)
            .outerjoin(KeyQuote, KeyQuote.id == ThemeMark.quote_id)
            .outerjoin(SectionAnswer, SectionAnswer.id == KeyQuote.section_answer_id)
            .where(base)):
        rows.append((tag, QUOTE if quote_id else GENERAL, section_id, answer_id, form, region))
    for tag, section_id, answer_id, form, region in db.session.execute(
            sa.select(CommentTag.tag, SectionAnswer.section_id, *org_cols)
            .join(SectionAnswer, SectionAnswer.id == CommentTag.section_answer_id)
            .join(RemissAnswer, RemissAnswer.id == SectionAnswer.answer_id)
            .join(Organisation, Organisation.id == RemissAnswer.organisation_id)
            .where(base, SectionAnswer.has_final.is_(True))):
        rows.append((tag, SECTION, section_id, answer_id, form, region))
    return rows


def totals(remiss):
    """Theme counts overall, per section (None: the general comments), per legal form and per sub-region.

    A count is of comments: a theme on the general comment, on a section comment and on a quote of one answer
    counts three times, as the drafting group marked it three times."""
    rows = occurrences(remiss)
    overall = Counter(r[0] for r in rows)
    order = [t for t, _n in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0].lower()))]
    by_section = defaultdict(Counter)
    by_form = defaultdict(Counter)
    by_region = defaultdict(Counter)
    for tag, _kind, section_id, _aid, form, region in rows:
        by_section[section_id][tag] += 1
        by_form[form or ""][tag] += 1
        by_region[region or ""][tag] += 1
    return {"themes": order, "overall": overall, "by_section": by_section, "by_legal_form": by_form,
            "by_sub_region": by_region, "answers": len({r[3] for r in rows})}


def main_themes(remiss, limit=5):
    """The most used themes, [(name, count)], for the compilation and the public page."""
    t = totals(remiss)
    return [(name, t["overall"][name]) for name in t["themes"][:limit]]


def _group_label(labels, key):
    return str(labels.get(key, key)) if key else _("Okänd")


def comments_url(remiss, tag, **filters):
    return url_for("remiss.theme_comments", remiss_id=remiss.id, tema=tag,
                   **{k: v for k, v in filters.items() if v not in (None, "")})


def figures(remiss, t):
    """Plotly figures: themes overall, and stacked by legal form and by sub-region; each bar carries the link
    to the comments behind it (customdata), which static/js/charts.js opens on a click."""
    themes = t["themes"]
    counts = [t["overall"][n] for n in themes]
    bars = [{"type": "bar", "x": counts, "y": themes, "orientation": "h", "text": [str(n) for n in counts],
             "textposition": "auto", "marker": {"color": QUALITATIVE[0]},
             "customdata": [comments_url(remiss, n) for n in themes], "hovertemplate": "%{y}: %{x}<extra></extra>"}]
    out = {"overall": charts.figure_json(bars, charts.layout(
        _("Teman totalt"), showlegend=False, yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": {"text": _("Antal kommentarer")}}))}
    for key, labels, param, title in (("by_legal_form", LEGAL_FORMS, "form", _("Teman per juridisk form")),
                                      ("by_sub_region", SUB_REGIONS, "region", _("Teman per delregion"))):
        groups = sorted(t[key], key=lambda g: _group_label(labels, g))
        bars = [{"type": "bar", "name": _group_label(labels, g), "y": themes, "x": [t[key][g].get(n, 0) for n in themes],
                 "orientation": "h", "marker": {"color": QUALITATIVE[i % len(QUALITATIVE)]},
                 "customdata": [comments_url(remiss, n, **{param: g or "-"}) for n in themes]}
                for i, g in enumerate(groups)]
        out[key] = charts.figure_json(bars, charts.layout(
            title, barmode="stack", legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0},
            margin={"l": 10, "r": 10, "t": 40, "b": 90}, yaxis={"autorange": "reversed", "automargin": True}))
    return out


def group_table(t, key, labels):
    """[(group key, label, {tag: n})] for the table under a chart (its keyboard-friendly twin)."""
    return [(g, _group_label(labels, g), t[key][g]) for g in sorted(t[key], key=lambda g: _group_label(labels, g))]


# --- the comments behind a total --------------------------------------------------------------------------

def comments_for(remiss, tag, section_number=None, legal_form=None, sub_region=None):
    """The comments that carry the theme, filtered like the bar they came from. section_number 0 means the
    general comments; legal_form/sub_region "-" mean "not given". Each item: kind, organisation, answer id,
    section (or None), text."""
    tag = (tag or "").strip()
    if not tag:
        return []
    sections = {s.id: s for s in remiss.sections}
    wanted_section = None
    if section_number not in (None, ""):
        wanted_section = next((s.id for s in remiss.sections if s.number == int(section_number)), -1) \
            if int(section_number) else None

    def org_filter(stmt):
        stmt = stmt.where(RemissAnswer.remiss_id == remiss.id, RemissAnswer.submitted_at.is_not(None))
        for col, value in ((Organisation.legal_form, legal_form), (Organisation.sub_region, sub_region)):
            if value == "-":
                stmt = stmt.where(sa.or_(col.is_(None), col == ""))
            elif value:
                stmt = stmt.where(col == value)
        return stmt

    items = []
    lowered = sa.func.lower(ThemeMark.tag) == tag.lower()
    if section_number in (None, "") or not int(section_number):
        for answer_id, org, text in db.session.execute(org_filter(
                sa.select(RemissAnswer.id, Organisation.name, RemissAnswer.final_general_comment)
                .join(ThemeMark, ThemeMark.answer_id == RemissAnswer.id)
                .join(Organisation, Organisation.id == RemissAnswer.organisation_id)
                .where(lowered, ThemeMark.quote_id.is_(None)))):
            items.append({"kind": GENERAL, "organisation": org, "answer_id": answer_id, "section": None,
                          "text": text})
    if section_number in (None, "") or int(section_number):
        section_where = [] if wanted_section is None else [SectionAnswer.section_id == wanted_section]
        for answer_id, org, section_id, text in db.session.execute(org_filter(
                sa.select(RemissAnswer.id, Organisation.name, SectionAnswer.section_id, KeyQuote.text)
                .select_from(ThemeMark).join(KeyQuote, KeyQuote.id == ThemeMark.quote_id)
                .join(SectionAnswer, SectionAnswer.id == KeyQuote.section_answer_id)
                .join(RemissAnswer, RemissAnswer.id == SectionAnswer.answer_id)
                .join(Organisation, Organisation.id == RemissAnswer.organisation_id)
                .where(lowered, *section_where))):
            items.append({"kind": QUOTE, "organisation": org, "answer_id": answer_id,
                          "section": sections.get(section_id), "text": text})
        for answer_id, org, section_id, text in db.session.execute(org_filter(
                sa.select(RemissAnswer.id, Organisation.name, SectionAnswer.section_id, SectionAnswer.final_comment)
                .select_from(CommentTag).join(SectionAnswer, SectionAnswer.id == CommentTag.section_answer_id)
                .join(RemissAnswer, RemissAnswer.id == SectionAnswer.answer_id)
                .join(Organisation, Organisation.id == RemissAnswer.organisation_id)
                .where(sa.func.lower(CommentTag.tag) == tag.lower(), SectionAnswer.has_final.is_(True),
                       *section_where))):
            items.append({"kind": SECTION, "organisation": org, "answer_id": answer_id,
                          "section": sections.get(section_id), "text": text})
    kind_order = {GENERAL: 0, SECTION: 1, QUOTE: 2}
    items.sort(key=lambda i: (i["section"].number if i["section"] else 0, kind_order[i["kind"]],
                              i["organisation"].lower()))
    return items

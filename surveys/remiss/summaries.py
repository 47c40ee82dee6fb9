"""The drafting group's written summaries, per section and overall: autosaved with a version check, so two
writers never overwrite each other (the same rule as an answer's draft, see answering.save_draft)."""
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from core.extensions import db
from core.models import utcnow
from surveys.remiss.answering import TEXT_LIMIT
from surveys.remiss.models import RemissError, RemissSummary


class SummaryConflict(RemissError):
    """Someone else saved the summary since this page loaded it; carries the saved text."""

    code = "conflict"
    status = 409

    def __init__(self, summary):
        super().__init__(_("Någon annan har sparat sammanfattningen medan du skrev. Jämför texterna; inget har "
                           "skrivits över."))
        self.summary = summary


def _key(section):
    return section.id if section is not None else 0


def unsaved(remiss, section=None):
    """An empty summary at version 0: what the page shows before anyone has written one."""
    return RemissSummary(remiss_id=remiss.id, section_id=section.id if section else None, section_key=_key(section),
                         text="", version=0)


def get_summary(remiss, section=None):
    """The summary (overall when section is None), or an unsaved empty one at version 0."""
    row = db.session.scalar(sa.select(RemissSummary).options(joinedload(RemissSummary.updated_by))
                            .where(RemissSummary.remiss_id == remiss.id,
                                   RemissSummary.section_key == _key(section)))
    return row if row is not None else unsaved(remiss, section)


def all_summaries(remiss, written_only=True):
    """{section id or None: RemissSummary}: those with text, or (written_only=False) every one saved."""
    rows = db.session.scalars(sa.select(RemissSummary).options(joinedload(RemissSummary.updated_by))
                              .where(RemissSummary.remiss_id == remiss.id)).all()
    return {r.section_id: r for r in rows if r.text.strip() or not written_only}


def save_summary(remiss, section, user, base_version, text):
    """Save text if nobody saved since base_version (0: not saved before); raises SummaryConflict."""
    try:
        base_version = int(base_version)
    except (TypeError, ValueError) as exc:
        raise RemissError(_("Versionsnumret saknas. Ladda om sidan.")) from exc
    text = "" if text is None else str(text)
    if len(text) > TEXT_LIMIT:
        raise RemissError(_("Texten är för lång (högst %(n)s tecken).", n=TEXT_LIMIT))
    key = _key(section)
    now = utcnow()
    if base_version == 0:
        # The first save: the unique key decides between two first writers.
        db.session.add(RemissSummary(remiss_id=remiss.id, section_id=section.id if section else None,
                                     section_key=key, text=text, version=1, updated_at=now,
                                     updated_by_id=user.id))
        try:
            db.session.commit()
        except sa.exc.IntegrityError:
            db.session.rollback()
            raise SummaryConflict(get_summary(remiss, section)) from None
        return get_summary(remiss, section)
    # The version moves only if it is still the one the writer started from.
    result = db.session.execute(
        sa.update(RemissSummary)
        .where(RemissSummary.remiss_id == remiss.id, RemissSummary.section_key == key,
               RemissSummary.version == base_version)
        .values(version=base_version + 1, text=text, updated_at=now, updated_by_id=user.id)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise SummaryConflict(get_summary(remiss, section))
    db.session.commit()
    summary = get_summary(remiss, section)
    db.session.refresh(summary)
    return summary

"""The answer form's section list: which sections the organisation has said something on, and how far it has come."""
from dataclasses import dataclass

from surveys.remiss.answering import SECTION_FIELDS


@dataclass(frozen=True)
class SectionProgress:
    section: object
    done: bool


def section_is_done(values):
    """A section counts as answered once a position is chosen or anything is written in it."""
    return any((values.get(field) or "").strip() for field in SECTION_FIELDS)


def _values(row, mine_section):
    saved = {field: getattr(row, field, "") or "" for field in SECTION_FIELDS} if row is not None else {}
    # Text the writer has not saved yet (a refused save) is what the page shows, so it is what counts.
    return {**saved, **{k: v for k, v in (mine_section or {}).items() if k in SECTION_FIELDS}}


def section_progress(remiss, rows, mine=None):
    """(items, done, total): each section with whether it is answered, from the saved rows and unsaved text."""
    mine_sections = (mine or {}).get("sections") or {}
    items = [SectionProgress(s, section_is_done(_values(rows.get(s.id), mine_sections.get(str(s.id)))))
             for s in remiss.sections]
    return items, sum(1 for item in items if item.done), len(items)

"""The shape of a yearly-report section, shared by core and the areas that contribute figures to it."""
from dataclasses import dataclass, field


@dataclass
class Table:
    caption: str
    header: list
    rows: list


@dataclass
class ReportSection:
    """Computed figures for one part of the report; `key` also names the text the group writes around them.

    reached / reached_before: organisation ids that took part in the year, and before it, so the report counts
    the organisations reached across areas (distinct) and the first-timers among them.
    """

    key: str
    title: str
    order: int = 50
    figures: list = field(default_factory=list)  # [(label, value)]
    tables: list = field(default_factory=list)  # [Table]
    charts: list = field(default_factory=list)  # [(label, plotly figure JSON)]
    reached: set = field(default_factory=set)
    reached_before: set = field(default_factory=set)

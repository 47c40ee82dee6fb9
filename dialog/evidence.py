"""What dialog offers the agreements' action plan as evidence, and the demo meetings of the standing groups.

core/agreements reads the evidence through core.registry (source "evidence:dialog"), so core never imports dialog.
"""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import url_for

from core.agreements.models import StandingGroup
from core.extensions import db
from core.models import Organisation, User, utcnow
from core.timeutil import local_to_utc, utc_to_local
from dialog.demo import VGR_SERIES
from dialog.models import Meeting, MeetingSeries, MeetingStatus


def meeting_evidence():
    """Meetings that took place or are planned (not cancelled), newest first, as evidence candidates."""
    meetings = db.session.scalars(sa.select(Meeting).where(Meeting.status != MeetingStatus.CANCELLED)
                                  .order_by(Meeting.starts_at.desc()).limit(300))
    return [{"kind": "meeting", "id": m.id, "label": f"{m.title} ({utc_to_local(m.starts_at):%Y-%m-%d})",
             "url": url_for("dialog.meeting", meeting_id=m.id), "year": utc_to_local(m.starts_at).year}
            for m in meetings]


# (group name, kind, [(month, day)]): this year's meetings of the seeded groups. The IOP's steering group has
# only one autumn meeting, so its page shows one missing against "two in spring, two in autumn".
GROUP_MEETINGS = [
    ("Samverkansgruppen", "samverkansgrupp", [(2, 12), (4, 16), (6, 11), (9, 17), (11, 12), (12, 10)]),
    ("Styrgruppen för IOP:t", "styrgrupp", [(3, 5), (5, 21), (10, 8)]),
]


def seed_group_meetings():
    """Idempotent demo data: the groups' meetings this year, and the 2013–2014 process meetings belong to the
    working group that wrote the agreement."""
    groups = {g.name: g for g in db.session.scalars(sa.select(StandingGroup))}
    if not groups:
        return
    work = groups.get("Arbetsgruppen 2013–2014")
    series = db.session.scalar(sa.select(MeetingSeries).where(MeetingSeries.title == VGR_SERIES))
    if work is not None and series is not None:
        db.session.execute(sa.update(Meeting).where(Meeting.series_id == series.id, Meeting.group_id.is_(None))
                           .values(group_id=work.id))
    now = utcnow()
    year = utc_to_local(now).year
    moderator = db.session.scalar(sa.select(User).where(User.email == "moderator@samrad.example"))
    region = db.session.scalar(sa.select(Organisation).where(Organisation.org_number == "232100-0131"))
    for name, kind, days in GROUP_MEETINGS:
        group = groups.get(name)
        if group is None:
            continue
        for number, (month, day) in enumerate(days, start=1):
            title = f"{name}: möte {number} {year}"
            if db.session.scalar(sa.select(Meeting.id).where(Meeting.title == title)) is not None:
                continue
            starts = local_to_utc(datetime(year, month, day, 13, 0))
            db.session.add(Meeting(
                title=title, kind=kind, group_id=group.id, starts_at=starts, ends_at=starts + timedelta(hours=2),
                place="Regionens hus, Vänersborg" if number % 2 else "Digitalt", organiser=region,
                status=MeetingStatus.HELD if starts < now else MeetingStatus.PLANNED, created_by=moderator,
                principles=["dialog"], levels=["dialog"],
                description=f"Ordinarie möte i {name.lower()} enligt överenskommelsen."))
    db.session.commit()

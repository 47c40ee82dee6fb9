"""What the agreements show on other areas' pages through core.registry panels (core never imports an area)."""
from flask import render_template
from flask_login import current_user

from core.agreements import access
from core.agreements.models import StandingGroup
from core.extensions import db


def meeting_group_panel(meeting=None, **_context):
    """On a meeting's page: the standing group the meeting belongs to, when its agreement may be seen."""
    group_id = getattr(meeting, "group_id", None)
    group = db.session.get(StandingGroup, group_id) if group_id else None
    if group is None or not access.can_view(group.agreement, current_user):
        return ""
    return render_template("core/agreements/_meeting_panel.html", group=group)

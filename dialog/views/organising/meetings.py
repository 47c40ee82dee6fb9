"""Organisers' meeting pages: the list, creating and editing a meeting, its page and its status."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from core.views_util import run_and_redirect
from dialog import evaluation as evaluation_svc
from dialog import meetings as svc
from dialog.forms import MeetingForm
from dialog.meetings import MeetingProblems
from dialog.models import Meeting
from dialog.views.common import check_post
from dialog.views.organising import bp
from dialog.views.organising.pages import meeting_page, organised_meeting


@bp.route("")
def index():
    return render_template("dialog/manage/index.html", meetings=svc.all_meetings(), series_list=svc.all_series())


def _edit_meeting(meeting):
    is_new = meeting.id is None
    if request.method == "GET" and not is_new:
        form = MeetingForm.for_meeting(meeting)
    else:
        form = MeetingForm()
        if request.method == "GET":
            form.series_id.data = request.args.get("serie", 0, type=int)
    if form.validate_on_submit():
        try:
            promoted = svc.save_meeting(meeting, form.cleaned(), user=current_user)
        except MeetingProblems as exc:
            for name, message in exc.problems.items():
                getattr(form, name).errors.append(message)
        else:
            flash(_("Mötet är sparat."), "success")
            if promoted:
                flash(_("%(count)d personer flyttades från väntelistan och har fått besked.",
                        count=len(promoted)), "info")
            return redirect(url_for("dialog.manage.meeting", meeting_id=meeting.id))
    return render_template("dialog/manage/meeting_form.html", form=form, meeting=meeting, is_new=is_new)


@bp.route("/nytt", methods=["GET", "POST"])
def new_meeting():
    return _edit_meeting(Meeting())


@bp.route("/<int:meeting_id>/andra", methods=["GET", "POST"])
def edit_meeting(meeting_id):
    return _edit_meeting(organised_meeting(meeting_id))


@bp.route("/<int:meeting_id>")
def meeting(meeting_id):
    return meeting_page(organised_meeting(meeting_id))


@bp.route("/<int:meeting_id>/status/<action>", methods=["POST"])
def meeting_status(meeting_id, action):
    meeting = organised_meeting(meeting_id)
    check_post()
    if action not in svc.STATUS_ACTIONS:
        abort(400)
    return run_and_redirect(lambda: svc.change_status(meeting, action),
                            lambda _none: _("Mötets status är nu ”%(status)s”.", status=meeting.status_label),
                            url_for("dialog.manage.meeting", meeting_id=meeting.id))


@bp.post("/<int:meeting_id>/utvardering/skicka")
def send_evaluation(meeting_id):
    meeting = organised_meeting(meeting_id)
    check_post()
    return run_and_redirect(lambda: evaluation_svc.send_evaluation(meeting),
                            lambda sent: ngettext("Utvärderingen skickades till %(num)d deltagare.",
                                                  "Utvärderingen skickades till %(num)d deltagare.", sent),
                            url_for("dialog.manage.meeting", meeting_id=meeting.id) + "#utvardering-skicka")

"""Organisers at the meeting: the check-in list, attendance, walk-ins, name tags and the annex of organisations."""
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.errors import DomainError
from dialog import access
from dialog import registration as reg_svc
from dialog.forms import WalkInForm
from dialog.stats import participating_organisations
from dialog.views.common import check_post
from dialog.views.organising import bp
from dialog.views.organising.pages import organised_meeting


def _checkin_page(meeting, query="", walk_in_form=None, status=200):
    return render_template("dialog/manage/checkin.html", meeting=meeting, query=query,
                           rows=reg_svc.checkin_list(meeting, query),
                           walk_in_form=walk_in_form or WalkInForm(prefix="walkin")), status


@bp.route("/<int:meeting_id>/incheckning")
def checkin(meeting_id):
    return _checkin_page(organised_meeting(meeting_id), request.args.get("q", "").strip())


def _wants_json():
    return request.accept_mimetypes.best == "application/json"


@bp.route("/anmalan/<int:registration_id>/narvaro", methods=["POST"])
def set_attendance(registration_id):
    """The check-in script posts here and reads JSON; without it the page posts and is redirected back."""
    registration = access.get_registration_or_404(registration_id, current_user)
    check_post()
    try:
        reg_svc.set_attendance(registration, request.form.get("present") == "1")
    except DomainError as exc:
        if _wants_json():
            return exc.to_json()
        flash(str(exc), "error")
    if _wants_json():
        meeting = registration.meeting
        return jsonify(id=registration.id, attended=registration.attended, present_count=meeting.attended_count,
                       registered_count=meeting.registered_count)
    return redirect(url_for("dialog.manage.checkin", meeting_id=registration.meeting_id,
                            q=request.form.get("q", "")) + f"#r{registration.id}")


@bp.route("/<int:meeting_id>/spontan", methods=["POST"])
def walk_in(meeting_id):
    meeting = organised_meeting(meeting_id)
    form = WalkInForm(prefix="walkin")
    if form.validate_on_submit():
        registration = reg_svc.add_walk_in(meeting, form.name.data, form.organisation_id.data or None,
                                           form.new_organisation.data, form.email.data)
        flash(_("%(name)s är tillagd och markerad som närvarande.", name=registration.name), "success")
        return redirect(url_for("dialog.manage.checkin", meeting_id=meeting.id))
    return _checkin_page(meeting, walk_in_form=form, status=400)


@bp.route("/<int:meeting_id>/namnskyltar")
def name_tags(meeting_id):
    meeting = organised_meeting(meeting_id)
    return render_template("dialog/manage/name_tags.html", meeting=meeting, rows=reg_svc.checkin_list(meeting))


@bp.route("/<int:meeting_id>/bilaga")
def annex(meeting_id):
    meeting = organised_meeting(meeting_id)
    return render_template("dialog/manage/annex.html", meeting=meeting, annex=participating_organisations(meeting))

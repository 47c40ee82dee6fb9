"""Organisers' registrations: register someone by hand, cancel, erase, export, and erase a person everywhere."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.exports import csv_response, xlsx_response
from core.views_util import run_and_redirect
from dialog import access, privacy
from dialog import registration as reg_svc
from dialog.forms import EraseForm, ManualRegistrationForm
from dialog.stats import REGISTRATION_HEADER, registration_rows
from dialog.views.common import check_post
from dialog.views.organising import bp
from dialog.views.organising.pages import meeting_page, organised_meeting


def _registrations_url(meeting_id):
    return url_for("dialog.manage.meeting", meeting_id=meeting_id) + "#anmalda"


@bp.route("/<int:meeting_id>/anmal", methods=["POST"])
def manual_register(meeting_id):
    meeting = organised_meeting(meeting_id)
    form = ManualRegistrationForm(prefix="manual")
    if form.validate_on_submit():
        registration, outcome = reg_svc.register(
            meeting, form.name.data, form.email.data, organisation_id=form.organisation_id.data or None,
            new_organisation=form.new_organisation.data, dietary_needs=form.dietary_needs.data,
            accessibility_needs=form.accessibility_needs.data, by_organiser=True, send=bool(form.email.data),
        )
        if outcome == reg_svc.EXISTING:
            flash(_("%(email)s är redan anmäld till mötet.", email=registration.email), "info")
        else:
            flash(_("%(name)s är anmäld.", name=registration.name), "success")
        return redirect(_registrations_url(meeting.id))
    return meeting_page(meeting, 400, manual_form=form)


@bp.route("/anmalan/<int:registration_id>/avboka", methods=["POST"])
def cancel_registration(registration_id):
    registration = access.get_registration_or_404(registration_id, current_user)
    check_post()

    def cancelled(promoted):
        flash(_("Anmälan är avbokad."), "success")
        for row in promoted:
            flash(_("%(name)s fick platsen från väntelistan.", name=row.name), "info")

    return run_and_redirect(lambda: reg_svc.cancel_registration(registration), cancelled,
                            _registrations_url(registration.meeting_id))


@bp.route("/anmalan/<int:registration_id>/radera", methods=["POST"])
def erase_registration(registration_id):
    registration = access.get_registration_or_404(registration_id, current_user)
    check_post()
    privacy.erase_registration(registration)
    flash(_("Personuppgifterna är raderade. Organisationen räknas fortfarande."), "success")
    return redirect(_registrations_url(registration.meeting_id))


@bp.route("/<int:meeting_id>/anmalda.<fmt>")
def export_registrations(meeting_id, fmt):
    meeting = organised_meeting(meeting_id)
    name = f"anmalda-mote-{meeting.id}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", REGISTRATION_HEADER, registration_rows(meeting))
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", [("Anmälda", REGISTRATION_HEADER, registration_rows(meeting))])
    abort(404)


@bp.route("/personuppgifter", methods=["GET", "POST"])
def erase_person():
    form = EraseForm()
    if form.validate_on_submit():
        count = privacy.erase_person(form.email.data)
        if count:
            flash(_("Personuppgifterna i %(count)d anmälningar är raderade.", count=count), "success")
        else:
            flash(_("Det finns inga anmälningar med den e-postadressen."), "info")
        return redirect(url_for("dialog.manage.erase_person"))
    return render_template("dialog/manage/erase.html", form=form)

"""Public pages: upcoming and past meetings, one page per meeting, registration and iCalendar."""
from flask import Response, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.errors import DomainError
from core.extensions import limiter
from core.models import utcnow
from dialog import access
from dialog import meetings as svc
from dialog import minutes as minutes_svc
from dialog import registration as reg_svc
from dialog.calendar import calendar_bytes, meeting_ics
from dialog.documents import document_path
from dialog.forms import ApproveMinutesForm, RegistrationForm, UpdateRegistrationForm
from dialog.stats import attendance_rows, participating_organisations
from dialog.views import bp
from dialog.views.common import check_post, flashed


def _register_limit():
    return current_app.config.get("DIALOG_REGISTER_LIMIT", "20 per minute")


@bp.route("/")
def index():
    now = utcnow()
    return render_template("dialog/index.html", upcoming=svc.upcoming_meetings(now),
                           past=svc.past_meetings(now), cancelled=svc.cancelled_upcoming(now),
                           can_organise=access.can_organise(current_user))


@bp.route("/<int:meeting_id>")
def meeting(meeting_id):
    meeting = access.get_meeting_or_404(meeting_id)
    before, after = svc.previous_and_next(meeting)
    organiser = access.can_organise(current_user)
    return render_template(
        "dialog/meeting.html", meeting=meeting,
        carried_tasks=svc.open_tasks_before(meeting, published_only=not organiser),
        previous_meeting=before, next_meeting=after, documents=svc.public_documents(meeting),
        annex=participating_organisations(meeting) if meeting.is_held else [],
        registration_open=meeting.registration_is_open(), can_organise=organiser,
    )


@bp.route("/<int:meeting_id>/dagordning")
def agenda_print(meeting_id):
    meeting = access.get_meeting_or_404(meeting_id)
    return render_template("dialog/agenda_print.html", meeting=meeting)


@bp.route("/<int:meeting_id>/anmalan", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register(meeting_id):
    meeting = access.get_meeting_or_404(meeting_id)
    if not meeting.registration_is_open():
        return render_template("dialog/register_closed.html", meeting=meeting), 200
    form = RegistrationForm()
    if request.method == "GET" and current_user.is_authenticated:
        # A respondent registers for their own organisation: start from what the account knows.
        form.name.data = current_user.name
        form.email.data = current_user.email
        if current_user.organisations:
            form.organisation_id.data = current_user.organisations[0].id
    if form.validate_on_submit():
        done, result = flashed(
            reg_svc.register, meeting, form.name.data, form.email.data,
            organisation_id=form.organisation_id.data or None, new_organisation=form.new_organisation.data,
            dietary_needs=form.dietary_needs.data, accessibility_needs=form.accessibility_needs.data,
            consent=form.consent.data,
        )
        if not done:
            return redirect(url_for("dialog.meeting", meeting_id=meeting.id))
        registration, outcome = result
        return render_template("dialog/registered.html", meeting=meeting, existing=outcome == reg_svc.EXISTING,
                               waiting=registration.is_waiting, email=form.email.data.strip().lower())
    return render_template("dialog/register.html", meeting=meeting, form=form)


@bp.route("/anmalan/<token>", methods=["GET", "POST"])
def my_registration(token):
    """The personal page of a registration: the signed link is the only key."""
    registration = access.get_registration_by_link_or_404(token)
    meeting = registration.meeting
    form = UpdateRegistrationForm(obj=registration)
    if request.method == "GET":
        form.organisation_id.data = registration.organisation_id or 0
    editable = registration.is_active and meeting.is_upcoming()
    if editable and form.validate_on_submit():
        reg_svc.update_registration(
            registration, form.name.data, organisation_id=form.organisation_id.data or None,
            new_organisation=form.new_organisation.data, dietary_needs=form.dietary_needs.data,
            accessibility_needs=form.accessibility_needs.data,
        )
        flash(_("Din anmälan är uppdaterad."), "success")
        return redirect(url_for("dialog.my_registration", token=token))
    return render_template("dialog/my_registration.html", registration=registration, meeting=meeting,
                           form=form, token=token, editable=editable)


@bp.route("/anmalan/<token>/avboka", methods=["POST"])
def cancel_own(token):
    registration = access.get_registration_by_link_or_404(token)
    check_post()
    if registration.is_cancelled:
        flash(_("Anmälan var redan avbokad."), "info")
    elif not registration.meeting.is_upcoming():
        flash(_("Mötet har redan varit och kan inte avbokas."), "error")
    else:
        reg_svc.cancel_registration(registration)
        flash(_("Din anmälan är avbokad. Välkommen tillbaka en annan gång!"), "success")
    return redirect(url_for("dialog.my_registration", token=token))


@bp.route("/justera/<token>", methods=["GET", "POST"])
def approve_minutes(token):
    """A signer reads the minutes and approves them: the signed link from the mail is the only key."""
    signer = access.get_signer_by_link_or_404(token)
    meeting = signer.meeting
    form = ApproveMinutesForm()
    error, status = None, 200
    if form.validate_on_submit():
        if signer.approved_at is not None:  # a second click, or the back button: nothing to do
            return redirect(url_for("dialog.approve_minutes", token=token))
        try:
            published = minutes_svc.approve_by_link(signer, form.fingerprint.data)
        except DomainError as exc:  # shown on the page itself, above the minutes the signer re-reads
            error, status = str(exc), exc.status
        else:
            flash(_("Tack! Ditt godkännande är registrerat."), "success")
            if published:
                flash(_("Anteckningarna är nu justerade och publicerade."), "success")
            return redirect(url_for("dialog.approve_minutes", token=token))
    elif form.is_submitted():
        status = 400  # the CSRF token was missing or too old; the page says so
    form.fingerprint.data = minutes_svc.minutes_fingerprint(meeting)
    return render_template("dialog/approve.html", signer=signer, meeting=meeting, form=form,
                           error=error), status


@bp.route("/<int:meeting_id>/mote.ics")
def meeting_calendar(meeting_id):
    meeting = access.get_meeting_or_404(meeting_id)
    return Response(meeting_ics(meeting), content_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="mote-{meeting.id}.ics"'})


@bp.route("/kalender.ics")
def feed():
    meetings = svc.upcoming_meetings() + svc.cancelled_upcoming()
    body = calendar_bytes(meetings, name=_("Samråd – kommande möten"))
    return Response(body, content_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="samrad-moten.ics"'})


@bp.route("/serier/<int:series_id>")
def series(series_id):
    series = access.get_series_or_404(series_id)
    organiser = access.can_organise(current_user)
    return render_template("dialog/series.html", series=series, rows=attendance_rows(series.meetings),
                           open_tasks=svc.open_tasks_of_series(series, published_only=not organiser),
                           can_organise=organiser)


@bp.route("/<int:meeting_id>/dokument/<int:document_id>")
def document(meeting_id, document_id):
    """Documents are files on disk outside static/: served only after the access check."""
    doc = access.get_document_or_404(meeting_id, document_id, current_user)
    return send_file(document_path(doc), mimetype=doc.mimetype, as_attachment=True,
                     download_name=doc.filename, max_age=0)

"""Organisers' pages: plan meetings, agenda, registrations, check-in, minutes, tasks, documents, numbers."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from core.access import role_required
from core.exports import csv_response, xlsx_response
from core.forms import EmptyForm
from core.models import Role
from core.timeutil import local_to_utc, utc_to_local_naive
from dialog import meetings as svc
from dialog import minutes as minutes_svc
from dialog import privacy
from dialog import registration as reg_svc
from dialog.charts import series_figures
from dialog.documents import DocumentRejected, delete_document, store_document
from dialog.forms import (
    AgendaItemForm,
    DocumentForm,
    EraseForm,
    ManualRegistrationForm,
    MeetingForm,
    MinutesItemForm,
    SeriesForm,
    SignerForm,
    TaskForm,
    TaskStatusForm,
    WalkInForm,
)
from dialog.models import (
    AgendaItem,
    FollowUpTask,
    Meeting,
    MeetingDocument,
    MeetingSeries,
    MeetingStateError,
    MinutesItem,
    MinutesSigner,
    Registration,
)
from dialog.stats import attendance_rows, organisation_table, participating_organisations
from dialog.views import bp

ORGANISERS = (Role.ADMIN, Role.MODERATOR)


def _meeting(meeting_id):
    return svc.get_meeting_or_404(meeting_id, current_user, edit=True)


def _check_post():
    if not EmptyForm().validate_on_submit():
        abort(400)


# --- meetings ------------------------------------------------------------------------------

@bp.route("/hantera")
@role_required(*ORGANISERS)
def manage_index():
    return render_template("dialog/manage/index.html", meetings=svc.all_meetings(), series_list=svc.all_series())


def _meeting_form_data(meeting):
    return {
        "title": meeting.title, "kind": meeting.kind, "series_id": meeting.series_id or 0,
        "description": meeting.description, "starts_at": utc_to_local_naive(meeting.starts_at),
        "ends_at": utc_to_local_naive(meeting.ends_at), "place": meeting.place,
        "online_url": meeting.online_url, "organiser_id": meeting.organiser_id or 0,
        "moderator": meeting.moderator, "chair": meeting.chair, "panel": meeting.panel,
        "contact": meeting.contact, "capacity": meeting.capacity,
        "registration_deadline": utc_to_local_naive(meeting.registration_deadline),
        "consent_text": meeting.consent_text, "principles": meeting.principles or [],
        "levels": meeting.levels or [], "minute_taker": meeting.minute_taker,
    }


def _cleaned(form):
    return {
        "title": form.title.data.strip(), "kind": form.kind.data, "series_id": form.series_id.data or None,
        "description": form.description.data or "", "starts_at": local_to_utc(form.starts_at.data),
        "ends_at": local_to_utc(form.ends_at.data), "place": (form.place.data or "").strip(),
        "online_url": (form.online_url.data or "").strip(), "organiser_id": form.organiser_id.data or None,
        "moderator": form.moderator.data or "", "chair": form.chair.data or "", "panel": form.panel.data or "",
        "contact": form.contact.data or "", "capacity": form.capacity.data,
        "registration_deadline": local_to_utc(form.registration_deadline.data),
        "consent_text": form.consent_text.data or "", "principles": list(form.principles.data or []),
        "levels": list(form.levels.data or []), "minute_taker": form.minute_taker.data or "",
    }


def _edit_meeting(meeting):
    is_new = meeting.id is None
    if request.method == "GET" and not is_new:
        form = MeetingForm(data=_meeting_form_data(meeting))
    else:
        form = MeetingForm()
        if request.method == "GET":
            form.series_id.data = request.args.get("serie", 0, type=int)
    if form.validate_on_submit():
        try:
            promoted = svc.save_meeting(meeting, _cleaned(form), user=current_user)
        except ValueError as exc:
            problems = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
            for name, message in problems.items():
                getattr(form, name).errors.append(message)
        else:
            flash(_("Mötet är sparat."), "success")
            if promoted:
                flash(_("%(count)d personer flyttades från väntelistan och har fått besked.",
                        count=len(promoted)), "info")
            return redirect(url_for("dialog.manage_meeting", meeting_id=meeting.id))
    return render_template("dialog/manage/meeting_form.html", form=form, meeting=meeting, is_new=is_new)


@bp.route("/hantera/nytt", methods=["GET", "POST"])
@role_required(*ORGANISERS)
def new_meeting():
    return _edit_meeting(Meeting())


@bp.route("/hantera/<int:meeting_id>/andra", methods=["GET", "POST"])
@role_required(*ORGANISERS)
def edit_meeting(meeting_id):
    return _edit_meeting(_meeting(meeting_id))


@bp.route("/hantera/<int:meeting_id>")
@role_required(*ORGANISERS)
def manage_meeting(meeting_id):
    meeting = _meeting(meeting_id)
    return render_template(
        "dialog/manage/meeting.html", meeting=meeting, agenda_form=AgendaItemForm(prefix="agenda"),
        manual_form=ManualRegistrationForm(prefix="manual"),
        registrations=sorted(meeting.registrations, key=lambda r: (r.status != "registered",
                                                                   r.status != "waiting", r.created_at)),
    )


@bp.route("/hantera/<int:meeting_id>/status/<action>", methods=["POST"])
@role_required(*ORGANISERS)
def meeting_status(meeting_id, action):
    meeting = _meeting(meeting_id)
    _check_post()
    try:
        svc.change_status(meeting, action)
    except MeetingStateError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Mötets status är nu ”%(status)s”.", status=meeting.status_label), "success")
    return redirect(url_for("dialog.manage_meeting", meeting_id=meeting.id))


# --- agenda -------------------------------------------------------------------------------------

@bp.route("/hantera/<int:meeting_id>/dagordning", methods=["POST"])
@role_required(*ORGANISERS)
def add_agenda_item(meeting_id):
    meeting = _meeting(meeting_id)
    form = AgendaItemForm(prefix="agenda")
    if form.validate_on_submit():
        svc.add_agenda_item(meeting, form.title.data.strip(), form.time_label.data.strip(),
                            form.responsible.data.strip(), form.description.data or "")
        flash(_("Punkten är tillagd."), "success")
        return redirect(url_for("dialog.manage_meeting", meeting_id=meeting.id) + "#dagordning")
    return render_template("dialog/manage/meeting.html", meeting=meeting, agenda_form=form,
                           manual_form=ManualRegistrationForm(prefix="manual"),
                           registrations=meeting.registrations), 400


@bp.route("/hantera/dagordning/<int:item_id>/andra", methods=["GET", "POST"])
@role_required(*ORGANISERS)
def edit_agenda_item(item_id):
    item = svc.get_part_or_404(AgendaItem, item_id, current_user)
    form = AgendaItemForm(obj=item)
    if form.validate_on_submit():
        svc.update_agenda_item(item, form.title.data.strip(), form.time_label.data.strip(),
                               form.responsible.data.strip(), form.description.data or "")
        flash(_("Punkten är sparad."), "success")
        return redirect(url_for("dialog.manage_meeting", meeting_id=item.meeting_id) + "#dagordning")
    return render_template("dialog/manage/agenda_item.html", form=form, item=item, meeting=item.meeting)


@bp.route("/hantera/dagordning/<int:item_id>/flytta/<direction>", methods=["POST"])
@role_required(*ORGANISERS)
def move_agenda_item(item_id, direction):
    item = svc.get_part_or_404(AgendaItem, item_id, current_user)
    _check_post()
    if direction not in ("up", "down"):
        abort(400)
    svc.move_agenda_item(item, direction)
    return redirect(url_for("dialog.manage_meeting", meeting_id=item.meeting_id) + "#dagordning")


@bp.route("/hantera/dagordning/<int:item_id>/ta-bort", methods=["POST"])
@role_required(*ORGANISERS)
def delete_agenda_item(item_id):
    item = svc.get_part_or_404(AgendaItem, item_id, current_user)
    _check_post()
    meeting_id = item.meeting_id
    svc.delete_agenda_item(item)
    flash(_("Punkten är borttagen."), "success")
    return redirect(url_for("dialog.manage_meeting", meeting_id=meeting_id) + "#dagordning")


# --- registrations --------------------------------------------------------------------------------

@bp.route("/hantera/<int:meeting_id>/anmal", methods=["POST"])
@role_required(*ORGANISERS)
def manual_register(meeting_id):
    meeting = _meeting(meeting_id)
    form = ManualRegistrationForm(prefix="manual")
    if form.validate_on_submit():
        registration, outcome = reg_svc.register(
            meeting, form.name.data, form.email.data, organisation_id=form.organisation_id.data or None,
            new_organisation=form.new_organisation.data, dietary_needs=form.dietary_needs.data,
            accessibility_needs=form.accessibility_needs.data, by_organiser=True, send=bool(form.email.data),
        )
        if outcome == "existing":
            flash(_("%(email)s är redan anmäld till mötet.", email=registration.email), "info")
        else:
            flash(_("%(name)s är anmäld.", name=registration.name), "success")
        return redirect(url_for("dialog.manage_meeting", meeting_id=meeting.id) + "#anmalda")
    return render_template("dialog/manage/meeting.html", meeting=meeting, agenda_form=AgendaItemForm(prefix="agenda"),
                           manual_form=form, registrations=meeting.registrations), 400


@bp.route("/hantera/anmalan/<int:registration_id>/avboka", methods=["POST"])
@role_required(*ORGANISERS)
def cancel_registration(registration_id):
    registration = svc.get_part_or_404(Registration, registration_id, current_user)
    _check_post()
    try:
        promoted = reg_svc.cancel_registration(registration)
    except MeetingStateError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Anmälan är avbokad."), "success")
        for row in promoted:
            flash(_("%(name)s fick platsen från väntelistan.", name=row.name), "info")
    return redirect(url_for("dialog.manage_meeting", meeting_id=registration.meeting_id) + "#anmalda")


@bp.route("/hantera/anmalan/<int:registration_id>/radera", methods=["POST"])
@role_required(*ORGANISERS)
def erase_registration(registration_id):
    registration = svc.get_part_or_404(Registration, registration_id, current_user)
    _check_post()
    privacy.erase_registration(registration)
    flash(_("Personuppgifterna är raderade. Organisationen räknas fortfarande."), "success")
    return redirect(url_for("dialog.manage_meeting", meeting_id=registration.meeting_id) + "#anmalda")


REGISTRATION_HEADER = ["Namn", "E-post", "Organisation", "Status", "Närvarande", "Spontant", "Kost",
                       "Tillgänglighet", "Anmäld"]


def _registration_rows(meeting):
    for r in meeting.registrations:
        yield [r.name, r.email or "", r.organisation_label, str(r.status_label), r.attended, r.walk_in,
               r.dietary_needs, r.accessibility_needs, utc_to_local_naive(r.created_at)]


@bp.route("/hantera/<int:meeting_id>/anmalda.<fmt>")
@role_required(*ORGANISERS)
def export_registrations(meeting_id, fmt):
    meeting = _meeting(meeting_id)
    name = f"anmalda-mote-{meeting.id}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", REGISTRATION_HEADER, _registration_rows(meeting))
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", [("Anmälda", REGISTRATION_HEADER, list(_registration_rows(meeting)))])
    abort(404)


# --- at the meeting -----------------------------------------------------------------------------

@bp.route("/hantera/<int:meeting_id>/incheckning")
@role_required(*ORGANISERS)
def checkin(meeting_id):
    meeting = _meeting(meeting_id)
    query = request.args.get("q", "").strip()
    return render_template("dialog/manage/checkin.html", meeting=meeting, query=query,
                           rows=reg_svc.checkin_list(meeting, query), walk_in_form=WalkInForm(prefix="walkin"))


def _wants_json():
    return request.accept_mimetypes.best == "application/json"


@bp.route("/hantera/anmalan/<int:registration_id>/narvaro", methods=["POST"])
@role_required(*ORGANISERS)
def set_attendance(registration_id):
    registration = svc.get_part_or_404(Registration, registration_id, current_user)
    _check_post()
    present = request.form.get("present") == "1"
    try:
        reg_svc.set_attendance(registration, present)
    except MeetingStateError as exc:
        if _wants_json():
            return jsonify(error="invalid_state", message=str(exc)), 409
        flash(str(exc), "error")
    if _wants_json():
        meeting = registration.meeting
        return jsonify(id=registration.id, attended=registration.attended, present_count=meeting.attended_count,
                       registered_count=meeting.registered_count)
    return redirect(url_for("dialog.checkin", meeting_id=registration.meeting_id, q=request.form.get("q", ""))
                    + f"#r{registration.id}")


@bp.route("/hantera/<int:meeting_id>/spontan", methods=["POST"])
@role_required(*ORGANISERS)
def walk_in(meeting_id):
    meeting = _meeting(meeting_id)
    form = WalkInForm(prefix="walkin")
    if form.validate_on_submit():
        registration = reg_svc.add_walk_in(meeting, form.name.data, form.organisation_id.data or None,
                                           form.new_organisation.data, form.email.data)
        flash(_("%(name)s är tillagd och markerad som närvarande.", name=registration.name), "success")
        return redirect(url_for("dialog.checkin", meeting_id=meeting.id))
    return render_template("dialog/manage/checkin.html", meeting=meeting, query="",
                           rows=reg_svc.checkin_list(meeting), walk_in_form=form), 400


@bp.route("/hantera/<int:meeting_id>/namnskyltar")
@role_required(*ORGANISERS)
def name_tags(meeting_id):
    meeting = _meeting(meeting_id)
    return render_template("dialog/manage/name_tags.html", meeting=meeting, rows=reg_svc.checkin_list(meeting))


@bp.route("/hantera/<int:meeting_id>/bilaga")
@role_required(*ORGANISERS)
def annex(meeting_id):
    meeting = _meeting(meeting_id)
    return render_template("dialog/manage/annex.html", meeting=meeting, annex=participating_organisations(meeting))


# --- minutes, decisions, tasks, approval -------------------------------------------------------------

def _minutes_page(meeting, status=200, **forms):
    forms.setdefault("new_item_form", MinutesItemForm(prefix="new"))
    forms.setdefault("task_form", TaskForm(prefix="task"))
    forms.setdefault("signer_form", SignerForm(prefix="signer"))
    item_forms = []
    for item in meeting.minutes_items:
        form = forms.get(f"item_{item.id}") or MinutesItemForm(
            prefix=f"item{item.id}", formdata=None,
            data={"heading": item.heading, "body": item.body,
                  "decisions": "\n".join(d.text for d in item.decisions)})
        item_forms.append((item, form))
    return render_template(
        "dialog/manage/minutes.html", meeting=meeting, item_forms=item_forms,
        carried_tasks=svc.open_tasks_before(meeting), missing=minutes_svc.approval_missing(meeting),
        status_form=TaskStatusForm, **{k: v for k, v in forms.items() if not k.startswith("item_")},
    ), status


@bp.route("/hantera/<int:meeting_id>/anteckningar")
@role_required(*ORGANISERS)
def minutes(meeting_id):
    return _minutes_page(_meeting(meeting_id))


@bp.route("/hantera/<int:meeting_id>/anteckningar/fran-dagordning", methods=["POST"])
@role_required(*ORGANISERS)
def minutes_from_agenda(meeting_id):
    meeting = _meeting(meeting_id)
    _check_post()
    if meeting.minutes_approved_at is not None:
        flash(_("Anteckningarna är redan justerade."), "error")
    else:
        minutes_svc.start_from_agenda(meeting)
    return redirect(url_for("dialog.minutes", meeting_id=meeting.id))


@bp.route("/hantera/<int:meeting_id>/anteckningar/ny", methods=["POST"])
@role_required(*ORGANISERS)
def add_minutes_item(meeting_id):
    meeting = _meeting(meeting_id)
    form = MinutesItemForm(prefix="new")
    if form.validate_on_submit():
        try:
            minutes_svc.add_minutes_item(meeting, form.heading.data, form.body.data, form.decisions.data,
                                         user=current_user, reason=form.reason.data)
        except MeetingStateError as exc:
            form.reason.errors.append(str(exc))
        else:
            flash(_("Punkten är tillagd i anteckningarna."), "success")
            return redirect(url_for("dialog.minutes", meeting_id=meeting.id))
    return _minutes_page(meeting, 400, new_item_form=form)


@bp.route("/hantera/anteckningar/<int:item_id>", methods=["POST"])
@role_required(*ORGANISERS)
def save_minutes_item(item_id):
    item = svc.get_part_or_404(MinutesItem, item_id, current_user)
    meeting = item.meeting
    form = MinutesItemForm(prefix=f"item{item.id}")
    if form.validate_on_submit():
        try:
            minutes_svc.save_minutes_item(item, form.heading.data, form.body.data, form.decisions.data,
                                          user=current_user, reason=form.reason.data)
        except MeetingStateError as exc:
            form.reason.errors.append(str(exc))
        else:
            flash(_("Anteckningarna är sparade."), "success")
            return redirect(url_for("dialog.minutes", meeting_id=meeting.id) + f"#m{item.id}")
    return _minutes_page(meeting, 400, **{f"item_{item.id}": form})


@bp.route("/hantera/anteckningar/<int:item_id>/ta-bort", methods=["POST"])
@role_required(*ORGANISERS)
def delete_minutes_item(item_id):
    item = svc.get_part_or_404(MinutesItem, item_id, current_user)
    _check_post()
    meeting_id = item.meeting_id
    try:
        minutes_svc.delete_minutes_item(item, user=current_user, reason=request.form.get("reason", ""))
    except MeetingStateError as exc:
        flash(str(exc), "error")
    return redirect(url_for("dialog.minutes", meeting_id=meeting_id))


@bp.route("/hantera/<int:meeting_id>/uppgifter", methods=["POST"])
@role_required(*ORGANISERS)
def add_task(meeting_id):
    meeting = _meeting(meeting_id)
    form = TaskForm(prefix="task")
    if form.validate_on_submit():
        minutes_svc.add_task(meeting, form.what.data, form.who.data, form.due_date.data)
        flash(_("Uppgiften är tillagd."), "success")
        return redirect(url_for("dialog.minutes", meeting_id=meeting.id) + "#uppgifter")
    return _minutes_page(meeting, 400, task_form=form)


@bp.route("/hantera/uppgifter/<int:task_id>/status", methods=["POST"])
@role_required(*ORGANISERS)
def task_status(task_id):
    task = svc.get_part_or_404(FollowUpTask, task_id, current_user)
    form = TaskStatusForm()
    if not form.validate_on_submit():
        abort(400)
    minutes_svc.set_task_status(task, form.status.data)
    flash(_("Uppgiften är uppdaterad."), "success")
    back = request.form.get("back_to", type=int)
    return redirect(url_for("dialog.minutes", meeting_id=back or task.meeting_id) + "#uppgifter")


@bp.route("/hantera/<int:meeting_id>/justerare", methods=["POST"])
@role_required(*ORGANISERS)
def add_signer(meeting_id):
    meeting = _meeting(meeting_id)
    form = SignerForm(prefix="signer")
    if form.validate_on_submit():
        try:
            minutes_svc.add_signer(meeting, form.role.data, form.name.data, form.side.data, form.email.data)
        except MeetingStateError as exc:
            form.name.errors.append(str(exc))
        else:
            return redirect(url_for("dialog.minutes", meeting_id=meeting.id) + "#justering")
    return _minutes_page(meeting, 400, signer_form=form)


@bp.route("/hantera/<int:meeting_id>/justering/skicka", methods=["POST"])
@role_required(*ORGANISERS)
def request_approval(meeting_id):
    meeting = _meeting(meeting_id)
    _check_post()
    try:
        sent = minutes_svc.request_approval(meeting)
    except MeetingStateError as exc:
        flash(str(exc), "error")
    else:
        if sent:
            flash(ngettext("Länken har skickats till %(num)d person.", "Länken har skickats till %(num)d personer.",
                           sent), "success")
        else:
            flash(_("Ingen som väntar på att justera har en e-postadress."), "info")
    return redirect(url_for("dialog.minutes", meeting_id=meeting.id) + "#justering")


@bp.route("/hantera/justerare/<int:signer_id>/godkann", methods=["POST"])
@role_required(*ORGANISERS)
def approve_signer(signer_id):
    signer = svc.get_part_or_404(MinutesSigner, signer_id, current_user)
    _check_post()
    try:
        published = minutes_svc.approve(signer, user=current_user)
    except MeetingStateError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Anteckningarna är justerade och publicerade.") if published
              else _("Godkännandet är registrerat."), "success")
    return redirect(url_for("dialog.minutes", meeting_id=signer.meeting_id) + "#justering")


@bp.route("/hantera/justerare/<int:signer_id>/ta-bort", methods=["POST"])
@role_required(*ORGANISERS)
def remove_signer(signer_id):
    signer = svc.get_part_or_404(MinutesSigner, signer_id, current_user)
    _check_post()
    meeting_id = signer.meeting_id
    try:
        minutes_svc.remove_signer(signer)
    except MeetingStateError as exc:
        flash(str(exc), "error")
    return redirect(url_for("dialog.minutes", meeting_id=meeting_id) + "#justering")


# --- documents --------------------------------------------------------------------------------------

@bp.route("/hantera/<int:meeting_id>/dokument", methods=["GET", "POST"])
@role_required(*ORGANISERS)
def documents(meeting_id):
    meeting = _meeting(meeting_id)
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            store_document(meeting, form.file.data, form.title.data, form.public.data, user=current_user)
        except DocumentRejected as exc:
            form.file.errors.append(str(exc))
        else:
            flash(_("Dokumentet är uppladdat."), "success")
            return redirect(url_for("dialog.documents", meeting_id=meeting.id))
    status = 400 if form.errors else 200
    return render_template("dialog/manage/documents.html", meeting=meeting, form=form), status


@bp.route("/hantera/dokument/<int:document_id>/ta-bort", methods=["POST"])
@role_required(*ORGANISERS)
def remove_document(document_id):
    doc = svc.get_part_or_404(MeetingDocument, document_id, current_user)
    _check_post()
    meeting_id = doc.meeting_id
    delete_document(doc)
    flash(_("Dokumentet är borttaget."), "success")
    return redirect(url_for("dialog.documents", meeting_id=meeting_id))


# --- series and numbers -----------------------------------------------------------------------------

def _edit_series(series):
    form = SeriesForm(obj=series) if request.method == "GET" and series.id else SeriesForm()
    if request.method == "GET" and series.id:
        form.organiser_id.data = series.organiser_id or 0
    if form.validate_on_submit():
        svc.save_series(series, form.title.data.strip(), form.description.data or "",
                        form.organiser_id.data or None)
        flash(_("Serien är sparad."), "success")
        return redirect(url_for("dialog.series", series_id=series.id))
    return render_template("dialog/manage/series_form.html", form=form, series=series)


@bp.route("/hantera/serier/ny", methods=["GET", "POST"])
@role_required(*ORGANISERS)
def new_series():
    return _edit_series(MeetingSeries())


@bp.route("/hantera/serier/<int:series_id>/andra", methods=["GET", "POST"])
@role_required(*ORGANISERS)
def edit_series(series_id):
    return _edit_series(svc.get_series_or_404(series_id, current_user, edit=True))


@bp.route("/hantera/serier/<int:series_id>/statistik")
@role_required(*ORGANISERS)
def series_stats(series_id):
    series = svc.get_series_or_404(series_id, current_user, edit=True)
    meetings = list(series.meetings)
    return render_template("dialog/manage/stats.html", series=series, rows=attendance_rows(meetings),
                           charts=series_figures(meetings) if meetings else [])


@bp.route("/hantera/serier/<int:series_id>/statistik.<fmt>")
@role_required(*ORGANISERS)
def export_series(series_id, fmt):
    series = svc.get_series_or_404(series_id, current_user, edit=True)
    meetings = list(series.meetings)
    per_meeting_header = ["Möte", "Datum", "Typ", "Anmälda", "Närvarande", "Organisationer"]
    per_meeting = [[r["meeting"].title, utc_to_local_naive(r["meeting"].starts_at).date(),
                    str(r["meeting"].kind_label), r["registered"], r["attended"], r["organisations"]]
                   for r in attendance_rows(meetings)]
    org_header = ["Organisation", "Organisationsform", "Delregion", "Antal möten",
                  *[f"{utc_to_local_naive(m.starts_at):%Y-%m-%d}" for m in meetings]]
    org_rows = organisation_table(meetings)
    if fmt == "csv":
        return csv_response(f"serie-{series.id}-organisationer.csv", org_header, org_rows)
    if fmt == "xlsx":
        return xlsx_response(f"serie-{series.id}.xlsx", [("Möten", per_meeting_header, per_meeting),
                                                         ("Organisationer", org_header, org_rows)])
    abort(404)


# --- personal data ------------------------------------------------------------------------------------

@bp.route("/hantera/personuppgifter", methods=["GET", "POST"])
@role_required(*ORGANISERS)
def erase_person():
    form = EraseForm()
    if form.validate_on_submit():
        count = privacy.erase_person(form.email.data)
        if count:
            flash(_("Personuppgifterna i %(count)d anmälningar är raderade.", count=count), "success")
        else:
            flash(_("Det finns inga anmälningar med den e-postadressen."), "info")
        return redirect(url_for("dialog.erase_person"))
    return render_template("dialog/manage/erase.html", form=form)

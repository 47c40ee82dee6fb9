"""Organisers' minutes: items and decisions, follow-up tasks, signers and approval."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from core.views_util import run_and_redirect
from dialog import access
from dialog import minutes as minutes_svc
from dialog.forms import MinutesItemForm, SignerForm, TaskForm, TaskStatusForm
from dialog.views.common import check_post
from dialog.views.organising import bp
from dialog.views.organising.pages import minutes_page, organised_meeting


def _minutes_url(meeting_id, anchor=""):
    return url_for("dialog.manage.minutes", meeting_id=meeting_id) + anchor


@bp.route("/<int:meeting_id>/anteckningar")
def minutes(meeting_id):
    return minutes_page(organised_meeting(meeting_id))


@bp.route("/<int:meeting_id>/anteckningar/fran-dagordning", methods=["POST"])
def minutes_from_agenda(meeting_id):
    meeting = organised_meeting(meeting_id)
    check_post()
    if meeting.minutes_published:
        flash(_("Anteckningarna är redan justerade."), "error")
    else:
        minutes_svc.start_from_agenda(meeting)
    return redirect(_minutes_url(meeting.id))


@bp.route("/<int:meeting_id>/anteckningar/ny", methods=["POST"])
def add_minutes_item(meeting_id):
    meeting = organised_meeting(meeting_id)
    form = MinutesItemForm(prefix="new")
    return run_and_redirect(
        lambda: minutes_svc.add_minutes_item(meeting, form.heading.data, form.body.data, form.decisions.data,
                                             user=current_user, reason=form.reason.data),
        _("Punkten är tillagd i anteckningarna."), _minutes_url(meeting.id), form=form, field=form.reason,
        again=lambda: minutes_page(meeting, 400, new_item_form=form))


@bp.route("/anteckningar/<int:item_id>", methods=["POST"])
def save_minutes_item(item_id):
    item = access.get_minutes_item_or_404(item_id, current_user)
    meeting = item.meeting
    form = MinutesItemForm(prefix=f"item{item.id}")
    return run_and_redirect(
        lambda: minutes_svc.save_minutes_item(item, form.heading.data, form.body.data, form.decisions.data,
                                              user=current_user, reason=form.reason.data),
        _("Anteckningarna är sparade."), _minutes_url(meeting.id, f"#m{item.id}"), form=form, field=form.reason,
        again=lambda: minutes_page(meeting, 400, **{f"item_{item.id}": form}))


@bp.route("/anteckningar/<int:item_id>/ta-bort", methods=["POST"])
def delete_minutes_item(item_id):
    item = access.get_minutes_item_or_404(item_id, current_user)
    check_post()
    return run_and_redirect(
        lambda: minutes_svc.delete_minutes_item(item, user=current_user, reason=request.form.get("reason", "")),
        None, _minutes_url(item.meeting_id))


@bp.route("/<int:meeting_id>/uppgifter", methods=["POST"])
def add_task(meeting_id):
    meeting = organised_meeting(meeting_id)
    form = TaskForm(prefix="task")
    if form.validate_on_submit():
        minutes_svc.add_task(meeting, form.what.data, form.who.data, form.due_date.data)
        flash(_("Uppgiften är tillagd."), "success")
        return redirect(_minutes_url(meeting.id, "#uppgifter"))
    return minutes_page(meeting, 400, task_form=form)


@bp.route("/uppgifter/<int:task_id>/status", methods=["POST"])
def task_status(task_id):
    task = access.get_task_or_404(task_id, current_user)
    form = TaskStatusForm()
    if not form.validate_on_submit():
        abort(400)
    minutes_svc.set_task_status(task, form.status.data)
    flash(_("Uppgiften är uppdaterad."), "success")
    # The task list of a later meeting of the series changes tasks of earlier ones: back to where it was done.
    back = request.form.get("back_to", type=int)
    return redirect(_minutes_url(back or task.meeting_id, "#uppgifter"))


@bp.route("/<int:meeting_id>/justerare", methods=["POST"])
def add_signer(meeting_id):
    meeting = organised_meeting(meeting_id)
    form = SignerForm(prefix="signer")
    return run_and_redirect(
        lambda: minutes_svc.add_signer(meeting, form.role.data, form.name.data, form.side.data, form.email.data),
        None, _minutes_url(meeting.id, "#justering"), form=form, field=form.name,
        again=lambda: minutes_page(meeting, 400, signer_form=form))


@bp.route("/<int:meeting_id>/justering/skicka", methods=["POST"])
def request_approval(meeting_id):
    meeting = organised_meeting(meeting_id)
    check_post()

    def sent_to(sent):
        if sent:
            return ngettext("Länken har skickats till %(num)d person.", "Länken har skickats till %(num)d personer.",
                            sent)
        flash(_("Ingen som väntar på att justera har en e-postadress."), "info")
        return None

    return run_and_redirect(lambda: minutes_svc.request_approval(meeting), sent_to,
                            _minutes_url(meeting.id, "#justering"))


@bp.route("/justerare/<int:signer_id>/godkann", methods=["POST"])
def approve_signer(signer_id):
    signer = access.get_signer_or_404(signer_id, current_user)
    check_post()
    return run_and_redirect(lambda: minutes_svc.approve(signer, user=current_user),
                            lambda published: (_("Anteckningarna är justerade och publicerade.") if published
                                               else _("Godkännandet är registrerat.")),
                            _minutes_url(signer.meeting_id, "#justering"))


@bp.route("/justerare/<int:signer_id>/ta-bort", methods=["POST"])
def remove_signer(signer_id):
    signer = access.get_signer_or_404(signer_id, current_user)
    check_post()
    return run_and_redirect(lambda: minutes_svc.remove_signer(signer), None,
                            _minutes_url(signer.meeting_id, "#justering"))

"""Organisers' agenda: add, edit, move and remove the items of a meeting's agenda."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dialog import access
from dialog import meetings as svc
from dialog.forms import AgendaItemForm
from dialog.views.common import check_post
from dialog.views.organising import bp
from dialog.views.organising.pages import meeting_page, organised_meeting


def _agenda_url(meeting_id):
    return url_for("dialog.manage.meeting", meeting_id=meeting_id) + "#dagordning"


@bp.route("/<int:meeting_id>/dagordning", methods=["POST"])
def add_agenda_item(meeting_id):
    meeting = organised_meeting(meeting_id)
    form = AgendaItemForm(prefix="agenda")
    if form.validate_on_submit():
        svc.add_agenda_item(meeting, form.title.data.strip(), form.time_label.data.strip(),
                            form.responsible.data.strip(), form.description.data or "")
        flash(_("Punkten är tillagd."), "success")
        return redirect(_agenda_url(meeting.id))
    return meeting_page(meeting, 400, agenda_form=form)


@bp.route("/dagordning/<int:item_id>/andra", methods=["GET", "POST"])
def edit_agenda_item(item_id):
    item = access.get_agenda_item_or_404(item_id, current_user)
    form = AgendaItemForm(obj=item)
    if form.validate_on_submit():
        svc.update_agenda_item(item, form.title.data.strip(), form.time_label.data.strip(),
                               form.responsible.data.strip(), form.description.data or "")
        flash(_("Punkten är sparad."), "success")
        return redirect(_agenda_url(item.meeting_id))
    return render_template("dialog/manage/agenda_item.html", form=form, item=item, meeting=item.meeting)


@bp.route("/dagordning/<int:item_id>/flytta/<direction>", methods=["POST"])
def move_agenda_item(item_id, direction):
    item = access.get_agenda_item_or_404(item_id, current_user)
    check_post()
    if direction not in ("up", "down"):
        abort(400)
    svc.move_agenda_item(item, direction)
    return redirect(_agenda_url(item.meeting_id))


@bp.route("/dagordning/<int:item_id>/ta-bort", methods=["POST"])
def delete_agenda_item(item_id):
    item = access.get_agenda_item_or_404(item_id, current_user)
    check_post()
    meeting_id = item.meeting_id
    svc.delete_agenda_item(item)
    flash(_("Punkten är borttagen."), "success")
    return redirect(_agenda_url(meeting_id))

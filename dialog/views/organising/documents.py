"""Organisers' documents: upload a meeting's documents and remove them."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.views_util import run_and_redirect
from dialog import access
from dialog.documents import delete_document, store_document
from dialog.forms import DocumentForm
from dialog.views.common import check_post
from dialog.views.organising import bp
from dialog.views.organising.pages import organised_meeting


@bp.route("/<int:meeting_id>/dokument", methods=["GET", "POST"])
def documents(meeting_id):
    meeting = organised_meeting(meeting_id)
    form = DocumentForm()
    return run_and_redirect(
        lambda: store_document(meeting, form.file.data, form.title.data, form.public.data, user=current_user),
        _("Dokumentet är uppladdat."), url_for("dialog.manage.documents", meeting_id=meeting.id), form=form,
        field=form.file, again=lambda: (render_template("dialog/manage/documents.html", meeting=meeting, form=form),
                                        400 if form.errors else 200))


@bp.route("/dokument/<int:document_id>/ta-bort", methods=["POST"])
def remove_document(document_id):
    document = access.get_managed_document_or_404(document_id, current_user)
    check_post()
    meeting_id = document.meeting_id
    delete_document(document)
    flash(_("Dokumentet är borttaget."), "success")
    return redirect(url_for("dialog.manage.documents", meeting_id=meeting_id))

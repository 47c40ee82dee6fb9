"""Organisers' invitations: choose organisations, preview the reach, send, follow each invitation, re-send."""
import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.extensions import db
from core.models import Organisation
from core.views_util import run_and_redirect
from dialog import access
from dialog import invitations as svc
from dialog.charts import invitation_figures
from dialog.forms import InvitationForm
from dialog.views.common import check_post, flashed
from dialog.views.organising import bp
from dialog.views.organising.pages import organised_meeting


def _form(meeting):
    organisations = db.session.scalars(sa.select(Organisation).where(Organisation.needs_review.is_(False))
                                       .order_by(Organisation.name)).all()
    return InvitationForm(platforms=svc.platforms(), meetings=svc.earlier_meetings(meeting),
                          organisations=organisations, groups=svc.groups(), agreements=svc.agreements())


@bp.route("/<int:meeting_id>/inbjudningar", methods=["GET", "POST"])
def invitations(meeting_id):
    meeting = organised_meeting(meeting_id)
    form = _form(meeting)
    preview, status = None, 200
    if form.validate_on_submit():
        selection = svc.Selection(**form.selection())
        if form.send.data:
            done, result = flashed(svc.send_invitations, meeting, selection, user=current_user)
            if done:
                flash(_("%(count)d inbjudningar ligger i e-postkön och skickas nu.", count=len(result.to_invite)),
                      "success")
                return redirect(url_for("dialog.manage.invitations", meeting_id=meeting.id) + "#skickade")
            status = 400
        if selection.empty:
            form.organisation_ids.errors.append(_("Välj minst en grupp eller organisation att bjuda in."))
            status = 400
        else:
            preview = svc.preview(meeting, selection)
    elif request.method == "POST":
        status = 400
    rows = svc.invitations_of(meeting)
    return render_template(
        "dialog/manage/invitations.html", meeting=meeting, form=form, preview=preview, invitations=rows,
        counts=svc.status_counts(rows), charts=invitation_figures(rows) if rows else [],
        can_invite=_can_invite(meeting)), status


def _can_invite(meeting):
    try:
        svc.check_can_invite(meeting)
    except svc.InvitationError as exc:
        return str(exc)
    return True


@bp.route("/inbjudan/<int:invitation_id>/skicka-igen", methods=["POST"])
def resend_invitation(invitation_id):
    invitation = access.get_invitation_or_404(invitation_id, current_user)
    check_post()
    return run_and_redirect(lambda: svc.resend(invitation),
                            _("Inbjudan till %(name)s ligger i e-postkön igen.", name=invitation.organisation.name),
                            url_for("dialog.manage.invitations", meeting_id=invitation.meeting_id) + "#skickade")

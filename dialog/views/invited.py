"""Pages for an invited organisation: its personal invitation link (register, or decline) and unsubscribing."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.extensions import limiter
from core.views_util import run_and_redirect
from dialog import access
from dialog import invitations as svc
from dialog import registration as reg_svc
from dialog.forms import DeclineForm, InvitedRegistrationForm, UnsubscribeForm
from dialog.views import bp
from dialog.views.common import flashed
from dialog.views.public import _register_limit


@bp.route("/inbjudan/<token>", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def invitation(token):
    """Registration one click away: the meeting, and the form with the organisation already filled in."""
    invitation = access.get_invitation_by_link_or_404(token)
    meeting = invitation.meeting
    form = InvitedRegistrationForm()
    if request.method == "GET":
        svc.open_link(invitation)
        form.email.data = form.email.data or invitation.email
    open_now = meeting.registration_is_open()
    if open_now and form.validate_on_submit():
        done, result = flashed(
            reg_svc.register, meeting, form.name.data, form.email.data, organisation_id=invitation.organisation_id,
            dietary_needs=form.dietary_needs.data, accessibility_needs=form.accessibility_needs.data,
            consent=form.consent.data)
        if done:
            registration, outcome = result
            return render_template("dialog/registered.html", meeting=meeting, existing=outcome == reg_svc.EXISTING,
                                   waiting=registration.is_waiting, email=form.email.data.strip().lower())
    return render_template("dialog/invitation.html", invitation=invitation, meeting=meeting, form=form,
                           token=token, open_now=open_now, decline_form=DeclineForm(),
                           unsubscribe_token=svc.unsubscribe_token(invitation.organisation_id),
                           ), 400 if form.errors else 200


@bp.route("/inbjudan/<token>/tacka-nej", methods=["POST"])
def decline_invitation(token):
    invitation = access.get_invitation_by_link_or_404(token)
    return run_and_redirect(lambda: svc.decline(invitation),
                            _("Tack för beskedet. %(name)s har tackat nej till mötet.",
                              name=invitation.organisation.name),
                            url_for("dialog.invitation", token=token), form=DeclineForm(),
                            invalid=_("Sidan var för gammal. Försök igen."))


@bp.route("/inbjudningar/avsluta/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    """No more invitations: asked on a page first, so a mail scanner opening the link changes nothing."""
    organisation = access.get_organisation_by_unsubscribe_link_or_404(token)
    form = UnsubscribeForm()
    if form.validate_on_submit():
        if request.form.get("again"):
            svc.resubscribe(organisation)
            flash(_("%(name)s får inbjudningar igen.", name=organisation.name), "success")
        else:
            svc.unsubscribe(organisation)
            flash(_("%(name)s får inga fler inbjudningar till möten.", name=organisation.name), "success")
        return redirect(url_for("dialog.unsubscribe", token=token))
    return render_template("dialog/unsubscribe.html", organisation=organisation, form=form,
                           opted_out=svc.is_opted_out(organisation.id))

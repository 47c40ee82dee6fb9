"""Open participation: the public page of an open remiss (its draft and deadline) and an organisation that was
not invited registering itself to answer."""
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.auth.services import start_session
from core.extensions import limiter
from core.views_util import apply_errors
from surveys.remiss import access, answering, claiming, registering
from surveys.remiss.forms import RegisterForm
from surveys.remiss.views import bp
from surveys.remiss.views.common import render_markdown


def _register_limit():
    return current_app.config.get("REMISS_REGISTER_LIMIT", current_app.config["LOGIN_RATE_LIMIT"])


@bp.route("/<int:remiss_id>/oppen")
def open_page(remiss_id):
    remiss = access.get_open_remiss_or_404(remiss_id)
    mine = answering.my_organisations(remiss, current_user) if current_user.is_authenticated else []
    return render_template("surveys/remiss/open.html", remiss=remiss, my_orgs=mine,
                           can_register=registering.can_register(remiss), render_markdown=render_markdown)


@bp.route("/<int:remiss_id>/registrera", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register(remiss_id):
    remiss = access.get_open_remiss_or_404(remiss_id)
    if not registering.can_register(remiss):
        abort(404)
    if current_user.is_authenticated:
        # A logged-in member answers from the remiss page; a new organisation is registered by someone new.
        flash(_("Du är redan inloggad. Logga ut om du vill registrera en ny organisation."), "error")
        return redirect(url_for("remiss.open_page", remiss_id=remiss.id))
    form = RegisterForm()
    status = 200
    if form.validate_on_submit():
        try:
            user, org = registering.register(
                remiss, name=form.name.data, email=form.email.data, password=form.password.data,
                **form.organisation_data())
        except (claiming.ClaimErrors, claiming.ClaimError) as exc:
            apply_errors(form, exc)
        else:
            start_session(user)
            flash(_("%(name)s är registrerad. Ni kan svara nu; en administratör granskar organisationen innan svaret "
                    "räknas som en remissinstans.", name=org.name), "success")
            return redirect(url_for("remiss.answer", remiss_id=remiss.id, organisation_id=org.id))
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template("surveys/remiss/register.html", remiss=remiss, form=form), status

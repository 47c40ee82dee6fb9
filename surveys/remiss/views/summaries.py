"""The drafting group's written summaries: a form post without JavaScript, and the JSON autosave."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError

from core.errors import json_error
from core.extensions import csrf, limiter
from core.timeutil import utc_to_local
from surveys.remiss import access, summaries
from surveys.remiss.forms import SummaryForm
from surveys.remiss.models import RemissError
from surveys.remiss.views import bp
from surveys.remiss.views.common import autosave_limit, flash_error


def _section(remiss, number):
    """number 0 is the overall summary."""
    return access.get_section_by_number_or_404(remiss, number) if number else None


def _back(remiss, section):
    if section is None:
        return url_for("remiss.compilation_page", remiss_id=remiss.id) + "#sammanfattning"
    return url_for("remiss.section_view", remiss_id=remiss.id, number=section.number) + "#sammanfattning"


def summary_state(summary):
    """What the page's script needs to continue from a save."""
    return {"version": summary.version, "text": summary.text,
            "saved_at": utc_to_local(summary.updated_at).strftime("%H:%M") if summary.updated_at else "",
            "by": summary.updated_by.display_name if summary.updated_by else ""}


@bp.route("/<int:remiss_id>/sammanfattning/<int:number>", methods=["POST"])
@login_required
def save_summary(remiss_id, number):
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    section = _section(remiss, number)
    form = SummaryForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        summaries.save_summary(remiss, section, current_user, request.form.get("version"), form.text.data)
    except summaries.SummaryConflict as exc:
        # Nothing is lost: the writer's text stays in the box beside the one saved meanwhile.
        form.version.data = exc.summary.version
        return render_template("surveys/remiss/summary_conflict.html", remiss=remiss, section=section, form=form,
                               theirs=exc.summary, number=number), 409
    except RemissError as exc:
        flash_error(exc)
        return render_template("surveys/remiss/summary_conflict.html", remiss=remiss, section=section, form=form,
                               theirs=None, number=number), 400
    flash(_("Sammanfattningen är sparad."), "success")
    return redirect(_back(remiss, section))


@bp.route("/<int:remiss_id>/sammanfattning/<int:number>/autospara", methods=["POST"])
@csrf.exempt
@limiter.limit(autosave_limit)
def autosave_summary(remiss_id, number):
    """JSON autosave, in the answer editor's order: 401 without a session, 400 'csrf', 409 with the saved text."""
    if not current_user.is_authenticated:
        return json_error(401, "login_required",
                          _("Du har blivit utloggad. Din text finns kvar här. Logga in igen så sparas den."))
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except (ValidationError, CSRFError):
        return json_error(400, "csrf", _("Sidan behöver en ny säkerhetsnyckel. Din text finns kvar."))
    remiss = access.get_remiss_or_404(remiss_id, current_user, drafter=True)
    section = _section(remiss, number)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return json_error(400, "bad_request", _("Felaktig begäran."))
    try:
        summary = summaries.save_summary(remiss, section, current_user, payload.get("version"), payload.get("text"))
    except summaries.SummaryConflict as exc:
        return json_error(409, "conflict", exc.message, **summary_state(exc.summary))
    except RemissError as exc:
        return json_error(422, exc.code, exc.message)
    return {"ok": True, **summary_state(summary)}

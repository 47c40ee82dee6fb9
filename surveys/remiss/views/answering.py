"""The respondents' pages: the answer editor with autosave, review, submit, receipt, attachments."""
import json

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from wtforms.validators import ValidationError

from core.auth.services import start_session
from core.charts import safe_json_text
from core.errors import json_error
from core.extensions import csrf, db, limiter
from core.forms import EmptyForm
from core.timeutil import utc_to_local
from core.views_util import apply_errors, run_and_redirect
from surveys.remiss import access, answering, claiming, managing, progress, uploads
from surveys.remiss.forms import AttachmentForm, claim_form
from surveys.remiss.models import POSITIONS, RemissError
from surveys.remiss.views import bp
from surveys.remiss.views.common import autosave_limit, flash_error, render_markdown


def _claim_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/inbjudan/<token>", methods=["GET", "POST"])
@limiter.limit(_claim_limit, methods=["POST"])
def invitation(token):
    """The personal link of an invitation: marks it opened, then leads to the answer.

    Someone without an account in the invited organisation takes the invitation on here (see claiming).
    """
    body = managing.body_by_token(token)
    if body is None:
        # Most often an earlier link, replaced by the one in a reminder or a new invitation: say so.
        return render_template("surveys/remiss/invitation_gone.html"), 404
    if body.remiss.is_draft:
        abort(404)
    if request.method == "GET":
        managing.open_invitation(body)
    remiss = body.remiss
    invited = claiming.state(body, current_user)
    if invited.state == claiming.MEMBER:
        return redirect(url_for("remiss.answer", remiss_id=remiss.id, organisation_id=body.organisation_id))
    form = claim_form(invited.state, body, current_user)
    status = 200
    if request.method == "POST" and invited.state in (claiming.JOIN, claiming.CHOOSE, claiming.SIGNUP):
        if form.validate_on_submit():
            try:
                if invited.state == claiming.SIGNUP:
                    user, org = claiming.sign_up(body, form.name.data, form.password.data,
                                                 data=form.organisation_data(),
                                                 email=form.email.data if "email" in form else None)
                    start_session(user)
                else:
                    chosen = form.organisation_id.data if "organisation_id" in form else None
                    org = claiming.take_on(body, current_user, organisation_id=chosen or None,
                                           data=form.organisation_data())
            except (claiming.ClaimErrors, claiming.ClaimError) as exc:
                apply_errors(form, exc)
            else:
                if org.id not in current_user.organisation_ids:
                    return redirect(url_for("remiss.invitation", token=token))
                flash(_("Nu svarar du för %(name)s.", name=org.name), "success")
                return redirect(url_for("remiss.answer", remiss_id=remiss.id, organisation_id=org.id))
        status = 400
    return render_template("surveys/remiss/invitation.html", remiss=remiss, body=body, invited=invited,
                           form=form, render_markdown=render_markdown), status


def _answer_context(remiss, answer, organisation_id, conflict=None, mine=None):
    rows = answering.section_answers_by_section(answer)
    return {
        "remiss": remiss, "answer": answer, "organisation": answer.organisation, "rows": rows,
        "positions": POSITIONS, "accepting": answering.accepting(remiss, organisation_id),
        "deadline": answering.deadline_for(remiss, organisation_id),
        "can_sign": answering.can_submit(answer, current_user), "render_markdown": render_markdown,
        "conflict": conflict, "mine": mine or {}, "attachment_form": AttachmentForm(prefix="att"),
        "messages_json": _editor_messages(),
        "fields_json": safe_json_text(json.dumps(answering.editor_fields(remiss))),
        "progress": progress.section_progress(remiss, rows, mine), "toc_messages_json": _toc_messages(),
    }


def _toc_messages():
    """The section list script's words (it holds no text of its own)."""
    return safe_json_text(json.dumps({
        "done": _("Besvarat"),
        "todo": _("Inte besvarat"),
        "progress": _("%(done)s av %(total)s avsnitt besvarade"),
        "hidden": _("%(n)s avsnitt är dolda. Kryssa i dem i listan för att visa dem."),
    }, ensure_ascii=False))


def _editor_messages():
    """The editor script's words, translated here so the script holds no text of its own."""
    return safe_json_text(json.dumps({
        "saving": _("Sparar …"),
        "saved_at": _("Sparat kl. %s"),
        "unsaved": _("Ändringar sparas strax …"),
        "not_saved": _("Inte sparat än – texten finns kvar här och i webbläsaren."),
        "offline": _("Kunde inte nå servern. Texten finns kvar i webbläsaren; vi försöker igen."),
        "login": _("Du har blivit utloggad. Din text finns kvar här. Logga in igen så sparas den."),
        "conflict": _("Inte sparat: jämför texterna ovan."),
        "error": _("Det gick inte att spara."),
        "mine": _("Din text"),
        "theirs": _("Sparad text"),
        "yes": _("Ja"),
        "no": _("Nej"),
        "saved_none": _("Den sparade texten används."),
    }, ensure_ascii=False))


def _form_data(form, remiss):
    """The editor's fields from a normal (non-JavaScript) form post."""
    data = {key: form.get(key, "") for key in answering.ANSWER_FIELDS}
    data.update({key: bool(form.get(key)) for key in answering.ANSWER_FLAGS})
    data["sections"] = {
        str(s.id): {f: form.get(answering.section_field_name(s.id, f), "") for f in answering.SECTION_FIELDS}
        for s in remiss.sections
    }
    return data


@bp.route("/<int:remiss_id>/svar/<int:organisation_id>", methods=["GET", "POST"])
@login_required
def answer(remiss_id, organisation_id):
    remiss, answer = access.get_own_answer_or_404(remiss_id, organisation_id, current_user)
    if answer is None:
        answer = answering.get_or_start_answer(remiss, organisation_id, current_user)
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        data = _form_data(request.form, remiss)
        try:
            answering.save_draft(answer, current_user, request.form.get("version"), data)
        except answering.VersionConflict:
            flash(_("Någon annan har sparat svaret medan du skrev. Jämför texterna nedan; inget har skrivits "
                    "över."), "error")
            return render_template("surveys/remiss/answer.html",
                                   **_answer_context(remiss, answer, organisation_id, conflict=True,
                                                     mine=data)), 409
        except RemissError as exc:
            flash_error(exc)
            return render_template("surveys/remiss/answer.html",
                                   **_answer_context(remiss, answer, organisation_id, mine=data)), 400
        flash(_("Utkastet är sparat."), "success")
        if request.form.get("next") == "review":
            return redirect(url_for("remiss.review", remiss_id=remiss.id, organisation_id=organisation_id))
        return redirect(url_for("remiss.answer", remiss_id=remiss.id, organisation_id=organisation_id))
    return render_template("surveys/remiss/answer.html", **_answer_context(remiss, answer, organisation_id))


@bp.route("/<int:remiss_id>/svar/<int:organisation_id>/autospara", methods=["POST"])
@csrf.exempt
@limiter.limit(autosave_limit)
def autosave(remiss_id, organisation_id):
    """JSON autosave. Checked in this order so the page can tell the user what to do: 401 when the session
    is gone (never a redirect), 400 'csrf' for a stale token, 409 with both texts on a version conflict."""
    if not current_user.is_authenticated:
        return json_error(401, "login_required",
                          _("Du har blivit utloggad. Din text finns kvar här. Logga in igen så sparas den."))
    try:
        validate_csrf(request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token"))
    except (ValidationError, CSRFError):
        return json_error(400, "csrf", _("Sidan behöver en ny säkerhetsnyckel. Din text finns kvar."))
    remiss, answer = access.get_own_answer_or_404(remiss_id, organisation_id, current_user)
    if answer is None:
        answer = answering.get_or_start_answer(remiss, organisation_id, current_user)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return json_error(400, "bad_request", _("Felaktig begäran."))
    try:
        answering.save_draft(answer, current_user, payload.get("version"), payload.get("fields") or {})
    except answering.VersionConflict:
        db.session.refresh(answer)
        return json_error(409, "conflict",
                          _("Någon annan har sparat svaret medan du skrev. Jämför texterna; inget har skrivits "
                            "över."), current=answering.draft_data(answer), version=answer.version)
    except RemissError as exc:
        return json_error(422, exc.code, exc.message)
    return {"ok": True, "version": answer.version, "saved_at": utc_to_local(answer.updated_at).strftime("%H:%M"),
            "ready": answer.ready}


@bp.route("/csrf-nyckel")
def fresh_csrf():
    """A fresh CSRF token for the editor once the user has logged in again in another tab; the editor polls
    this while logged out, so 'not yet' is an ordinary answer rather than an error."""
    if not current_user.is_authenticated:
        return {"logged_in": False, "csrf_token": None}
    return {"logged_in": True, "csrf_token": generate_csrf()}


@bp.route("/inloggad")
@login_required
def logged_in_again():
    """Where the 'log in again' tab lands: tells the user to go back to the answer."""
    return render_template("surveys/remiss/logged_in.html")


@bp.route("/<int:remiss_id>/svar/<int:organisation_id>/granska")
@login_required
def review(remiss_id, organisation_id):
    remiss, answer = access.get_own_answer_or_404(remiss_id, organisation_id, current_user)
    if answer is None:
        return redirect(url_for("remiss.answer", remiss_id=remiss.id, organisation_id=organisation_id))
    return render_template("surveys/remiss/review.html", **_answer_context(remiss, answer, organisation_id))


@bp.route("/<int:remiss_id>/svar/<int:organisation_id>/klar", methods=["POST"])
@login_required
def mark_ready(remiss_id, organisation_id):
    remiss, answer = access.get_own_answer_or_404(remiss_id, organisation_id, current_user)
    if answer is None or not EmptyForm().validate_on_submit():
        abort(404 if answer is None else 400)
    return run_and_redirect(lambda: answering.mark_ready(answer, current_user, ready=not request.form.get("undo")),
                            None, url_for("remiss.review", remiss_id=remiss.id, organisation_id=organisation_id))


@bp.route("/<int:remiss_id>/svar/<int:organisation_id>/skicka", methods=["POST"])
@login_required
def submit(remiss_id, organisation_id):
    remiss, answer = access.get_own_answer_or_404(remiss_id, organisation_id, current_user)
    if answer is None or not EmptyForm().validate_on_submit():
        abort(404 if answer is None else 400)
    try:
        submission = answering.submit(answer, current_user, request.form.get("version"))
    except answering.VersionConflict:
        flash(_("Svaret har ändrats sedan du öppnade granskningen. Läs igenom det igen innan du skickar."),
              "error")
        return redirect(url_for("remiss.review", remiss_id=remiss.id, organisation_id=organisation_id))
    except RemissError as exc:
        flash_error(exc)
        return redirect(url_for("remiss.review", remiss_id=remiss.id, organisation_id=organisation_id))
    flash(_("Tack! Svaret är inskickat. Ett kvitto har skickats till %(email)s.", email=current_user.email),
          "success")
    return redirect(url_for("remiss.receipt", remiss_id=remiss.id, organisation_id=organisation_id,
                            number=submission.number))


@bp.route("/<int:remiss_id>/svar/<int:organisation_id>/kvitto/<int:number>")
@login_required
def receipt(remiss_id, organisation_id, number):
    remiss, answer = access.get_own_answer_or_404(remiss_id, organisation_id, current_user)
    submission = access.get_submission_or_404(answer, number)
    return render_template("surveys/remiss/receipt.html", remiss=remiss, answer=answer, submission=submission,
                           positions=POSITIONS)


@bp.route("/<int:remiss_id>/svar/<int:organisation_id>/avboj", methods=["POST"])
@login_required
def decline(remiss_id, organisation_id):
    remiss, _answer = access.get_own_answer_or_404(remiss_id, organisation_id, current_user)
    return run_and_redirect(lambda: answering.decline(remiss, organisation_id, current_user),
                            _("Vi har noterat att organisationen avstår från att svara."),
                            url_for("remiss.show", remiss_id=remiss.id))


@bp.route("/<int:remiss_id>/svar/<int:organisation_id>/bilagor", methods=["POST"])
@login_required
def upload_answer_attachment(remiss_id, organisation_id):
    remiss, answer = access.get_own_answer_or_404(remiss_id, organisation_id, current_user)
    if answer is None:
        abort(404)
    form = AttachmentForm(prefix="att")
    return run_and_redirect(
        lambda: answering.add_attachment(remiss, organisation_id, answer, form.file.data, current_user),
        _("Bilagan är uppladdad."),
        url_for("remiss.answer", remiss_id=remiss.id, organisation_id=organisation_id) + "#bilagor", form=form)


@bp.route("/<int:remiss_id>/svar/<int:organisation_id>/bilagor/<int:attachment_id>/ta-bort", methods=["POST"])
@login_required
def delete_answer_attachment(remiss_id, organisation_id, attachment_id):
    remiss, answer = access.get_own_answer_or_404(remiss_id, organisation_id, current_user)
    att = access.get_attachment_or_404(remiss.id, attachment_id, current_user)
    if answer is None or att.answer_id != answer.id:
        abort(404)
    return run_and_redirect(lambda: answering.delete_attachment(remiss, organisation_id, att),
                            _("Bilagan är borttagen."),
                            url_for("remiss.answer", remiss_id=remiss.id, organisation_id=organisation_id)
                            + "#bilagor")


@bp.route("/<int:remiss_id>/bilagor/<int:attachment_id>")
def attachment(remiss_id, attachment_id):
    att = access.get_attachment_or_404(remiss_id, attachment_id, current_user)
    return uploads.pdf_response(att)

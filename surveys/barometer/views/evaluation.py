"""Evaluations after a meeting: created from the meeting's page, answered through a personal link, results."""
import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from core.charts import safe_json_text
from core.extensions import db
from core.forms import EmptyForm
from surveys.barometer import charts
from surveys.barometer import evaluation as svc
from surveys.barometer.access import get_evaluation_or_404
from surveys.barometer.views import bp, live_bp, moderator_required


@bp.post("/utvarderingar/mote/<int:meeting_id>")
@moderator_required
def evaluation_new(meeting_id):
    if not EmptyForm().validate_on_submit():
        flash(_("Sidan var för gammal. Försök igen."), "error")
        return redirect(request.referrer or url_for("barometer.index"))
    try:
        evaluation = svc.create_evaluation(meeting_id, current_user)
    except svc.EvaluationError as exc:
        if exc.status == 404:
            abort(404)
        flash(str(exc), "error")
        existing = svc.evaluation_for_meeting(meeting_id)
        return redirect(url_for("barometer.evaluation", evaluation_id=existing.id) if existing
                        else url_for("barometer.index"))
    flash(_("Utvärderingen är skapad. Läs igenom påståendena och skicka den sedan till deltagarna från "
            "mötets sida."), "success")
    return redirect(url_for("barometer.evaluation", evaluation_id=evaluation.id))


@bp.get("/utvarderingar/<int:evaluation_id>")
@moderator_required
def evaluation(evaluation_id):
    evaluation = get_evaluation_or_404(evaluation_id, current_user)
    rows = svc.tallies(evaluation)
    figure = charts.likert_figure([(f"{n}. {_short(s.text)}", s, t) for n, s, t in rows])
    return render_template("surveys/barometer/evaluation.html", evaluation=evaluation, rows=rows,
                           answers=svc.answer_count(evaluation), figure=safe_json_text(json.dumps(figure)),
                           can_edit=evaluation.barometer.can_manage(current_user), mean_label=charts.mean_label)


def _short(text, length=60):
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@live_bp.route("/utvardering/<token>", methods=["GET", "POST"])
def evaluation_answer(token):
    evaluation, key = svc.from_token(token)
    if evaluation is None:
        return render_template("surveys/barometer/evaluation_gone.html"), 404
    if svc.already_answered(evaluation, key):
        return render_template("surveys/barometer/evaluation_thanks.html", evaluation=evaluation, again=True)
    form = EmptyForm()
    chosen, comment, error = {}, "", None
    if request.method == "POST":
        chosen = {s.id: request.form.get(f"s-{s.id}", "") for s in evaluation.barometer.statements}
        comment = request.form.get("comment", "")
        if not form.validate_on_submit():
            error = _("Sidan var för gammal. Dina svar finns kvar: skicka igen.")
        else:
            try:
                svc.submit(evaluation, key, svc.parse_answers(evaluation, request.form), comment)
            except svc.AlreadyAnswered:
                return render_template("surveys/barometer/evaluation_thanks.html", evaluation=evaluation,
                                       again=True)
            except svc.EvaluationError as exc:
                db.session.rollback()
                error = str(exc)
            else:
                return redirect(url_for("barometer_live.evaluation_answer", token=token))
    status = 400 if error else 200
    return render_template("surveys/barometer/evaluation_answer.html", evaluation=evaluation, form=form,
                           chosen=chosen, comment=comment, error=error, dont_know=svc.DONT_KNOW), status


# --- panels on dialog's pages (registered in surveys/barometer/__init__.py) ---------------------------

def manage_evaluation_panel(meeting, **_context):
    """Slot "meeting.manage": create the meeting's evaluation, or see how it goes."""
    evaluation = svc.evaluation_for_meeting(meeting.id)
    return Markup(render_template(
        "surveys/barometer/_evaluation_panel.html", meeting=meeting, evaluation=evaluation,
        answers=svc.answer_count(evaluation) if evaluation else 0,
        can_edit=bool(evaluation and evaluation.barometer.can_manage(current_user))))


def series_evaluation_panel(meeting_ids, **_context):
    """Slot "series.stats": the mean of each evaluation statement per meeting of the series, in Plotly."""
    means = svc.series_means(meeting_ids)
    if not means:
        return ""
    figure = charts.series_evaluation_figure(means)
    return Markup(render_template("surveys/barometer/_evaluation_series.html", means=means,
                                  figure=safe_json_text(json.dumps(figure))))

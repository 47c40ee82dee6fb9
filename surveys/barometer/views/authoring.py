"""The moderator builds barometers: statements, their order and copies, and background questions."""
import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.forms import EmptyForm
from surveys.barometer import authoring
from surveys.barometer.access import get_barometer_or_404, get_question_or_404, get_statement_or_404
from surveys.barometer.forms import (
    BackgroundQuestionForm,
    BarometerForm,
    CopyStatementsForm,
    StatementForm,
    session_form,
)
from surveys.barometer.models import BarometerError
from surveys.barometer.sessions import meeting_labels
from surveys.barometer.views import bp, moderator_required

# --- barometers --------------------------------------------------------------------


@bp.get("/")
@moderator_required
def index():
    return render_template("surveys/barometer/index.html", barometers=authoring.barometers_for(current_user))


@bp.route("/ny", methods=["GET", "POST"])
@moderator_required
def new():
    form = BarometerForm()
    if form.validate_on_submit():
        barometer = authoring.create_barometer(current_user, form.title.data, form.description.data,
                                               with_default_questions=form.default_questions.data)
        flash(_("Barometern är skapad. Lägg till påståenden."), "success")
        return redirect(url_for("barometer.detail", barometer_id=barometer.id))
    return render_template("surveys/barometer/form.html", form=form, barometer=None)


@bp.get("/<int:barometer_id>")
@moderator_required
def detail(barometer_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    answered = {s.id for s in barometer.statements if authoring.statement_has_answers(s)}
    return render_template("surveys/barometer/detail.html", barometer=barometer, answered=answered,
                           session_form=session_form(), meeting_labels=meeting_labels(barometer.sessions),
                           questions_locked=authoring.barometer_has_participants(barometer))


@bp.route("/<int:barometer_id>/redigera", methods=["GET", "POST"])
@moderator_required
def edit(barometer_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    form = BarometerForm(obj=barometer)
    del form.default_questions
    if form.validate_on_submit():
        authoring.update_barometer(barometer, form.title.data, form.description.data)
        flash(_("Ändringarna är sparade."), "success")
        return redirect(url_for("barometer.detail", barometer_id=barometer.id))
    return render_template("surveys/barometer/form.html", form=form, barometer=barometer)


@bp.post("/<int:barometer_id>/ta-bort")
@moderator_required
def delete(barometer_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    if EmptyForm().validate_on_submit():
        authoring.delete_barometer(barometer)
        flash(_("Barometern är borttagen."), "success")
    return redirect(url_for("barometer.index"))


# --- statements ----------------------------------------------------------------------

def _statement_page(barometer, form, statement=None):
    return render_template("surveys/barometer/statement_form.html", barometer=barometer, form=form,
                           statement=statement, defaults=json.dumps(form.default_label_hints()))


@bp.route("/<int:barometer_id>/pastaenden/nytt", methods=["GET", "POST"])
@moderator_required
def statement_new(barometer_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    form = StatementForm()
    if request.method == "GET":
        form.fill_labels(authoring.clean_labels(5, []))
    if form.validate_on_submit():
        authoring.add_statement(barometer, form.text.data, form.steps.data, form.labels(),
                                form.allow_dont_know.data)
        flash(_("Påståendet är tillagt."), "success")
        return redirect(url_for("barometer.detail", barometer_id=barometer.id))
    return _statement_page(barometer, form)


@bp.route("/<int:barometer_id>/pastaenden/<int:statement_id>", methods=["GET", "POST"])
@moderator_required
def statement_edit(barometer_id, statement_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    statement = get_statement_or_404(barometer, statement_id)
    form = StatementForm(obj=statement)
    if request.method == "GET":
        form.fill_labels(statement.step_labels)
    if form.validate_on_submit():
        try:
            authoring.update_statement(statement, form.text.data, form.steps.data, form.labels(),
                                       form.allow_dont_know.data)
        except BarometerError as exc:
            form.text.errors.append(str(exc))
        else:
            flash(_("Påståendet är sparat."), "success")
            return redirect(url_for("barometer.detail", barometer_id=barometer.id))
    return _statement_page(barometer, form, statement)


@bp.post("/<int:barometer_id>/pastaenden/<int:statement_id>/<any(upp, ned):direction>")
@moderator_required
def statement_move(barometer_id, statement_id, direction):
    barometer = get_barometer_or_404(barometer_id, current_user)
    statement = get_statement_or_404(barometer, statement_id)
    if EmptyForm().validate_on_submit():
        authoring.move_statement(statement, -1 if direction == "upp" else 1)
    return redirect(url_for("barometer.detail", barometer_id=barometer.id) + f"#statement-{statement.id}")


@bp.post("/<int:barometer_id>/pastaenden/<int:statement_id>/ta-bort")
@moderator_required
def statement_delete(barometer_id, statement_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    statement = get_statement_or_404(barometer, statement_id)
    if EmptyForm().validate_on_submit():
        try:
            authoring.delete_statement(statement)
            flash(_("Påståendet är borttaget."), "success")
        except BarometerError as exc:
            flash(str(exc), "error")
    return redirect(url_for("barometer.detail", barometer_id=barometer.id))


@bp.route("/<int:barometer_id>/kopiera", methods=["GET", "POST"])
@moderator_required
def copy(barometer_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    candidates = authoring.copyable_statements(current_user, barometer)
    form = CopyStatementsForm()
    form.statements.choices = [(s.id, s.text) for s in candidates]
    if form.validate_on_submit():
        chosen = [s for s in candidates if s.id in set(form.statements.data)]
        authoring.copy_statements(barometer, chosen)
        flash(_("%(n)d påståenden är kopierade.", n=len(chosen)), "success")
        return redirect(url_for("barometer.detail", barometer_id=barometer.id))
    return render_template("surveys/barometer/copy.html", barometer=barometer, form=form, candidates=candidates)


# --- background questions ---------------------------------------------------------------

@bp.route("/<int:barometer_id>/bakgrundsfragor/ny", methods=["GET", "POST"])
@bp.route("/<int:barometer_id>/bakgrundsfragor/<int:question_id>", methods=["GET", "POST"])
@moderator_required
def question_edit(barometer_id, question_id=None):
    barometer = get_barometer_or_404(barometer_id, current_user)
    question = get_question_or_404(barometer, question_id) if question_id else None
    form = BackgroundQuestionForm(obj=question)
    if request.method == "GET" and question is not None:
        form.options.data = "\n".join(o["label"] for o in question.options)
    if form.validate_on_submit():
        try:
            authoring.save_background_question(barometer, form.text.data, form.option_lines(),
                                               form.allow_decline.data, question=question)
        except BarometerError as exc:
            form.options.errors.append(str(exc))
        else:
            flash(_("Bakgrundsfrågan är sparad."), "success")
            return redirect(url_for("barometer.detail", barometer_id=barometer.id) + "#bakgrund")
    return render_template("surveys/barometer/question_form.html", barometer=barometer, form=form,
                           question=question)


@bp.post("/<int:barometer_id>/bakgrundsfragor/<int:question_id>/ta-bort")
@moderator_required
def question_delete(barometer_id, question_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    question = get_question_or_404(barometer, question_id)
    if EmptyForm().validate_on_submit():
        try:
            authoring.delete_background_question(question)
            flash(_("Bakgrundsfrågan är borttagen."), "success")
        except BarometerError as exc:
            flash(str(exc), "error")
    return redirect(url_for("barometer.detail", barometer_id=barometer.id) + "#bakgrund")

"""Pages: the moderator's barometers and live controls under /barometrar, the presenter screen,
and the participants' /delta and /<code> pages."""
import io
import json
from datetime import date

import segno
from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BaseConverter

from core import ratelimit
from core.access import role_required
from core.charts import safe_json_text
from core.exports import csv_response, xlsx_response
from core.extensions import db, limiter
from core.forms import EmptyForm
from core.models import Role
from core.templating import local_date
from surveys.barometer import charts, services, streams
from surveys.barometer.forms import (
    BackgroundQuestionForm,
    BarometerForm,
    CopyStatementsForm,
    JoinCodeForm,
    SessionForm,
    StatementForm,
)
from surveys.barometer.models import (
    JOIN_CODE_REGEX,
    BackgroundQuestion,
    Barometer,
    LiveSession,
    Statement,
    TransitionError,
)

bp = Blueprint("barometer", __name__, url_prefix="/barometrar")
live_bp = Blueprint("barometer_live", __name__)


class JoinCodeConverter(BaseConverter):
    """Six letters or digits. The site's own routes are static and always win over this one; a code typed
    in lower case is sent on to its upper-case address by the view."""

    regex = JOIN_CODE_REGEX


# --- lookup helpers: every view gets its object through one of these ---------------

def get_barometer_or_404(barometer_id, for_user):
    barometer = db.session.get(Barometer, barometer_id)
    if barometer is None:
        abort(404)
    if not barometer.can_manage(for_user):
        abort(403)
    return barometer


def get_statement_or_404(barometer, statement_id):
    statement = db.session.get(Statement, statement_id)
    if statement is None or statement.barometer_id != barometer.id:
        abort(404)
    return statement


def get_question_or_404(barometer, question_id):
    question = db.session.get(BackgroundQuestion, question_id)
    if question is None or question.barometer_id != barometer.id:
        abort(404)
    return question


def get_session_or_404(session_id, for_user, public_if_shown=False):
    """The live session, for its barometer's owner or an administrator; with public_if_shown,
    also for anyone once the moderator has published the results of an ended session."""
    session = db.session.get(LiveSession, session_id)
    if session is None:
        abort(404)
    if session.barometer.can_manage(for_user):
        return session
    if public_if_shown and session.ended and session.results_shown:
        return session
    if not for_user.is_authenticated:
        from core.extensions import login_manager

        abort(login_manager.unauthorized())
    abort(403)


moderator_required = role_required(Role.MODERATOR)


# --- barometers --------------------------------------------------------------------

@bp.get("/")
@moderator_required
def index():
    return render_template("surveys/barometer/index.html", barometers=services.barometers_for(current_user))


@bp.route("/ny", methods=["GET", "POST"])
@moderator_required
def new():
    form = BarometerForm()
    if form.validate_on_submit():
        barometer = services.create_barometer(current_user, form.title.data, form.description.data,
                                              with_default_questions=form.default_questions.data)
        flash(_("Barometern är skapad. Lägg till påståenden."), "success")
        return redirect(url_for("barometer.detail", barometer_id=barometer.id))
    return render_template("surveys/barometer/form.html", form=form, barometer=None)


@bp.get("/<int:barometer_id>")
@moderator_required
def detail(barometer_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    answered = {s.id for s in barometer.statements if services.statement_has_answers(s)}
    return render_template("surveys/barometer/detail.html", barometer=barometer, answered=answered,
                           session_form=_session_form(), questions_locked=services.barometer_has_participants(barometer))


@bp.route("/<int:barometer_id>/redigera", methods=["GET", "POST"])
@moderator_required
def edit(barometer_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    form = BarometerForm(obj=barometer)
    del form.default_questions
    if form.validate_on_submit():
        services.update_barometer(barometer, form.title.data, form.description.data)
        flash(_("Ändringarna är sparade."), "success")
        return redirect(url_for("barometer.detail", barometer_id=barometer.id))
    return render_template("surveys/barometer/form.html", form=form, barometer=barometer)


@bp.post("/<int:barometer_id>/ta-bort")
@moderator_required
def delete(barometer_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    if EmptyForm().validate_on_submit():
        services.delete_barometer(barometer)
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
        form.fill_labels(services.clean_labels(5, []))
    if form.validate_on_submit():
        services.add_statement(barometer, form.text.data, form.steps.data, form.labels(), form.allow_dont_know.data)
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
            services.update_statement(statement, form.text.data, form.steps.data, form.labels(),
                                      form.allow_dont_know.data)
        except services.StatementLocked as exc:
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
        services.move_statement(statement, -1 if direction == "upp" else 1)
    return redirect(url_for("barometer.detail", barometer_id=barometer.id) + f"#statement-{statement.id}")


@bp.post("/<int:barometer_id>/pastaenden/<int:statement_id>/ta-bort")
@moderator_required
def statement_delete(barometer_id, statement_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    statement = get_statement_or_404(barometer, statement_id)
    if EmptyForm().validate_on_submit():
        try:
            services.delete_statement(statement)
            flash(_("Påståendet är borttaget."), "success")
        except services.StatementLocked as exc:
            flash(str(exc), "error")
    return redirect(url_for("barometer.detail", barometer_id=barometer.id))


@bp.route("/<int:barometer_id>/kopiera", methods=["GET", "POST"])
@moderator_required
def copy(barometer_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    candidates = services.copyable_statements(current_user, barometer)
    form = CopyStatementsForm()
    form.statements.choices = [(s.id, s.text) for s in candidates]
    if form.validate_on_submit():
        chosen = [s for s in candidates if s.id in set(form.statements.data)]
        services.copy_statements(barometer, chosen)
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
            services.save_background_question(barometer, form.text.data, form.option_lines(),
                                              form.allow_decline.data, question=question)
        except (services.StatementLocked, ValueError) as exc:
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
            services.delete_background_question(question)
            flash(_("Bakgrundsfrågan är borttagen."), "success")
        except services.StatementLocked as exc:
            flash(str(exc), "error")
    return redirect(url_for("barometer.detail", barometer_id=barometer.id) + "#bakgrund")


# --- live sessions: start, control, presenter ------------------------------------------------

@bp.post("/<int:barometer_id>/sessioner")
@moderator_required
def session_new(barometer_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    form = _session_form()
    if form.validate_on_submit():
        try:
            session = services.start_session(barometer, current_user, form.name.data, meeting_id=form.meeting.data)
        except TransitionError as exc:
            flash(str(exc.message), "error")
            return redirect(url_for("barometer.detail", barometer_id=barometer.id))
        flash(_("Sessionen är startad. Deltagarna går med med koden %(code)s.", code=session.code), "success")
        return redirect(url_for("barometer.control", session_id=session.id))
    if form.meeting.errors:
        flash(_("Välj ett möte i listan."), "error")
    else:
        flash(_("Namnet är för långt (högst 200 tecken)."), "error")
    return redirect(url_for("barometer.detail", barometer_id=barometer.id))


def _session_form():
    form = SessionForm()
    form.meeting.choices = [(0, _("Inget möte"))] + [
        (m.id, f"{local_date(m.starts_at)} – {m.title}") for m in services.meeting_choices()
    ]
    return form


def join_url(session):
    return url_for("barometer_live.participant", code=session.code, _external=True)


def _initial(session):
    counts, state = services.presenter_counts(session), _presenter_state(session)
    return counts, state, safe_json_text(json.dumps({"counts": counts, "state": state}, default=str))


def _presenter_state(session):
    state = services.session_state(session, include_results=False)
    state.update(session_id=session.id, results_shown=session.results_shown,
                 participants=services.participant_count(session))
    return state


@bp.get("/sessioner/<int:session_id>")
@moderator_required
def control(session_id):
    session = get_session_or_404(session_id, current_user)
    counts, state, initial = _initial(session)
    return render_template("surveys/barometer/control.html", session=session, barometer=session.barometer,
                           join_url=join_url(session), counts=counts, state=state, initial=initial)


@bp.post("/sessioner/<int:session_id>/<any(open, close, show, hide, next, prev, end, goto):action>")
@moderator_required
def action(session_id, action):
    session = get_session_or_404(session_id, current_user)
    wants_json = request.accept_mimetypes.best == "application/json"
    form = EmptyForm()
    if not form.validate_on_submit():
        if wants_json:
            return jsonify(error="csrf", message=_("Sidan var för gammal. Ladda om och försök igen.")), 400
        flash(_("Sidan var för gammal. Försök igen."), "error")
        return redirect(url_for("barometer.control", session_id=session.id))
    statement_id = request.form.get("statement_id", type=int)
    try:
        services.session_action(session, action, statement_id=statement_id)
    except TransitionError as exc:
        db.session.rollback()
        if wants_json:
            return jsonify(error=exc.code, message=str(exc.message)), 409
        flash(str(exc.message), "error")
        return redirect(url_for("barometer.control", session_id=session.id))
    if wants_json:
        return jsonify(_presenter_state(session))
    if action == "end":
        flash(_("Sessionen är avslutad."), "success")
        return redirect(url_for("barometer.results", session_id=session.id))
    return redirect(url_for("barometer.control", session_id=session.id))


@bp.post("/sessioner/<int:session_id>/publicera/<any(ja, nej):shown>")
@moderator_required
def publish(session_id, shown):
    session = get_session_or_404(session_id, current_user)
    if EmptyForm().validate_on_submit():
        services.publish_results(session, shown == "ja")
        flash(_("Resultaten visas nu för alla med koden.") if shown == "ja"
              else _("Resultaten visas inte längre för deltagarna."), "success")
    return redirect(url_for("barometer.results", session_id=session.id))


@bp.get("/sessioner/<int:session_id>/visning")
@moderator_required
def presenter(session_id):
    session = get_session_or_404(session_id, current_user)
    counts, state, initial = _initial(session)
    return render_template("surveys/barometer/presenter.html", session=session, barometer=session.barometer,
                           join_url=join_url(session), counts=counts, state=state, initial=initial)


@bp.get("/sessioner/<int:session_id>/strom")
@moderator_required
def presenter_events(session_id):
    session = get_session_or_404(session_id, current_user)
    session_id = session.id
    if not streams.streams_are_cheap():
        # A stream would hold a thread of a fixed pool: the page polls live.json instead.
        return jsonify(error="busy", message=_("Servern tar inte emot strömmar. Sidan frågar i stället.")), 503

    def load_state():
        return _presenter_state(db.session.get(LiveSession, session_id))

    def load_counts():
        return services.presenter_counts(db.session.get(LiveSession, session_id))

    return streams.presenter_stream(session_id, load_state, load_counts)


@bp.get("/sessioner/<int:session_id>/live.json")
@moderator_required
def presenter_poll(session_id):
    """The presenter's fallback when its stream breaks: the same two payloads as the stream."""
    session = get_session_or_404(session_id, current_user)
    return jsonify(state=_presenter_state(session), counts=services.presenter_counts(session))


@bp.get("/sessioner/<int:session_id>/qr.svg")
@moderator_required
def qr(session_id):
    session = get_session_or_404(session_id, current_user)
    out = io.BytesIO()
    segno.make(join_url(session), error="m").save(out, kind="svg", scale=10, border=2, xmldecl=False,
                                                    title=_("QR-kod för att gå med"))
    out.seek(0)
    response = send_file(out, mimetype="image/svg+xml", max_age=3600)
    return response


# --- results -------------------------------------------------------------------------------

def _results_rows(session):
    return [(f"{number}. {_short(statement.text)}", statement, tally)
            for number, statement, tally in services.results(session)]


def _short(text, length=60):
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@bp.get("/sessioner/<int:session_id>/resultat")
def results(session_id):
    session = get_session_or_404(session_id, current_user, public_if_shown=True)
    rows = services.results(session)
    figure = charts.likert_figure(_results_rows(session))
    others = services.comparable_sessions(session)
    other = None
    compare_figures = []
    other_id = request.args.get("jamfor", type=int)
    if other_id:
        other = next((s for s in others if s.id == other_id), None)
        if other is None:
            flash(_("Den sessionen går inte att jämföra med."), "error")
    if other is not None:
        mine = dict((s.id, t) for _n, s, t in rows)
        theirs = dict((s.id, t) for _n, s, t in services.results(other))
        for number, statement, _tally in rows:
            figure_rows = [(session.display_name, statement, mine[statement.id]),
                           (other.display_name, statement, theirs[statement.id])]
            compare_figures.append((number, statement, mine[statement.id], theirs[statement.id],
                                    safe_json_text(json.dumps(charts.likert_figure(figure_rows, height=240)))))
    can_manage = session.barometer.can_manage(current_user)
    return render_template(
        "surveys/barometer/results.html", session=session, barometer=session.barometer, rows=rows,
        figure=safe_json_text(json.dumps(figure)), breakdown=services.breakdown(session),
        participants=services.participant_count(session), others=others if can_manage else [],
        other=other, compare_figures=compare_figures, can_manage=can_manage, mean_label=charts.mean_label,
    )


def _export_name(session, ext):
    return f"barometer-{session.code}-{date.today().isoformat()}.{ext}"


@bp.get("/sessioner/<int:session_id>/resultat.csv")
@moderator_required
def export_csv(session_id):
    session = get_session_or_404(session_id, current_user)
    header, rows = services.export_rows(session)
    return csv_response(_export_name(session, "csv"), header, rows)


@bp.get("/sessioner/<int:session_id>/resultat.xlsx")
@moderator_required
def export_xlsx(session_id):
    session = get_session_or_404(session_id, current_user)
    header, rows = services.export_rows(session)
    answer_header, answer_rows = services.export_answer_rows(session)
    return xlsx_response(_export_name(session, "xlsx"),
                         [(_("Resultat"), header, rows), (_("Svar"), answer_header, answer_rows)])


# --- participants ----------------------------------------------------------------------------

# Codes must not be guessable by brute force, yet a whole venue shares one address: only the codes
# that lead nowhere count against an address (per process, see core/ratelimit.py).
def _miss_key():
    return "ip:" + (request.remote_addr or "")


def _too_many_misses():
    return not ratelimit.allowed("LIVE_CODE_MISS_LIMIT", "300 per minute", "live-miss", _miss_key())


def _count_miss():
    ratelimit.hit("LIVE_CODE_MISS_LIMIT", "300 per minute", "live-miss", _miss_key())


@live_bp.route("/delta", methods=["GET", "POST"])
@limiter.exempt
def join_code():
    form = JoinCodeForm()
    if request.method == "POST" and _too_many_misses():
        abort(429)
    if form.validate_on_submit():
        code = services.normalise_code(form.code.data)
        if services.get_session_by_code(code) is not None:
            return redirect(url_for("barometer_live.participant", code=code))
        _count_miss()
        form.code.errors.append(_("Vi hittar ingen session med koden %(code)s. Kontrollera koden på skärmen "
                                  "och försök igen.", code=code))
    status = 404 if form.code.errors and request.method == "POST" else 200
    return render_template("surveys/barometer/join_code.html", form=form), status


@live_bp.get("/<joincode:code>")
@limiter.exempt
def participant(code):
    if _too_many_misses():
        abort(429)
    if code != code.upper():
        if services.get_session_by_code(code.upper()) is None:
            _count_miss()
            abort(404)  # not a code, or not a live one: the ordinary "page not found"
        return redirect(url_for("barometer_live.participant", code=code.upper()))
    session = services.get_session_by_code(code)
    if session is None:
        _count_miss()
        form = JoinCodeForm(data={"code": code})
        form.code.errors = [_("Vi hittar ingen session med koden %(code)s. Kontrollera koden på skärmen och "
                              "försök igen.", code=code)]
        return render_template("surveys/barometer/join_code.html", form=form), 404
    questions = [q.as_json() for q in session.barometer.background_questions]
    return render_template("surveys/barometer/participant.html", session=session, barometer=session.barometer,
                           questions=questions)

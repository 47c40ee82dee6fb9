"""The moderator runs a live session: start it, control it, the presenter screen and its stream,
and the panels that list a meeting's sessions on dialog's pages."""
import io
import json

import segno
from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from core.charts import safe_json_text
from core.errors import json_error
from core.extensions import db
from core.forms import EmptyForm
from surveys.barometer import results, sessions, streams
from surveys.barometer.access import get_barometer_or_404, get_session_or_404
from surveys.barometer.forms import session_form
from surveys.barometer.models import LiveSession, TransitionError
from surveys.barometer.views import bp, moderator_required


@bp.post("/<int:barometer_id>/sessioner")
@moderator_required
def session_new(barometer_id):
    barometer = get_barometer_or_404(barometer_id, current_user)
    form = session_form()
    if form.validate_on_submit():
        try:
            session = sessions.start_session(barometer, current_user, form.name.data, meeting_id=form.meeting.data)
        except TransitionError as exc:
            flash(str(exc), "error")
            return redirect(url_for("barometer.detail", barometer_id=barometer.id))
        flash(_("Sessionen är startad. Deltagarna går med med koden %(code)s.", code=session.code), "success")
        return redirect(url_for("barometer.control", session_id=session.id))
    if form.meeting.errors:
        flash(_("Välj ett möte i listan."), "error")
    else:
        flash(_("Namnet är för långt (högst 200 tecken)."), "error")
    return redirect(url_for("barometer.detail", barometer_id=barometer.id))


def join_url(session):
    return url_for("barometer_live.participant", code=session.code, _external=True)


def _initial(session):
    counts, state = results.presenter_counts(session), _presenter_state(session)
    return counts, state, safe_json_text(json.dumps({"counts": counts, "state": state}, default=str))


def _presenter_state(session):
    state = sessions.session_state(session, include_results=False)
    state.update(session_id=session.id, results_shown=session.results_shown,
                 participants=results.participant_count(session))
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
            return json_error(400, "csrf", _("Sidan var för gammal. Ladda om och försök igen."))
        flash(_("Sidan var för gammal. Försök igen."), "error")
        return redirect(url_for("barometer.control", session_id=session.id))
    statement_id = request.form.get("statement_id", type=int)
    try:
        sessions.session_action(session, action, statement_id=statement_id)
    except TransitionError as exc:
        db.session.rollback()
        if wants_json:
            return exc.to_json()
        flash(str(exc), "error")
        return redirect(url_for("barometer.control", session_id=session.id))
    if wants_json:
        return _presenter_state(session)
    if action == "end":
        flash(_("Sessionen är avslutad."), "success")
        return redirect(url_for("barometer.results", session_id=session.id))
    return redirect(url_for("barometer.control", session_id=session.id))


@bp.post("/sessioner/<int:session_id>/publicera/<any(ja, nej):shown>")
@moderator_required
def publish(session_id, shown):
    session = get_session_or_404(session_id, current_user)
    if EmptyForm().validate_on_submit():
        sessions.publish_results(session, shown == "ja")
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

    def load_state():
        return _presenter_state(db.session.get(LiveSession, session_id))

    def load_counts():
        return results.presenter_counts(db.session.get(LiveSession, session_id))

    return streams.presenter_stream(session_id, load_state, load_counts)


@bp.get("/sessioner/<int:session_id>/live.json")
@moderator_required
def presenter_poll(session_id):
    """The presenter's fallback when its stream breaks: the same two payloads as the stream."""
    session = get_session_or_404(session_id, current_user)
    return {"state": _presenter_state(session), "counts": results.presenter_counts(session)}


@bp.get("/sessioner/<int:session_id>/qr.svg")
@moderator_required
def qr(session_id):
    session = get_session_or_404(session_id, current_user)
    out = io.BytesIO()
    segno.make(join_url(session), error="m").save(out, kind="svg", scale=10, border=2, xmldecl=False,
                                                    title=_("QR-kod för att gå med"))
    out.seek(0)
    return send_file(out, mimetype="image/svg+xml", max_age=3600)


# --- panels on dialog's meeting pages (registered in surveys/barometer/__init__.py) ----------

def public_meeting_panel(meeting, **_context):
    """Slot "meeting.public": the sessions run at the meeting whose results are shown."""
    found = sessions.sessions_for_meeting(meeting.id, public_only=True)
    return Markup(render_template("surveys/barometer/_meeting_panel.html", sessions=found)) if found else ""


def manage_meeting_panel(meeting, **_context):
    """Slot "meeting.manage": every session run at the meeting, for its organisers."""
    found = sessions.sessions_for_meeting(meeting.id)
    return Markup(render_template("surveys/barometer/_meeting_panel.html", sessions=found)) if found else ""

"""The participants' phone pages: type a join code (/delta) and the live page (/<code>); they answer
through the JSON API (api.py)."""
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.extensions import limiter
from surveys.barometer.access import get_session_by_code, normalise_code
from surveys.barometer.forms import JoinCodeForm
from surveys.barometer.views import live_bp


def _join_limit():
    # Codes must not be guessable by brute force, yet a whole venue may share one address.
    return current_app.config.get("LIVE_JOIN_LIMIT", "300 per minute")


@live_bp.route("/delta", methods=["GET", "POST"])
@limiter.limit(_join_limit, methods=["POST"])
def join_code():
    form = JoinCodeForm()
    if form.validate_on_submit():
        code = normalise_code(form.code.data)
        if get_session_by_code(code) is not None:
            return redirect(url_for("barometer_live.participant", code=code))
        form.code.errors.append(_("Vi hittar ingen session med koden %(code)s. Kontrollera koden på skärmen "
                                  "och försök igen.", code=code))
    status = 404 if form.code.errors and request.method == "POST" else 200
    return render_template("surveys/barometer/join_code.html", form=form), status


@live_bp.get("/<joincode:code>")
@limiter.limit(_join_limit)
def participant(code):
    if code != code.upper():
        if get_session_by_code(code.upper()) is None:
            abort(404)  # not a code, or not a live one: the ordinary "page not found"
        return redirect(url_for("barometer_live.participant", code=code.upper()))
    session = get_session_by_code(code)
    if session is None:
        form = JoinCodeForm(data={"code": code})
        form.code.errors = [_("Vi hittar ingen session med koden %(code)s. Kontrollera koden på skärmen och "
                              "försök igen.", code=code)]
        return render_template("surveys/barometer/join_code.html", form=form), 404
    questions = [q.as_json() for q in session.barometer.background_questions]
    return render_template("surveys/barometer/participant.html", session=session, barometer=session.barometer,
                           questions=questions)

"""The home page, language choice, health check and the administrators' view of the mail queue."""
import os

import plotly
import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import outbox
from core.access import role_required
from core.auth.views import safe_next
from core.extensions import db
from core.forms import EmptyForm
from core.models import OutboxMessage, OutboxStatus, Role
from core.organisations.services import count_to_review
from core.registry import add_home_section, add_nav_item

bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    return render_template("core/home.html", sections=current_app.extensions.get("samrad_home_sections", []))


@bp.route("/sprak/<code>", methods=["POST"])
def set_language(code):
    form = EmptyForm()
    if form.validate_on_submit() and code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.language = code
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("core.home"))


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database=database)


@bp.route("/admin/e-post")
@role_required(Role.ADMIN)
def mail_queue():
    """The outbox for administrators: how much waits, what failed and why."""
    return render_template("core/mail_queue.html", counts=outbox.counts(), rows=outbox.unsent(),
                           labels=OutboxStatus.LABELS, empty_form=EmptyForm())


@bp.route("/admin/e-post/<int:message_id>/forsok-igen", methods=["POST"])
@role_required(Role.ADMIN)
def retry_mail(message_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    row = db.session.get(OutboxMessage, message_id)
    if row is None:
        abort(404)
    outbox.retry(row)
    db.session.commit()
    flash(_("Meddelandet till %(to)s ligger i kön igen.", to=row.to_address), "success")
    return redirect(url_for("core.mail_queue"))


def init_nav(app):
    add_nav_item(app, "organisations.index", _l("Organisationer"),
                 roles=(Role.ADMIN, Role.MODERATOR, Role.SKRIVARGRUPP), order=80)
    add_nav_item(app, "auth.users", _l("Användare"), roles=(Role.ADMIN,), order=90)
    add_nav_item(app, "audit.index", _l("Logg"), roles=(Role.ADMIN,), order=95)


    add_nav_item(app, "core.mail_queue", _l("E-postkö"), roles=(Role.ADMIN,), order=96)
    # Administrators see on the home page when organisations suggested by others wait for review.
    app.add_template_global(count_to_review, "organisations_to_review")
    add_home_section(app, "core/organisations/_home.html", order=10)


@bp.route("/static/vendor/plotly.min.js")
def plotly_js():
    """plotly.js from the pinned plotly package: same version as the Python side, no CDN."""
    path = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
    return send_file(path, mimetype="text/javascript", max_age=60 * 60 * 24 * 30)

"""Login, logout, password and invitation pages, user administration and personal API tokens."""
import secrets
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from core.access import role_required
from core.auth import services
from core.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    ResetRequestForm,
    SetPasswordForm,
    TokenForm,
    UserForm,
)
from core.extensions import db, limiter
from core.forms import EmptyForm
from core.models import ApiToken, Organisation, Role, User

bp = Blueprint("auth", __name__)


def safe_next(target):
    """Only a path on this site: no scheme, no host, no '//' or backslash tricks."""
    if not target or "\\" in target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _reset_limit():
    return current_app.config["RESET_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("core.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.AuthError as exc:
            error = str(exc)
        else:
            services.start_session(user, remember=form.remember.data)
            return redirect(next_url or url_for("core.home"))
    return render_template("core/auth/login.html", form=form, error=error, next_url=next_url), (
        401 if error else 200
    )


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            # A copied session or remember-me cookie must not outlive the logout.
            user = current_user._get_current_object()
            user.session_token = secrets.token_hex(16)
            db.session.commit()
        logout_user()
        session.clear()
        flash(_("Du är utloggad."), "info")
    return redirect(url_for("core.home"))


@bp.route("/konto", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm(current_user)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        user.set_password(form.password.data)
        db.session.commit()
        services.start_session(user)
        flash(_("Ditt lösenord är ändrat."), "success")
        return redirect(url_for("auth.account"))
    tokens = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template("core/auth/account.html", form=form, tokens=tokens, token_form=TokenForm())


@bp.route("/konto/nycklar", methods=["POST"])
@login_required
def create_token():
    form = TokenForm()
    if form.validate_on_submit():
        _, raw = services.create_api_token(current_user, form.name.data.strip())
        tokens = db.session.scalars(
            sa.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
        ).all()
        return render_template("core/auth/account.html", form=ChangePasswordForm(current_user), tokens=tokens,
                               token_form=TokenForm(formdata=None), new_token=raw)
    flash(_("Ge nyckeln ett namn."), "error")
    return redirect(url_for("auth.account"))


@bp.route("/konto/nycklar/<int:token_id>/aterkalla", methods=["POST"])
@login_required
def revoke_token(token_id):
    token = db.get_or_404(ApiToken, token_id)
    if token.user_id != current_user.id and not current_user.is_admin:
        abort(404)
    if EmptyForm().validate_on_submit():
        services.revoke_api_token(token)
        flash(_("Nyckeln är återkallad."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/glomt-losenord", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def forgot_password():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        # The same answer whether or not the address has an account.
        return render_template("core/auth/reset_sent.html", email=form.email.data)
    return render_template("core/auth/forgot.html", form=form)


def _set_password_page(token, purpose, max_age, template):
    user = services.user_from_link_token(token, purpose, max_age)
    if user is None:
        return render_template("core/auth/link_invalid.html", purpose=purpose), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        user.failed_logins = 0
        user.locked_until = None
        db.session.commit()
        services.start_session(user)
        flash(_("Ditt lösenord är sparat. Välkommen!"), "success")
        return redirect(url_for("core.home"))
    return render_template(template, form=form, user=user)


@bp.route("/aterstall/<token>", methods=["GET", "POST"])
def reset_password(token):
    return _set_password_page(token, "reset", current_app.config["TOKEN_MAX_AGE_SECONDS"], "core/auth/reset.html")


@bp.route("/inbjudan/<token>", methods=["GET", "POST"])
def accept_invite(token):
    return _set_password_page(token, "invite", current_app.config["INVITE_MAX_AGE_SECONDS"], "core/auth/invite.html")


# --- user administration ----------------------------------------------------

def _organisation_choices():
    return [(o.id, o.name) for o in db.session.scalars(sa.select(Organisation).order_by(Organisation.name))]


@bp.route("/admin/anvandare")
@role_required(Role.ADMIN)
def users():
    rows = db.session.scalars(sa.select(User).order_by(User.email)).all()
    return render_template("core/auth/users.html", users=rows, Role=Role)


@bp.route("/admin/anvandare/ny", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def invite():
    form = UserForm()
    form.organisations.choices = _organisation_choices()
    if form.validate_on_submit():
        if services.get_user_by_email(form.email.data):
            form.email.errors.append(_("Det finns redan ett konto med den e-postadressen."))
        else:
            user = services.invite_user(form.email.data, form.name.data, form.roles.data,
                                        form.organisations.data, invited_by=current_user)
            flash(_("En inbjudan har skickats till %(email)s.", email=user.email), "success")
            return redirect(url_for("auth.users"))
    return render_template("core/auth/user_form.html", form=form, user=None)


@bp.route("/admin/anvandare/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_user(user_id):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user if request.method == "GET" else None)
    form.organisations.choices = _organisation_choices()
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
        form.organisations.data = sorted(user.organisation_ids)
        form.active.data = user.active
    if form.validate_on_submit():
        services.update_user(user, form.name.data, form.roles.data, form.organisations.data, form.active.data)
        flash(_("Användaren är sparad."), "success")
        return redirect(url_for("auth.users"))
    return render_template("core/auth/user_form.html", form=form, user=user)


@bp.route("/admin/anvandare/<int:user_id>/skicka-inbjudan", methods=["POST"])
@role_required(Role.ADMIN)
def resend_invite(user_id):
    user = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        services.send_invitation(user, current_user)
        flash(_("En ny inbjudan har skickats till %(email)s.", email=user.email), "success")
    return redirect(url_for("auth.edit_user", user_id=user.id))

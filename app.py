"""Samråd's application factory."""
import os

from flask import Flask


def create_app(config=None):
    """Build the app: configuration, extensions, blueprints, error pages and CLI."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)

    from core.config import ConfigError, check_production, load_config, trusted_hosts
    from core.database import engine_options

    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    try:
        check_production(app.config)
    except ConfigError as exc:
        # One line on the console instead of a traceback: the operator has one thing to fix.
        raise SystemExit(f"Samråd will not start: {exc}") from None
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    if app.config.get("TRUSTED_PROXIES"):
        # Behind nginx or Caddy: the visitor's address (rate limits), https and host come from the proxy's
        # X-Forwarded-* headers, trusted only from that many proxies in front.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from core import cli, errors, extensions, mail, security
    from core.i18n import select_locale
    from core.models import User

    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=os.path.join(app.root_path, "migrations"))
    extensions.csrf.init_app(app)
    extensions.babel.init_app(app, locale_selector=select_locale)
    extensions.limiter.init_app(app)
    login = extensions.login_manager
    login.init_app(app)
    login.login_view = "auth.login"
    login.login_message_category = "info"

    from flask_babel import lazy_gettext as _l

    login.login_message = _l("Logga in för att fortsätta.")

    @login.user_loader
    def load_user(session_id):
        user_id, _, token = session_id.partition(".")
        if not user_id.isdigit():
            return None
        user = extensions.db.session.get(User, int(user_id))
        if user is None or user.session_token != token:
            return None
        return user

    from core.audit.views import bp as audit_bp
    from core.auth.views import bp as auth_bp
    from core.organisations.views import bp as organisations_bp
    from core.templating import init_app as init_templating
    from core.views import bp as core_bp
    from core.views import init_nav

    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(organisations_bp)
    init_nav(app)

    import core.agreements

    core.agreements.init_app(app)

    import dialog
    import surveys

    dialog.init_app(app)
    surveys.init_app(app)

    init_templating(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    mail.init_app(app)
    if app.config["GC_FREEZE"] and not app.testing:
        # Last, with everything loaded; not in tests, which build an app per test.
        from core.gc_freeze import freeze_loaded_objects

        freeze_loaded_objects()
    return app

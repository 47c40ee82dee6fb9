"""Jinja filters and the values every template sees (navigation, languages, forms for buttons)."""
from datetime import UTC, date, datetime

from flask import current_app, request
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from core import registry
from core.forms import EmptyForm
from core.models import Role


def local_datetime(value, fmt="short"):
    """Format a naive-UTC timestamp in Europe/Stockholm."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return format_datetime(value, fmt)
    if isinstance(value, date):
        return format_date(value, fmt)
    return str(value)


def local_date(value, fmt="medium"):
    """A date, or the Stockholm date of a naive-UTC timestamp."""
    if isinstance(value, datetime):
        return local_datetime(value, "d MMM y" if fmt == "medium" else fmt)
    return format_date(value, fmt) if value is not None else ""


def nav_items():
    items = sorted(current_app.extensions.get("samrad_nav", []), key=lambda i: i["order"])
    visible = []
    for item in items:
        roles = item["roles"]
        if roles is None:
            visible.append(item)
        elif current_user.is_authenticated and (not roles or current_user.has_role(*roles)):
            visible.append(item)
    return visible


def role_label(role):
    return Role.LABELS.get(role, role)


def init_app(app):
    app.add_template_filter(role_label, "role_label")
    app.add_template_filter(local_datetime, "datetime")
    app.add_template_filter(local_date, "date")
    # A global, not a context value: the button macro works even when imported without context.
    app.add_template_global(EmptyForm, "button_form")

    @app.context_processor
    def inject():
        return {
            "nav_items": nav_items,
            "languages": current_app.config["LANGUAGES"],
            "current_locale": str(get_locale() or "sv"),
            "current_path": request.full_path.rstrip("?") if request else "/",
            "panels": lambda slot, **context: registry.render_panels(current_app, slot, **context),
        }

"""Where blueprints plug into the shared layout, demo data and organisation merge.

Each blueprint calls these from its init_app(app), so core never imports a blueprint.
"""
from markupsafe import Markup


def add_nav_item(app, endpoint, label, roles=None, order=50):
    """A link in the main navigation.

    roles=None: everyone sees it; roles=(): any logged-in user; roles=("moderator", ...): those roles
    (administrators see everything).
    """
    app.extensions.setdefault("samrad_nav", []).append(
        {"endpoint": endpoint, "label": label, "roles": roles, "order": order}
    )


def add_home_section(app, template, order=50):
    """A partial template included on the home page (it decides itself what the user may see)."""
    app.extensions.setdefault("samrad_home_sections", []).append({"template": template, "order": order})
    app.extensions["samrad_home_sections"].sort(key=lambda s: s["order"])


def add_demo_seeder(app, func, order=50):
    """func() loads demo data idempotently; called by `flask seed-demo` after core's own data."""
    app.extensions.setdefault("samrad_seeders", []).append((order, func))


def add_organisation_merge_hook(app, func):
    """func(keep, drop) moves the blueprint's rows from organisation `drop` to `keep`
    before `drop` is deleted; it must resolve its own unique-constraint clashes."""
    app.extensions.setdefault("samrad_org_merge_hooks", []).append(func)


def add_panel(app, slot, func, order=50):
    """Another area's panel on a page, so areas never import each other.

    func(**context) returns HTML (Markup) or "" when it has nothing to show. Slots used today:
    "meeting.public" and "meeting.manage" (context: meeting=...), filled by the barometer.
    """
    app.extensions.setdefault("samrad_panels", {}).setdefault(slot, []).append((order, func))
    app.extensions["samrad_panels"][slot].sort(key=lambda p: p[0])


def render_panels(app, slot, **context):
    """The HTML of every panel plugged into `slot`, in order (templates call `panels(slot, ...)`)."""
    parts = [func(**context) for _order, func in app.extensions.get("samrad_panels", {}).get(slot, [])]
    return Markup("").join(part for part in parts if part)


def add_choice_source(app, name, func):
    """A named list another area's forms choose from, e.g. "meetings": func() -> [(id, label), ...]."""
    app.extensions.setdefault("samrad_choice_sources", {})[name] = func


def choices(app, name, **kwargs):
    """The choices of source `name`, or [] when no area provides it."""
    func = app.extensions.get("samrad_choice_sources", {}).get(name)
    return func(**kwargs) if func else []

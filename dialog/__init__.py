"""Dialogue meetings: planning, registration, check-in, minutes and follow-up."""


def init_app(app):
    """Register the dialog blueprint, its navigation, demo data and merge hooks."""

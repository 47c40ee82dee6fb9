"""Remiss consultations and live opinion barometers."""


def init_app(app):
    """Register the surveys blueprints, navigation, demo data and merge hooks."""

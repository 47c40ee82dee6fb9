"""Remiss consultations and live opinion barometers."""


def init_app(app):
    """Register both instruments: the opinion barometer and the remiss consultation."""
    from surveys import barometer, remiss

    barometer.init_app(app)
    remiss.init_app(app)

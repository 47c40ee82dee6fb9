"""Remiss consultations: the draft, invited bodies, answers, the drafting group's review and compilation."""


def init_app(app):
    pass

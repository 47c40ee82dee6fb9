"""Live opinion barometers (åsiktsbarometer): statements, live sessions, answers and results."""


def init_app(app):
    pass

"""Small helpers the remiss views share."""
import nh3
from flask import flash
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_markdown(text):
    """Section text: Markdown rendered, then sanitised (no raw HTML, no scripts, safe links)."""
    return Markup(nh3.clean(_md.render(text or ""), link_rel="noopener noreferrer nofollow"))


def flash_error(exc):
    flash(str(exc), "error")


def json_error(status, code, message, **extra):
    return {"error": code, "message": str(message), **extra}, status

"""Small helpers the remiss views share."""
import nh3
from flask import flash
from markdown_it import MarkdownIt
from markupsafe import Markup

# views/review.py still imports it from here; the other views take it from core.
from core.views_util import run_and_redirect  # noqa: F401

_md = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_markdown(text):
    """Section text: Markdown rendered, then sanitised (no raw HTML, no scripts, safe links)."""
    return Markup(nh3.clean(_md.render(text or ""), link_rel="noopener noreferrer nofollow"))


def flash_error(exc):
    flash(str(exc), "error")

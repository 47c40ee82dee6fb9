"""Core's templates keep to the front-end rules: no inline style, POST buttons through the button macro."""
import re
from pathlib import Path

import pytest
from flask import render_template_string

ROOT = Path(__file__).resolve().parents[2] / "templates"
CORE_TEMPLATES = sorted([ROOT / "base.html", *ROOT.glob("core/**/*.html"), *ROOT.glob("errors/*.html"),
                         *ROOT.glob("_macros/*.html")])


@pytest.mark.parametrize("path", CORE_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_style(path):
    assert not re.search(r"\sstyle=", path.read_text()), "use a class in static/css/samrad.css"


@pytest.mark.parametrize("path", CORE_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_post_form_without_fields_of_its_own_is_the_button_macro(path):
    """A POST form holding only a CSRF token, hidden inputs and one button is what `button` is for."""
    if path.name == "forms.html":
        return
    for form in re.findall(r'<form[^>]*method="post".*?</form>', path.read_text(), re.S | re.I):
        visible = re.findall(r"\{\{\s*field\(|<input(?![^>]*type=\"hidden\")|<textarea|<select", form)
        assert visible, f"{path.name}: use the button macro for\n{form}"


def test_charts_carry_their_height_as_data(app):
    html = render_template_string('{% from "_macros/charts.html" import chart %}{{ chart("c", "{}", "Diagram", 300) }}')
    assert 'data-min-height="300"' in html and "style=" not in html

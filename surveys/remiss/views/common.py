"""Small helpers the remiss views share."""
import gc
import re
from contextlib import contextmanager
from datetime import UTC

import nh3
from babel.dates import get_date_format, get_datetime_format, get_time_format
from flask import current_app, flash, url_for
from flask_babel import get_locale, get_timezone
from markdown_it import MarkdownIt
from markupsafe import Markup

# views/review.py still imports it from here; the other views take it from core.

_md = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_markdown(text):
    """Section text: Markdown rendered, then sanitised (no raw HTML, no scripts, safe links)."""
    return Markup(nh3.clean(_md.render(text or ""), link_rel="noopener noreferrer nofollow"))


# Where a row's id, and a row's own value of a text field, go in row_form_html's output.
ROW = "__row__"
VALUE = "__value__"


def row_form_html(form_class, prefix, *fields, **data):
    """A per-row form's CSRF field and fields, rendered once for the page with ROW where the row's id goes in
    the prefix: the template puts each row's id in with |replace("__row__", id). The HTML is WTForms' own, and
    the POST is validated by form_class(prefix=prefix + id) as before; a form object per row cost more than
    the row itself. data: the fields' values, the same for every row, or VALUE in a text field, which the
    template replaces with the row's value (|replace escapes it, as WTForms would).

    Returns {"csrf_token": Markup, field name: Markup, ...}.
    """
    form = form_class(formdata=None, prefix=f"{prefix}{ROW}-", **data)
    return {"csrf_token": form.csrf_token(id=False), **{name: form[name]() for name in fields}}


# An id no row has (ids are 32-bit): row_url builds its URL with it and then puts ROW in its place.
_NO_ROW = 2**40 + 7
_NO_ROW_IN_PATH = re.compile(rf"(?<=/){_NO_ROW}(?=/|\?|#|$)")  # a path segment of its own, the last one too


def row_url(endpoint, row_arg, **values):
    """url_for(endpoint, **values) with ROW for the row's id in row_arg, as row_form_html: the template puts
    each row's id in with |replace("__row__", id); one url_for per page rather than one per row."""
    return _NO_ROW_IN_PATH.sub(ROW, url_for(endpoint, **values, **{row_arg: _NO_ROW}))


# The fields of a CLDR time pattern that depend on the hour and minute alone (a: a.m. or p.m.).
_HOUR_AND_MINUTE = {"H", "HH", "h", "hh", "K", "KK", "k", "kk", "m", "mm", "a"}


def datetime_formatter():
    """The |datetime filter (core.templating.local_datetime: "short", naive UTC shown in the user's time zone)
    for a page with hundreds of times: flask_babel looked the locale and time zone up again for each one."""
    locale, zone = get_locale(), get_timezone()
    # What babel.dates.format_datetime(…, "short") does, with its three patterns looked up once: on the
    # dashboard's 300 rows the lookups were 40 % of the page.
    joined = get_datetime_format("short", locale=locale).replace("'", "")
    date_pattern, time_pattern = get_date_format("short", locale=locale), get_time_format("short", locale=locale)
    # Each day is formatted once (a page's times fall on a few dozen days), and each hour and minute once when
    # the time pattern shows nothing else (it does in sv and en: "HH:mm", "h:mm a").
    dates, times = {}, {}
    by_minute = set(re.findall(r"%\((\w+)\)s", time_pattern.format)) <= _HOUR_AND_MINUTE

    def short(value):
        if value is None:
            return ""
        local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
        day = local.date()
        date_text = dates.get(day)
        if date_text is None:
            date_text = dates[day] = date_pattern.apply(day, locale)
        if by_minute:
            minute = local.hour, local.minute
            time_text = times.get(minute)
            if time_text is None:
                time_text = times[minute] = time_pattern.apply(local.timetz(), locale)
        else:
            time_text = time_pattern.apply(local.timetz(), locale)
        return joined.replace("{0}", time_text).replace("{1}", date_text)

    return short


@contextmanager
def cycle_collector_paused():
    """For the big exports: they make some 100,000 short-lived objects and no reference cycles, and each time
    those trip Python's cycle collector it walks every object in the process (~200,000 in the app); that was
    about a sixth of an export's time, and noise in every other request's."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def autosave_limit():
    """The autosave requests' rate limit (answers and summaries), per address: several writers behind one
    office NAT each save at most every two seconds."""
    return current_app.config.get("REMISS_AUTOSAVE_LIMIT", "600 per minute")


def flash_error(exc):
    flash(str(exc), "error")

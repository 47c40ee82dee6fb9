"""What every area's views share for a POST: check the form, call the service, say how it went, go on."""
from flask import flash, redirect

from core.errors import DomainError
from core.extensions import db
from core.forms import EmptyForm


def apply_errors(form, exc, field=None):
    """Put a service's refusal beside its fields: its `errors` ({field name: message}) or its `field` name; a
    reason without a field in the form goes beside `field` when one is given, else to the top of the page."""
    errors = getattr(exc, "errors", None) or {getattr(exc, "field", None) or "": exc}
    for key, message in errors.items():
        target = form[key] if key and key in form else field
        if target is None:
            flash(str(message), "error")
        else:
            target.errors = list(target.errors) + [str(message)]


def _message(what, argument):
    return what(argument) if callable(what) else what


def run_and_redirect(action, success, redirect_to, *, form=None, invalid=None, again=None, field=None):
    """The shape of a POST that ends in a redirect: check the form, call the service, say how it went.

    action: calls the service (no arguments), run only when the form (an EmptyForm when none is given: the CSRF
    key alone) validates. A DomainError it raises is the refusal: the session is rolled back and the reason
    flashed. success: the message, or a function of what the action returned that gives it (None: no message,
    or the function flashed its own). redirect_to: the address; with again, also a function of what the action
    returned. invalid: flashed when the form is refused, or a function of the form that gives it.

    again: a function that gives the page with the form once more. With it a refusal shows that page instead of
    going back: what was typed stays in the form, the service's reasons beside their fields (apply_errors;
    field: where a reason without a field of its own goes, else to the top of the page). A form never sent (a
    GET) shows it too.
    """
    form = form if form is not None else EmptyForm()
    if not form.validate_on_submit():
        if invalid and form.is_submitted():
            message = _message(invalid, form)
            if message:
                flash(message, "error")
        return again() if again else redirect(_message(redirect_to, None))
    try:
        result = action()
    except DomainError as exc:
        db.session.rollback()
        if again:
            apply_errors(form, exc, field)
            return again()
        flash(str(exc), "error")
        return redirect(_message(redirect_to, None))
    message = _message(success, result)
    if message:
        flash(message, "success")
    return redirect(_message(redirect_to, result))

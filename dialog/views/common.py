"""Small helpers the dialog views share: a service's refusal shown to the user, the POST-only check."""
from flask import abort, flash

from core.errors import DomainError
from core.forms import EmptyForm


def flashed(call, *args, **kwargs):
    """Run a service call; if a rule refuses it (a DomainError), flash the reason as an error.

    Returns (True, result) or (False, None), so the view goes on to its redirect either way.
    """
    try:
        return True, call(*args, **kwargs)
    except DomainError as exc:
        flash(str(exc), "error")
        return False, None


def on_field(field, call, *args, **kwargs):
    """Like flashed(), but the reason is shown beside a form field and what was typed stays in the form."""
    try:
        return True, call(*args, **kwargs)
    except DomainError as exc:
        field.errors.append(str(exc))
        return False, None


def check_post():
    """A POST-only button (no fields of its own) must carry a valid CSRF token."""
    if not EmptyForm().validate_on_submit():
        abort(400)

"""Small helpers the dialog views share: a service's refusal shown to the user, the POST-only check."""
from flask import abort, flash

from core.errors import DomainError
from core.forms import EmptyForm


def flashed(call, *args, **kwargs):
    """Run a service call; if a rule refuses it (a DomainError), flash the reason as an error.

    Returns (True, result) or (False, None), for a view that goes on differently either way; one that only
    says how it went and redirects uses core.views_util.run_and_redirect.
    """
    try:
        return True, call(*args, **kwargs)
    except DomainError as exc:
        flash(str(exc), "error")
        return False, None


def check_post():
    """A POST-only button (no fields of its own) must carry a valid CSRF token."""
    if not EmptyForm().validate_on_submit():
        abort(400)

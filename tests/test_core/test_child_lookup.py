"""core.access.get_child_or_404: a row by id, inside the parent it belongs to, else 404."""
import pytest
from werkzeug.exceptions import NotFound

from core.access import get_child_or_404
from core.models import ApiToken


@pytest.fixture
def tokens(make_user, db):
    anna, bo = make_user(name="Anna"), make_user(name="Bo")
    token, _raw = ApiToken.issue(anna, "skript")
    db.session.add(token)
    db.session.commit()
    return anna, bo, token


def test_a_row_is_found_inside_its_parent_by_column_or_by_function(tokens):
    anna, _bo, token = tokens
    assert get_child_or_404(ApiToken, token.id, anna, "user_id") is token
    assert get_child_or_404(ApiToken, token.id, anna, lambda row: row.user.id) is token


def test_a_row_of_another_parent_or_none_at_all_is_404(tokens):
    _anna, bo, token = tokens
    with pytest.raises(NotFound):
        get_child_or_404(ApiToken, token.id, bo, "user_id")
    with pytest.raises(NotFound):
        get_child_or_404(ApiToken, token.id, bo, lambda row: row.user.id)
    with pytest.raises(NotFound):
        get_child_or_404(ApiToken, token.id + 1000, bo, "user_id")

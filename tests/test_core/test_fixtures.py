"""The test fixtures themselves: a test's writes are rolled back, raw connections share its transaction."""
import pytest
import sqlalchemy as sa

from core.models import Organisation
from tests.conftest import _rolled_back

COUNT = sa.select(sa.func.count()).select_from(Organisation)


def test_raw_connections_see_the_tests_rows(db, make_organisation):
    make_organisation("Synlig förening")
    with db.engine.begin() as conn:  # as the barometer's raw upsert does
        assert conn.scalar(COUNT) == 1
        conn.execute(sa.insert(Organisation).values(name="Rå förening", legal_form="forening"))
    assert db.session.scalar(COUNT) == 2


def test_a_failed_commit_rolls_back_to_its_savepoint_only(db, make_organisation):
    make_organisation("Kvar", org_number="802473-5832")
    db.session.add(Organisation(name="Dubblett", legal_form="forening", org_number="802473-5832"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalars(sa.select(Organisation.name)).all() == ["Kvar"]


@pytest.mark.truncate
def test_rolled_back_undoes_commits_and_raw_writes(app, db):
    with _rolled_back(db.engine):
        db.session.add(Organisation(name="Tillfällig", legal_form="forening"))
        db.session.commit()
        with db.engine.begin() as conn:
            conn.execute(sa.insert(Organisation).values(name="Rå", legal_form="forening"))
        assert db.session.scalar(COUNT) == 2
    with db.engine.connect() as conn:  # a connection of its own again: nothing was kept
        assert conn.scalar(COUNT) == 0

"""The schema in migrations/ is exactly the models' schema, and it can go down and up again."""
import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from core.config import normalise_database_url
from core.extensions import db


@pytest.fixture
def scratch_url(tmp_path):
    """An empty database of the same kind the suite runs on."""
    url = os.environ.get("DATABASE_URL")
    if not url or not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    server = sa.engine.make_url(normalise_database_url(url))
    name = f"samrad_mig_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def migration_app(scratch_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": scratch_url,
                      "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def schema_diff():
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        return compare_metadata(ctx, db.metadata)


def test_upgrade_gives_exactly_the_models_schema(migration_app):
    upgrade()
    assert schema_diff() == []


def test_downgrade_to_base_and_upgrade_again(migration_app):
    upgrade()
    downgrade(revision="base")
    tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()
    assert schema_diff() == []

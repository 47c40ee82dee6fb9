"""flask backup / flask restore: a consistent copy while the app runs, restored into an empty instance."""
import json
import os
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from core.audit import record
from core.config import normalise_database_url
from core.extensions import db
from core.models import AuditEvent, Organisation, User

ON_POSTGRES = (os.environ.get("DATABASE_URL") or "").startswith("postgres")
# The backup reads the database from outside the test's transaction (sqlite3, pg_dump): the data must be committed.
pytestmark = pytest.mark.truncate


@pytest.fixture
def files(app, tmp_path, monkeypatch):
    """The instance's upload folders, in a temporary place, with a file in each."""
    uploads, imports = tmp_path / "uploads", tmp_path / "org_imports"
    (uploads / "remiss").mkdir(parents=True)
    (uploads / "remiss" / "a1.pdf").write_bytes(b"%PDF-1.4 remissvar")
    (uploads / "dialog").mkdir()
    (uploads / "dialog" / "b2.odt").write_bytes(b"PK dokument")
    imports.mkdir()
    (imports / ("c" * 32 + ".csv")).write_text("namn;organisationsnummer\nCoompanion;\n", encoding="utf-8")
    monkeypatch.setitem(app.config, "UPLOAD_ROOT", str(uploads))
    monkeypatch.setitem(app.config, "ORG_IMPORT_DIR", str(imports))
    for key in [k for k in app.config if k.endswith("_UPLOAD_DIR")]:
        monkeypatch.delitem(app.config, key)
    return uploads, imports


@pytest.fixture
def data(db, admin, make_organisation):
    org = make_organisation("Coompanion Värmland", org_number="769605-1111")
    record("organisation.merged", target=org, actor=admin, merged_id=99)
    db.session.commit()
    return org


def _other_app(tmp_path, database_uri):
    (tmp_path / "new").mkdir(exist_ok=True)
    return create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": database_uri,
                       "RATELIMIT_STORAGE_URI": "memory://", "UPLOAD_ROOT": str(tmp_path / "new" / "uploads"),
                       "ORG_IMPORT_DIR": str(tmp_path / "new" / "org_imports")})


def _invoke(app, *args):
    """Run a command against `app`: Flask's CLI uses the app whose context is current (the test's own otherwise)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.session.remove()
    return result


def _snapshot(app):
    with app.app_context():
        snapshot = (
            db.session.scalars(sa.select(User.email).order_by(User.email)).all(),
            db.session.execute(sa.select(Organisation.name, Organisation.org_number)).all(),
            db.session.execute(sa.select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.target_id,
                                         AuditEvent.details)).all(),
        )
        db.session.remove()
    return snapshot


def _tree(root):
    root = Path(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _backup(app, target):
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    return json.loads((target / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite path; PostgreSQL is tested below")
def test_backup_and_restore_into_an_empty_instance(app, tmp_path, files, data):
    target = tmp_path / "backup"
    manifest = _backup(app, target)
    assert manifest["database"] == {"kind": "sqlite", "file": "database.sqlite3"}
    assert manifest["app_version"] and manifest["created_at"]
    paths = {f["path"] for f in manifest["files"]}
    assert {"database.sqlite3", "files/uploads/remiss/a1.pdf", "files/uploads/dialog/b2.odt",
            f"files/org_imports/{'c' * 32}.csv"} <= paths
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])

    other = _other_app(tmp_path, f"sqlite:///{tmp_path / 'new' / 'samrad.sqlite3'}")
    result = _invoke(other, "restore", str(target))
    assert result.exit_code == 0, result.output
    assert _snapshot(other) == _snapshot(app)
    assert _snapshot(other)[0] == ["admin@test.example"]
    assert _tree(tmp_path / "new" / "uploads") == _tree(files[0])
    assert _tree(tmp_path / "new" / "org_imports") == _tree(files[1])


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's online backup")
def test_backup_is_consistent_while_another_connection_writes(app, tmp_path, files, data):
    """An open write transaction (the running app) neither blocks the backup nor leaks into it."""
    path = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE organisations SET name = 'halvvägs'")
        _backup(app, tmp_path / "backup")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    copy = sqlite3.connect(tmp_path / "backup" / "database.sqlite3")
    assert copy.execute("SELECT name FROM organisations").fetchall() == [("Coompanion Värmland",)]
    copy.close()


def test_backup_needs_a_new_or_empty_folder(app, tmp_path, files):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "full")])
    assert result.exit_code != 0 and "inte tom" in result.output


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite path")
def test_restore_refuses_a_database_with_data_unless_forced(app, tmp_path, files, data):
    target = tmp_path / "backup"
    _backup(app, target)
    other = _other_app(tmp_path, f"sqlite:///{tmp_path / 'new' / 'samrad.sqlite3'}")
    with other.app_context():
        db.create_all()
        db.session.add(User(email="kvar@test.example"))
        db.session.commit()
        db.session.remove()
    result = _invoke(other, "restore", str(target))
    assert result.exit_code != 0 and "innehåller redan data" in result.output
    assert _snapshot(other)[0] == ["kvar@test.example"]
    result = _invoke(other, "restore", "--force", str(target))
    assert result.exit_code == 0, result.output
    assert _snapshot(other) == _snapshot(app)


def test_restore_refuses_a_changed_or_incomplete_backup(app, tmp_path, files, data):
    target = tmp_path / "backup"
    _backup(app, target)
    (target / "files" / "uploads" / "remiss" / "a1.pdf").write_bytes(b"%PDF-1.4 annat")
    other = _other_app(tmp_path, f"sqlite:///{tmp_path / 'new' / 'samrad.sqlite3'}")
    result = _invoke(other, "restore", str(target))
    assert result.exit_code != 0 and "a1.pdf saknas eller är ändrad" in result.output
    (target / "manifest.json").unlink()
    result = _invoke(other, "restore", str(target))
    assert result.exit_code != 0 and "manifest.json saknas" in result.output


@pytest.fixture
def scratch_postgres():
    url = normalise_database_url(os.environ["DATABASE_URL"])
    server = sa.engine.make_url(url)
    name = f"samrad_restore_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.skipif(not ON_POSTGRES or not shutil.which("pg_dump") or not shutil.which("pg_restore"),
                    reason="needs DATABASE_URL on PostgreSQL and pg_dump/pg_restore")
def test_postgres_backup_and_restore_into_an_empty_database(app, tmp_path, files, data, scratch_postgres):
    target = tmp_path / "backup"
    manifest = _backup(app, target)
    assert manifest["database"] == {"kind": "postgresql", "file": "database.pgdump"}
    other = _other_app(tmp_path, scratch_postgres)
    result = _invoke(other, "restore", str(target))
    assert result.exit_code == 0, result.output
    assert _snapshot(other) == _snapshot(app)
    assert _tree(tmp_path / "new" / "uploads") == _tree(files[0])
    with other.app_context():
        db.session.remove()
        db.engine.dispose()

"""Backup and restore: a consistent copy of the database and the uploaded files, with a manifest.

SQLite is copied with its online backup API (a consistent snapshot while the app keeps writing), PostgreSQL with
pg_dump's custom format. The database is copied first and the files after it: a file uploaded in between is an
unused extra, and only a file deleted in that second or two could be missing.
"""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from core.extensions import db

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
FILES = "files"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done; the message tells the operator what to do."""


# --- where things are ------------------------------------------------------------------------------------------

def file_dirs(app=None):
    """{name in the backup: folder on disk} for everything uploaded or being imported.

    <instance>/uploads (UPLOAD_ROOT) as a whole, org_imports, and any area folder configured elsewhere with a
    <AREA>_UPLOAD_DIR setting (REMISS_UPLOAD_DIR → uploads/remiss), so core needs to know no area.
    """
    app = app or current_app
    dirs = {
        "uploads": app.config.get("UPLOAD_ROOT") or os.path.join(app.instance_path, "uploads"),
        "org_imports": app.config.get("ORG_IMPORT_DIR") or os.path.join(app.instance_path, "org_imports"),
    }
    for key in sorted(app.config):
        if key.endswith("_UPLOAD_DIR") and app.config[key]:
            dirs[f"uploads/{key.removesuffix('_UPLOAD_DIR').lower()}"] = str(app.config[key])
    return dirs


def _database():
    url = sa.engine.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise BackupError("En databas i minnet kan inte säkerhetskopieras.")
        return "sqlite", url
    if url.get_backend_name() == "postgresql":
        return "postgresql", url
    raise BackupError(f"Databastypen {url.get_backend_name()} stöds inte av backup/restore.")


def _pg_env(url):
    """libpq's environment for pg_dump/pg_restore: the password never appears on a command line."""
    env = dict(os.environ)
    for var, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[var] = str(value)
    if url.query.get("sslmode"):
        env["PGSSLMODE"] = str(url.query["sslmode"])
    return env


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} finns inte i PATH: installera PostgreSQL:s klientprogram (t.ex. postgresql-client).")
    return path


def _run(args, env):
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} misslyckades: {result.stderr.strip()[-800:]}")


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _alembic_revision():
    try:
        return db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    except sa.exc.DBAPIError:
        db.session.rollback()
        return None


def _app_version():
    try:
        return metadata.version("samrad")
    except metadata.PackageNotFoundError:
        return "unknown"


def _copy_tree(source, target, skip=()):
    for entry in sorted(os.listdir(source)):
        if entry in skip:
            continue
        src, dst = os.path.join(source, entry), os.path.join(target, entry)
        if os.path.isdir(src):
            shutil.copytree(src, dst, dirs_exist_ok=True)
        elif os.path.isfile(src):
            os.makedirs(target, exist_ok=True)
            shutil.copy2(src, dst)


def _nested(name, names):
    """Top-level folders of `name` that are backed up under their own name (uploads → remiss)."""
    return {other.split("/", 1)[1] for other in names if other.startswith(name + "/")}


# --- backup ----------------------------------------------------------------------------------------------------

def backup(target):
    """Write a backup into the folder `target` (created; must be empty). Returns the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Mappen {target} är inte tom: välj en ny mapp för säkerhetskopian.")
    target.mkdir(parents=True, exist_ok=True)
    kind, url = _database()
    revision = _alembic_revision()
    db.session.remove()
    if kind == "sqlite":
        source = sqlite3.connect(url.database)
        copy = sqlite3.connect(target / SQLITE_FILE)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        database_file = SQLITE_FILE
    else:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(target / PG_FILE)], _pg_env(url))
        database_file = PG_FILE

    dirs = file_dirs()
    for name, folder in dirs.items():
        if os.path.isdir(folder):
            _copy_tree(folder, target / FILES / name, skip=_nested(name, dirs))

    files = []
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        files.append({"path": path.relative_to(target).as_posix(), "size": path.stat().st_size,
                      "sha256": _sha256(path)})
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": _app_version(),
        "alembic_revision": revision,
        "database": {"kind": kind, "file": database_file},
        "dirs": sorted(dirs),
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


# --- restore ---------------------------------------------------------------------------------------------------

def read_manifest(source):
    """The backup's manifest, after checking every file against its sha256."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} är ingen säkerhetskopia: {MANIFEST} saknas.") from None
    except ValueError:
        raise BackupError(f"{source / MANIFEST} går inte att läsa.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Säkerhetskopians format ({manifest.get('format')}) känns inte igen.")
    for entry in manifest["files"]:
        path = source / entry["path"]
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"Filen {entry['path']} saknas eller är ändrad sedan säkerhetskopian gjordes; "
                              "inget har återställts.")
    return manifest


def database_has_data():
    """True if any table (other than Alembic's) holds a row."""
    db.session.remove()
    inspector = sa.inspect(db.engine)
    with db.engine.connect() as conn:
        for name in inspector.get_table_names():
            if name == "alembic_version":
                continue
            table = sa.table(name)
            if conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
                return True
    return False


def restore(source, force=False):
    """Restore a backup into this instance's database and upload folders. Returns the manifest.

    Refuses a database that already holds data unless force=True (then it is replaced).
    """
    source = Path(source)
    manifest = read_manifest(source)
    kind, url = _database()
    if manifest["database"]["kind"] != kind:
        raise BackupError(f"Säkerhetskopian gäller {manifest['database']['kind']}, men DATABASE_URL pekar på "
                          f"{kind}: återställ till samma databastyp.")
    if kind == "sqlite":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    if database_has_data() and not force:
        raise BackupError("Databasen innehåller redan data. Återställ till en tom databas, eller lägg till "
                          "--force för att ersätta allt som finns i den.")
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        backup_db = sqlite3.connect(source / SQLITE_FILE)
        live = sqlite3.connect(url.database)
        try:
            with live:
                backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    else:
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", "--dbname", url.database, str(source / PG_FILE)], _pg_env(url))
    db.engine.dispose()

    here = file_dirs()
    names = manifest.get("dirs", [])
    for name in sorted(names, key=len):
        stored = source / FILES / name
        folder = here.get(name)
        if folder is None:  # e.g. uploads/remiss with no REMISS_UPLOAD_DIR here: under this instance's uploads
            parent, _, child = name.partition("/")
            folder = os.path.join(here[parent], child)
        if force and os.path.isdir(folder):
            for entry in os.listdir(folder):
                if entry in _nested(name, names):
                    continue
                path = os.path.join(folder, entry)
                shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
        if stored.is_dir():
            os.makedirs(folder, exist_ok=True)
            _copy_tree(stored, folder)
    return manifest

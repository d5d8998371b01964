"""Engine, sessions and migrations for the supervision store.

Engines are made lazily, once per database URL and process, so importing this module
never touches a database and tests can point the store elsewhere before first use.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, create_engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool

from actions.settings import PROJECT_ROOT, get_settings

logger = logging.getLogger(__name__)

ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_sessionmakers: dict[str, sessionmaker] = {}
_default_url: str | None = None  # set by a command-line tool's --database-url


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def is_sqlite_memory(url: str | URL) -> bool:
    database = make_url(url).database
    return is_sqlite(url) and database in (None, "", ":memory:")


def make_engine(url: str, *, enforce_foreign_keys: bool = True) -> Engine:
    """A new engine for ``url``, set up for this store (use ``get_engine`` to share one).

    ``enforce_foreign_keys=False`` is for migrations only: SQLite batch migrations
    rebuild tables, which foreign-key enforcement would block.
    """
    if not is_sqlite(url):
        return create_engine(url, future=True, pool_pre_ping=True)
    if is_sqlite_memory(url):
        # One shared connection, or every new connection would see an empty database.
        engine = create_engine(
            url,
            future=True,
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
        )
    else:
        _ensure_sqlite_directory(url)
        # A small pool of kept connections: SQLAlchemy 1.4 otherwise opens (and sets up)
        # a new SQLite connection for every transaction, which is most of an answer's cost.
        engine = create_engine(
            url,
            future=True,
            poolclass=QueuePool,
            pool_size=5,
            max_overflow=10,
            connect_args={
                "check_same_thread": False,
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
            },
        )
    _configure_sqlite(engine, enforce_foreign_keys=enforce_foreign_keys)
    return engine


def _ensure_sqlite_directory(url: str) -> None:
    database = make_url(url).database or ""
    if database.startswith("file:"):
        return  # a SQLite URI; its path is the caller's business
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(engine: Engine, *, enforce_foreign_keys: bool) -> None:
    """Pragmas on every new connection, and real transactions.

    On its own, pysqlite emits BEGIN only before the first write: earlier reads are
    outside the transaction and SAVEPOINT does not work. A plain (deferred) BEGIN
    would fix that, but a transaction that reads and then writes can then fail with
    "database is locked" at once, without waiting on busy_timeout. So the driver is
    taken out of the loop and every transaction starts with BEGIN IMMEDIATE, which
    takes the write lock up front: writers queue for up to busy_timeout instead
    (SQLAlchemy's documented recipe). The cost, acceptable for short transactions:
    read-only sessions queue too.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            # busy_timeout first, so switching to WAL also waits for other writers.
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if enforce_foreign_keys else 'OFF'}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def set_default_url(url: str | None) -> None:
    """Make ``url`` the database of every call that names none (a command-line tool's
    ``--database-url``); None goes back to the configured database."""
    global _default_url
    _default_url = url


def _resolve_url(url: str | None) -> str:
    return url or _default_url or get_settings().database_url


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: the configured database)."""
    url = _resolve_url(url)
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = make_engine(url)
            _engines[url] = engine
            logger.info("Database engine created for %r", make_url(url))
        return engine


def get_sessionmaker(url: str | None = None) -> sessionmaker:
    """The process-wide session factory for ``url`` (default: the configured database)."""
    url = _resolve_url(url)
    engine = get_engine(url)
    with _lock:
        factory = _sessionmakers.get(url)
        if factory is None:
            # expire_on_commit=False: objects stay readable after the scope commits,
            # which is what callers that return them expect.
            factory = sessionmaker(engine, future=True, expire_on_commit=False)
            _sessionmakers[url] = factory
        return factory


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session in a transaction: commit on success, roll back on an exception."""
    with get_sessionmaker(url).begin() as session:
        yield session


def reset_engine() -> None:
    """Dispose of every cached engine; the next use makes new ones (for tests)."""
    with _lock:
        engines = list(_engines.values())
        _engines.clear()
        _sessionmakers.clear()
    for engine in engines:
        engine.dispose()


def alembic_config(url: str | None = None):
    """An Alembic Config for this repository's migrations and ``url``."""
    from alembic.config import Config  # Alembic is only needed when migrating

    config = Config(str(ALEMBIC_INI))
    # Absolute, so migrations run from any working directory.
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolates "%", which percent-encoded passwords contain.
    config.set_main_option("sqlalchemy.url", _resolve_url(url).replace("%", "%%"))
    # The caller owns logging; env.py must not replace it with alembic.ini's.
    config.attributes["configure_logger"] = False
    return config


def upgrade_database(url: str | None = None, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (``alembic upgrade head``) on ``url``."""
    from alembic import command

    resolved = _resolve_url(url)
    logger.info("Migrating %r to %s", make_url(resolved), revision)
    command.upgrade(alembic_config(resolved), revision)

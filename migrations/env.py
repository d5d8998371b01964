"""Alembic environment for the supervision store.

URL precedence: ``alembic -x url=...``, then ``sqlalchemy.url`` if a caller set it
(``actions.store.db.upgrade_database``), then ``get_settings().database_url``.
"""

from __future__ import annotations

import logging
from logging.config import fileConfig

from alembic import context

from actions.settings import get_settings
from actions.store.db import is_sqlite, make_engine
from actions.store.models import Base, UTCDateTime

config = context.config
logger = logging.getLogger("alembic.env")

# Only the `alembic` command line should configure logging from alembic.ini; a program
# that runs migrations keeps its own (and fileConfig would silence its loggers).
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def database_url() -> str:
    override = context.get_x_argument(as_dictionary=True).get("url")
    return override or config.get_main_option("sqlalchemy.url") or get_settings().database_url


def render_item(type_, obj, autogen_context):
    """Autogenerate UTCDateTime as a plain timezone-aware DateTime.

    Migrations must not import application types, which may change later.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def configure_options(url: str) -> dict:
    return {
        "target_metadata": target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        "render_as_batch": is_sqlite(url),
        # SQLite DDL is transactional (and db.make_engine really opens transactions),
        # so a migration that fails half-way leaves nothing behind.
        "transactional_ddl": True if is_sqlite(url) else None,
        "render_item": render_item,
        "compare_type": True,
    }


def run_migrations_offline() -> None:
    """Write the SQL to stdout (``alembic upgrade head --sql``)."""
    url = database_url()
    context.configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **configure_options(url),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = database_url()
    # Same engine setup as the application (WAL, busy timeout, real transactions), but
    # without SQLite foreign-key enforcement, which would block batch table rebuilds.
    engine = make_engine(url, enforce_foreign_keys=False)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, **configure_options(url))
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

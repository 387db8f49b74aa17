"""Alembic's entry point, run by service.store.migrate with an open connection.

Only the online mode is supported: the store always upgrades a live database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from service.store.tables import Base

LOCK_ID = 0x6E756D63  # "numc": one advisory lock for every numcheck process upgrading PostgreSQL


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Workers starting together upgrade one at a time; the later ones find nothing to do.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK_ID})")
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `numcheck db upgrade` (service.store.migrate), not alembic")
run_migrations(connection)

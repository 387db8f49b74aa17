"""Alembic migrations of the story store, shipped inside the package (see service.store.migrate)."""

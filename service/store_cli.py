"""`numcheck users …` and `numcheck db …`: the command line of the story store.

A new or rotated key is printed alone on stdout (so `KEY=$(numcheck users add sam --role checker)`
works) and explained on stderr; it is shown this once, as only its hash is stored.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .errors import InputError
from .settings import Settings

EXIT_OK = 0


@contextmanager
def _opened(settings: Settings) -> Iterator[Any]:
    """The store, closed afterwards; a user that does not exist is the input's fault (exit 2)."""
    # Imported here so that `numcheck check` does not pay for SQLAlchemy.
    from .store import NotFound, Store

    store = Store.open(settings.store_url)
    try:
        yield store
    except NotFound as exc:
        raise InputError(exc.message) from None
    finally:
        store.close()


def _print_key(verb: str, user: Any, key: str) -> None:
    print(key)
    print(
        f"{verb} {user.name} ({user.role}). This key is shown once; send it as `Authorization: Bearer <key>`.",
        file=sys.stderr,
    )


def _users_add(args: argparse.Namespace, settings: Settings) -> int:
    with _opened(settings) as store:
        user, key = store.add_user(args.name, args.role)
    _print_key("Added", user, key)
    return EXIT_OK


def _users_rotate(args: argparse.Namespace, settings: Settings) -> int:
    with _opened(settings) as store:
        user, key = store.rotate_key(args.name)
    _print_key("New key for", user, key)
    return EXIT_OK


def _users_remove(args: argparse.Namespace, settings: Settings) -> int:
    with _opened(settings) as store:
        store.remove_user(args.name)
        left = store.users_exist()
    print(f"Removed {args.name}." + ("" if left else " No users are left."), file=sys.stderr)
    return EXIT_OK


def _users_list(args: argparse.Namespace, settings: Settings) -> int:
    with _opened(settings) as store:
        users = store.users()
    if not users:
        print("no users (a server on loopback runs as a single local user; beyond loopback it admits nobody)")
    for user in users:
        print(
            f"{user.name}\t{user.role}\tnck_{user.key_prefix}_…\tkey since {user.key_created_at:%Y-%m-%d %H:%M}"
        )
    return EXIT_OK


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from .store.db import safe_url
    from .store.migrate import current_revision

    with _opened(settings) as store:
        revision = current_revision(store.database)
    print(f"{safe_url(settings.store_url)}: schema at revision {revision}")
    return EXIT_OK


def add_store_commands(commands: Any) -> None:
    users = commands.add_parser("users", help="manage who may read and triage stored stories")
    user_commands = users.add_subparsers(dest="users_command", required=True)
    add = user_commands.add_parser("add", help="add a user and print their API key")
    add.add_argument("name", metavar="NAME")
    # Checked by the store (which lists the roles), so that building this parser loads no database code.
    add.add_argument(
        "--role",
        default="checker",
        help="viewer reads; checker also triages (the default); admin also deletes",
    )
    add.set_defaults(run=_users_add)
    lister = user_commands.add_parser("list", help="list users with their role and key prefix")
    lister.set_defaults(run=_users_list)
    remove = user_commands.add_parser("remove", help="remove a user; their key stops working")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(run=_users_remove)
    rotate = user_commands.add_parser("rotate", help="give a user a new key; the old one stops working")
    rotate.add_argument("name", metavar="NAME")
    rotate.set_defaults(run=_users_rotate)

    db = commands.add_parser("db", help="the story database (NUMCHECK_DATA_DIR or NUMCHECK_DATABASE_URL)")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser(
        "upgrade", help="bring the schema up to this version (the server does too)"
    )
    upgrade.set_defaults(run=_db_upgrade)

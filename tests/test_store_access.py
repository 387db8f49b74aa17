"""Who may do what: API keys stored hashed, roles, and the single local user of a loopback server."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from storyfactory import DOCUMENTS, DRILL, report

from service.errors import InputError
from service.store import (
    LOCAL_USER,
    Action,
    FlagUpdate,
    Forbidden,
    NotFound,
    NoUsers,
    Store,
    Unauthenticated,
    is_loopback,
    may,
)
from service.store.keys import KEY_PATTERN, key_hash


def test_a_key_is_stored_only_as_its_prefix_and_hash(store: Store) -> None:
    user, key = store.add_user("ana", "checker")
    assert KEY_PATTERN.match(key)
    assert (user.name, user.role, user.key_prefix) == ("ana", "checker", key[4:12])
    with store.database.reading() as session:
        rows = session.execute(text("SELECT * FROM users")).mappings().all()
    stored = " ".join(str(value) for row in rows for value in row.values())
    assert key not in stored and key[13:] not in stored
    assert rows[0]["key_hash"] == key_hash(key)


def test_a_key_resolves_to_its_user_and_nothing_else_does(store: Store) -> None:
    ana, key = store.add_user("ana", "checker")
    store.add_user("bo", "viewer")
    assert store.user_for_key(key) == ana
    forged = key[:-1] + ("A" if key[-1] != "A" else "B")
    for wrong in (forged, key + "x", key.upper(), "", "nck_00000000_" + "a" * 43, "Bearer " + key):
        assert store.user_for_key(wrong) is None, wrong


def test_a_user_is_found_by_name_as_they_are_now(store: Store) -> None:
    ana, _ = store.add_user("ana", "checker")
    assert store.user_named("ana") == ana and store.user_named("bo") is None
    rotated, _ = store.rotate_key("ana")
    assert store.user_named("ana") == rotated and rotated.key_prefix != ana.key_prefix
    store.remove_user("ana")
    assert store.user_named("ana") is None


def test_a_rotated_key_replaces_the_old_one(store: Store) -> None:
    _, old = store.add_user("ana", "admin")
    user, new = store.rotate_key("ana")
    assert new != old and user.key_prefix == new[4:12]
    assert store.user_for_key(old) is None
    assert store.user_for_key(new) == user


def test_a_removed_users_key_stops_working(store: Store) -> None:
    _, key = store.add_user("ana", "admin")
    store.remove_user("ana")
    assert store.user_for_key(key) is None and not store.users_exist()
    with pytest.raises(NotFound, match=r"^no user named 'ana' \(`numcheck users list` shows them\)$"):
        store.remove_user("ana")


@pytest.mark.parametrize(
    ("name", "role", "message"),
    [
        ("ana smith", "checker", r"^user name 'ana smith' is not allowed: use letters, digits and \. _ @ -"),
        ("local", "checker", r"^user name 'local' is kept for the single local user"),
        ("ana", "editor", r"^role 'editor' does not exist: use one of viewer, checker, admin$"),
        ("x" * 101, "viewer", r"is not allowed: .* \(at most 100 characters"),
    ],
)
def test_bad_user_names_and_roles_are_refused(store: Store, name: str, role: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        store.add_user(name, role)


def test_a_name_is_taken_once(store: Store) -> None:
    store.add_user("ana", "viewer")
    with pytest.raises(InputError, match=r"^a user named 'ana' exists already: `numcheck users rotate ana`"):
        store.add_user("ana", "admin")
    assert [u.name for u in store.users()] == ["ana"]


ROLE_TABLE = [
    ("viewer", {Action.READ}),
    ("checker", {Action.READ, Action.CHANGE}),
    ("admin", {Action.READ, Action.CHANGE, Action.DELETE}),
]


@pytest.mark.parametrize(("role", "allowed"), ROLE_TABLE)
def test_roles_allow_reading_changing_and_deleting_in_turn(
    store: Store, role: str, allowed: set[Action]
) -> None:
    owner = store.save_story(DOCUMENTS, report(DRILL), LOCAL_USER)
    user, _ = store.add_user(f"a-{role}", role)
    assert {action for action in Action if may(user, action)} == allowed
    attempts = {
        Action.CHANGE: lambda: store.update_flag(
            owner.id, owner.flags[0].id, FlagUpdate(version=1, note="n"), user
        ),
        Action.DELETE: lambda: store.delete_story(owner.id, user),
    }
    for action, attempt in attempts.items():
        if action in allowed:
            attempt()
        else:
            with pytest.raises(
                Forbidden, match=rf"^a-{role} is a {role} and may not .*: that needs the role"
            ):
                attempt()
    if Action.CHANGE not in allowed:
        with pytest.raises(Forbidden):
            store.save_story(DOCUMENTS, report(DRILL), user)
        with pytest.raises(Forbidden):
            store.recheck(owner.id, DOCUMENTS, report(DRILL), user)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("numcheck.example.org", False),
        ("", False),
    ],
)
def test_which_addresses_are_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_without_users_a_loopback_server_runs_as_one_local_admin(store: Store) -> None:
    user = store.authenticate(None, loopback=True)
    assert user == LOCAL_USER and (user.name, user.role, user.local) == ("local", "admin", True)


def test_without_users_a_server_beyond_loopback_admits_nobody_and_says_how_to_fix_it(store: Store) -> None:
    with pytest.raises(NoUsers, match=r"numcheck users add NAME --role admin") as err:
        store.authenticate(None, loopback=False)
    assert err.value.code == "no_users"


def test_once_a_user_exists_every_request_needs_a_key(store: Store) -> None:
    ana, key = store.add_user("ana", "viewer")
    for loopback in (True, False):
        assert store.authenticate(key, loopback=loopback) == ana
        with pytest.raises(
            Unauthenticated, match=r"^Stored stories need a key: send `Authorization: Bearer <key>`"
        ):
            store.authenticate(None, loopback=loopback)
        with pytest.raises(Unauthenticated, match=r"^This key belongs to no user"):
            store.authenticate(key + "x", loopback=loopback)

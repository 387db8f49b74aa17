"""`numcheck users …` and `numcheck db upgrade`, against SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service import cli
from service.settings import get_settings
from service.store import Store
from service.store.keys import KEY_PATTERN


@pytest.fixture(autouse=True)
def database(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("NUMCHECK_DATABASE_URL", store_url)
    get_settings.cache_clear()
    yield store_url
    get_settings.cache_clear()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_users_add_prints_a_working_key_alone_on_stdout(
    capsys: pytest.CaptureFixture[str], database: str
) -> None:
    code, out, err = run(capsys, "users", "add", "ana", "--role", "viewer")
    key = out.strip()
    assert (code, len(out.splitlines())) == (0, 1) and KEY_PATTERN.match(key)
    assert err == "Added ana (viewer). This key is shown once; send it as `Authorization: Bearer <key>`.\n"
    store = Store.open(database)
    try:
        user = store.user_for_key(key)
        assert user is not None and (user.name, user.role) == ("ana", "viewer")
    finally:
        store.close()


def test_users_list_rotate_and_remove(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "users", "list")[1].startswith(
        "no users (a server on loopback runs as a single local user"
    )
    _, first, _ = run(capsys, "users", "add", "sam")
    _, listing, _ = run(capsys, "users", "list")
    assert listing.startswith(f"sam\tchecker\tnck_{first.strip()[4:12]}_…\tkey since ")
    code, second, _ = run(capsys, "users", "rotate", "sam")
    assert code == 0 and KEY_PATTERN.match(second.strip()) and second != first
    assert run(capsys, "users", "list")[1].startswith(f"sam\tchecker\tnck_{second.strip()[4:12]}_…")
    assert run(capsys, "users", "remove", "sam") == (0, "", "Removed sam. No users are left.\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["users", "add", "ana", "--role", "editor"],
            "numcheck: role 'editor' does not exist: use one of viewer, checker, admin\n",
        ),
        (["users", "add", "a b"], "numcheck: user name 'a b' is not allowed"),
        (
            ["users", "remove", "nobody"],
            "numcheck: no user named 'nobody' (`numcheck users list` shows them)\n",
        ),
        (["users", "rotate", "nobody"], "numcheck: no user named 'nobody'"),
    ],
)
def test_bad_user_commands_say_what_to_do(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "") and err.startswith(message)


def test_db_upgrade_reports_the_revision(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and out.endswith(": schema at revision 0001\n")


def test_a_database_that_cannot_be_used_exits_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUMCHECK_DATABASE_URL", "postgresql://nobody@/x?host=/nonexistent&connect_timeout=2")
    get_settings.cache_clear()
    code, out, err = run(capsys, "db", "upgrade")
    assert (code, out) == (3, "") and err.startswith(
        "numcheck: Cannot upgrade the database at postgresql+psycopg://nobody@/x"
    )

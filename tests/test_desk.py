"""The triage pages over HTTP: signing in with a key, the session cookie and its CSRF token on every
form that changes something, local mode and a server with no users, saving and re-checking stories,
a viewer refused by the server, the 409 of a stale change, the story list and the exports.

The browser walks the same pages in test_browser.py; here every refusal is checked at the server.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from pydantic import SecretStr
from storyfactory import DOCUMENTS, DRILL, TOLL, report

from service.api.app import create_app
from service.settings import Settings
from service.store import LOCAL_NOTICE, NO_USERS_NOTICE, FlagUpdate, Store, User
from service.store.lazy import LazyStore
from service.web.render import code_spans
from service.web.session import BrowserSession, SessionCodec, session_secret

LOCAL = ("127.0.0.1", 50000)
NO_FILE = {"doc-0-file": ("", b"", "application/octet-stream")}
TASS = "Over 3,200 personnel took part in the drills."
KP = "At least 10,000 troops from Tajikistan and 400 from Russia took part in the drills."
TOLL_TEXT = " Police said 12 people died in the attack. The hospital said 19 people died in the attack."
DRILL_CLAIMS = "TASS Over 3,200 personnel"


@pytest.fixture(scope="module")
def desk_app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture(scope="module")
def started(desk_app: FastAPI) -> Any:
    with TestClient(desk_app, client=LOCAL) as client:
        yield client


@pytest.fixture
def store(started: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """An empty SQLite store under the started app (the store's own tests cover PostgreSQL)."""
    lazy = LazyStore(f"sqlite:///{tmp_path / 'stories.sqlite3'}")
    monkeypatch.setattr(started.app.state.runtime, "store", lazy)  # type: ignore[attr-defined]
    opened = lazy.get()
    yield opened
    lazy.close()


Person = Callable[..., TestClient]


@pytest.fixture
def person(desk_app: FastAPI, store: Store) -> Person:
    """person(): a browser of its own (its own cookies) on the started app, from this machine."""

    def make(base_url: str = "http://testserver") -> TestClient:
        return TestClient(desk_app, client=LOCAL, base_url=base_url, follow_redirects=False)

    return make


def beyond_loopback(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = app.state.runtime
    monkeypatch.setattr(runtime, "settings", runtime.settings.model_copy(update={"host": "0.0.0.0"}))


def token(client: TestClient, path: str = "/") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match is not None, f"no form with a token on {path}"
    return match.group(1)


def sign_in(client: TestClient, key: str, next_path: str = "/stories") -> Any:
    return client.post(
        "/sign-in", data={"csrf_token": token(client, "/sign-in"), "key": key, "next": next_path}
    )


def user(store: Store, name: str, role: str) -> tuple[User, str]:
    return store.add_user(name, role)


def signed_in(person: Person, store: Store, name: str, role: str) -> TestClient:
    _, key = user(store, name, role)
    client = person()
    assert sign_in(client, key).status_code == 303
    return client


def documents_form(csrf: str, *texts: tuple[str, str], **fields: str) -> dict[str, str]:
    data = {"csrf_token": csrf, **fields}
    for n, (source, text) in enumerate(texts):
        data[f"doc-{n}-source"], data[f"doc-{n}-text"] = source, text
    return data


def save(client: TestClient, kp: str = KP, title: str = "Drills") -> int:
    data = documents_form(token(client), ("TASS", TASS), ("Khaama Press", kp), title=title)
    response = client.post("/stories", data=data, files=NO_FILE)
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/stories/(\d+)", response.headers["location"])
    assert match is not None
    return int(match.group(1))


def flag_form(html: str, claims: str = DRILL_CLAIMS) -> tuple[str, dict[str, str]]:
    """The action and fields of the triage form of the flag whose text holds `claims`, as the page has them."""
    for card in re.findall(r'<article class="(?:flag|resolved-flag).*?</article>', html, re.S):
        if claims in text_of(card):
            action = re.search(r'<form class="triage-form" method="post" action="([^"]+)"', card)
            assert action is not None, "no triage form on this flag"
            fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', card))
            note = re.search(r'name="note"[^>]*>\n?(.*?)</textarea>', card, re.S)
            assignee = re.search(r'name="assignee"[^>]*value="([^"]*)"', card)
            assert note is not None and assignee is not None
            return action.group(1), {
                **fields,
                "note": unescape(note.group(1)),
                "assignee": unescape(assignee.group(1)),
            }
    raise AssertionError(f"no flag {claims!r} on the page")


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- who: local mode, no users, signing in -------------------------------------------------------------


def test_every_page_says_it_runs_as_the_single_local_user(started: TestClient, store: Store) -> None:
    story = store.save_story(DOCUMENTS, report(DRILL), store.authenticate(None, True))
    client = started
    csrf = token(client)
    checked = client.post("/check", data=documents_form(csrf, ("TASS", TASS)), files=NO_FILE)
    pages = [client.get(path) for path in ("/", "/stories", f"/stories/{story.id}", "/sign-in")] + [checked]
    for page in pages:
        assert page.status_code == 200
        assert code_spans(LOCAL_NOTICE) in page.text
        assert "Local user local (admin)" in text_of(page.text)
    # The local user is an admin: the report offers to save, the story page to triage.
    assert 'action="/stories"' in checked.text and 'class="triage-form"' in pages[2].text
    assert "there are no keys to sign in with" in pages[3].text


def test_beyond_loopback_with_no_users_the_pages_say_how_to_make_one(
    started: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    beyond_loopback(started.app, monkeypatch)  # type: ignore[arg-type]
    csrf = token(started)
    front = started.get("/")
    assert code_spans(NO_USERS_NOTICE) in front.text
    assert "<code>numcheck users add NAME --role admin</code>" in front.text
    listing = started.get("/stories")
    assert listing.status_code == 403 and "Stored stories are closed" in listing.text
    assert code_spans(NO_USERS_NOTICE) in listing.text
    refused = started.post(
        "/stories", data=documents_form(csrf, ("TASS", TASS)), files=NO_FILE, follow_redirects=False
    )
    assert refused.status_code == 403 and store.stories().total == 0
    # Checking needs no user and no database.
    checked = started.post("/check", data=documents_form(csrf, ("TASS", TASS)), files=NO_FILE)
    assert checked.status_code == 200 and "Save as a story" not in checked.text


def test_a_database_that_cannot_be_used_leaves_checks_working_and_says_why(
    started: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(started.app.state.runtime, "store", LazyStore(f"sqlite:///{blocker}/x/db.sqlite3"))  # type: ignore[attr-defined]
    front = started.get("/")
    assert front.status_code == 200 and 'class="notice notice-unavailable"' in front.text
    assert "Cannot create the data folder" in front.text
    checked = started.post("/check", data=documents_form(token(started), ("TASS", TASS)), files=NO_FILE)
    assert checked.status_code == 200 and "Save as a story" not in checked.text
    listing = started.get("/stories")
    assert listing.status_code == 503 and "Stored stories are unavailable" in listing.text


def test_a_key_signs_the_browser_in_and_out(person: Person, store: Store) -> None:
    _, key = user(store, "sam", "checker")
    client = person()
    assert client.get("/stories").status_code == 401
    wrong = sign_in(client, "nck_00000000_" + "x" * 43)
    assert wrong.status_code == 401 and "This key belongs to no user" in wrong.text
    assert sign_in(client, "  ").status_code == 401
    answer = sign_in(client, f" {key} ", next_path="/stories?status=open")
    assert (answer.status_code, answer.headers["location"]) == (303, "/stories?status=open")
    page = client.get("/stories")
    assert page.status_code == 200 and "Signed in as sam (checker)" in text_of(page.text)
    assert LOCAL_NOTICE not in page.text
    # The token a page held before signing in is worth nothing after.
    assert token(client) != token(person())
    out = client.post("/sign-out", data={"csrf_token": token(client)})
    assert (out.status_code, out.headers["location"]) == (303, "/")
    assert client.get("/stories").status_code == 401


@pytest.mark.parametrize(
    "next_path", ["//example.org/x", "https://example.org/", "/\\example.org", "stories"]
)
def test_signing_in_never_leads_to_another_site(person: Person, store: Store, next_path: str) -> None:
    _, key = user(store, "sam", "checker")
    assert sign_in(person(), key, next_path).headers["location"] == "/stories"


def test_a_rotated_key_or_a_removed_user_ends_the_session(person: Person, store: Store) -> None:
    sam = signed_in(person, store, "sam", "checker")
    ana = signed_in(person, store, "ana", "checker")
    store.rotate_key("sam")
    store.remove_user("ana")
    for client in (sam, ana):
        page = client.get("/")
        assert "You were signed out: your key was changed or your user removed" in page.text
        assert client.get("/stories").status_code == 401


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(person: Person) -> None:
    plain = person().get("/").headers["set-cookie"]
    assert re.match(r"^numcheck_session=[\w.-]+; HttpOnly; Max-Age=43200; Path=/; SameSite=lax$", plain), (
        plain
    )
    secure = person("https://testserver").get("/").headers["set-cookie"]
    assert "; Secure" in secure and "HttpOnly" in secure and "SameSite=lax" in secure


def test_a_session_is_kept_by_its_cookie_and_made_anew_when_forged_or_expired(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    codec = SessionCodec("s" * 48, max_age_seconds=3600)
    session = BrowserSession.new().signed_in("sam", "ab12cd34")
    cookie = codec.dumps(session)
    assert codec.loads(cookie) == BrowserSession(session.csrf, "sam", "ab12cd34")
    for bad in ("", "not-a-cookie", cookie[:-2] + "xx", SessionCodec("t" * 48, 3600).dumps(session)):
        fresh = codec.loads(bad)
        assert fresh.user is None and fresh.changed and fresh.csrf != session.csrf
    later = TimestampSigner.get_timestamp(TimestampSigner("x")) + 3601
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    assert codec.loads(cookie).user is None


def test_the_session_secret_is_made_once_kept_private_and_overridden_by_the_setting(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    made = session_secret(settings)
    kept = tmp_path / "data" / "session-secret"
    assert len(made) >= 64 and kept.stat().st_mode & 0o777 == 0o600
    assert session_secret(settings) == made and list(kept.parent.iterdir()) == [kept]
    assert session_secret(settings.model_copy(update={"session_secret": SecretStr("x" * 40)})) == "x" * 40
    kept.write_text("short\n")
    with pytest.raises(ValueError, match=r"holds no usable session secret: delete it and start again"):
        session_secret(settings)


# --- CSRF -----------------------------------------------------------------------------------------------


POSTS: list[tuple[str, Callable[[int, int], str], bool]] = [
    ("check", lambda story, flag: "/check", True),
    ("save", lambda story, flag: "/stories", True),
    ("re-check", lambda story, flag: f"/stories/{story}/versions", True),
    ("flag", lambda story, flag: f"/stories/{story}/flags/{flag}", False),
    ("sign-in", lambda story, flag: "/sign-in", False),
    ("sign-out", lambda story, flag: "/sign-out", False),
]


@pytest.mark.parametrize("bad_token", ["missing", "wrong", "another session's"])
@pytest.mark.parametrize(("name", "path", "multipart"), POSTS, ids=[name for name, _, _ in POSTS])
def test_a_form_without_its_sessions_token_is_refused_and_changes_nothing(
    person: Person,
    store: Store,
    name: str,
    path: Callable[[int, int], str],
    multipart: bool,
    bad_token: str,
) -> None:
    sam_user, key = user(store, "sam", "checker")
    client = person()
    assert sign_in(client, key).status_code == 303
    story = store.save_story(DOCUMENTS, report(DRILL), sam_user)
    flag = story.flags[0]
    data: dict[str, str] = documents_form("", ("TASS", TASS), base_version="1", title="Other")
    data.update(version="1", status="dismissed", note="forged", key=key)
    if bad_token == "missing":
        del data["csrf_token"]
    else:
        data["csrf_token"] = "x" * 43 if bad_token == "wrong" else token(person())
    response = client.post(path(story.id, flag.id), data=data, files=NO_FILE if multipart else None)
    assert response.status_code == 403, response.text
    assert "Nothing was changed" in response.text or "press Check again" in response.text
    assert store.stories().total == 1 and store.story(story.id).current_version == 1
    assert store.flag(story.id, flag.id).version == 1
    assert "Signed in as sam" in text_of(client.get("/stories").text)


def test_the_check_form_refused_for_its_token_keeps_the_texts(started: TestClient, store: Store) -> None:
    token(started)
    response = started.post("/check", data=documents_form("stale", ("TASS", TASS)), files=NO_FILE)
    assert response.status_code == 403 and "Send the form again" in response.text
    assert f">\n{TASS}</textarea>" in response.text
    again = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert again is not None
    retry = started.post("/check", data=documents_form(again.group(1), ("TASS", TASS)), files=NO_FILE)
    assert retry.status_code == 200 and '<h2 id="flags-heading">Flags</h2>' in retry.text


# --- triage ---------------------------------------------------------------------------------------------


def test_a_check_is_saved_triaged_and_rechecked_from_the_pages(person: Person, store: Store) -> None:
    sam = signed_in(person, store, "sam", "checker")
    report_page = sam.post(
        "/check", data=documents_form(token(sam), ("TASS", TASS), ("Khaama Press", KP)), files=NO_FILE
    )
    assert 'action="/stories"' in report_page.text and f'value="{KP}"' in report_page.text
    story_id = save(sam, title="Drills on the border")
    page = sam.get(f"/stories/{story_id}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "Drills on the border" in page.text and 'data-status="open"' in page.text

    action, fields = flag_form(page.text)
    fields.update(status="dismissed", note="TASS counts an earlier stage.\r\nBoth stand.", assignee="ana")
    done = sam.post(action, data=fields)
    assert done.status_code == 303
    assert re.fullmatch(rf"/stories/{story_id}\?saved=(\d+)#saved-\1", done.headers["location"])
    page = sam.get(done.headers["location"])
    assert 'data-status="dismissed"' in page.text and "Saved (flag version 2)." in page.text
    history = text_of(re.search(r'<details class="history">.*?</details>', page.text, re.S).group(0))  # type: ignore[union-attr]
    for line in ("sam: found in version 1", "sam: status open → dismissed", "assigned to ana"):
        assert line in history
    (flag,) = store.story(story_id).flags
    assert (flag.status, flag.note, flag.assignee) == (
        "dismissed",
        "TASS counts an earlier stage.\nBoth stand.",
        "ana",
    )

    # An edited draft: the dismissal stays with its flag, a new flag is open.
    draft = documents_form(token(sam), ("TASS", TASS), ("Khaama Press", KP + TOLL_TEXT), base_version="1")
    rechecked = sam.post(f"/stories/{story_id}/versions", data=draft, files=NO_FILE)
    assert (rechecked.status_code, rechecked.headers["location"]) == (303, f"/stories/{story_id}")
    page = sam.get(f"/stories/{story_id}")
    assert "version 2 of 2" in text_of(page.text)
    assert flag_form(page.text)[1]["note"] == "TASS counts an earlier stage.\nBoth stand."
    assert re.findall(r'class="since">([^<]+)<', page.text) == ["since version 1", "new in version 2"]
    assert re.findall(r'data-status="(\w+)"', page.text) == ["dismissed", "open"]

    # The edit taken back: the new flag is resolved by it, its decision kept.
    toll_action, toll = flag_form(page.text, "12 people")
    assert (
        sam.post(toll_action, data={**toll, "status": "confirmed", "note": "Later figure."}).status_code
        == 303
    )
    draft = documents_form(token(sam), ("TASS", TASS), ("Khaama Press", KP), base_version="2")
    assert sam.post(f"/stories/{story_id}/versions", data=draft, files=NO_FILE).status_code == 303
    page = sam.get(f"/stories/{story_id}")
    resolved = re.search(r'<section class="resolved".*?</section>', page.text, re.S)
    assert resolved is not None
    assert "Resolved by an edit (1)" in resolved.group(0) and "Police: 12" in text_of(resolved.group(0))
    assert "gone from version 3: resolved by the edit" in text_of(resolved.group(0))
    assert "confirmed" in resolved.group(0) and "last seen in version 2" in resolved.group(0)


def test_a_recheck_based_on_an_old_version_is_refused_with_the_draft_kept(
    person: Person, store: Store
) -> None:
    sam = signed_in(person, store, "sam", "checker")
    story_id = save(sam)
    first = documents_form(token(sam), ("TASS", TASS), ("Khaama Press", KP + " It rained."), base_version="1")
    assert sam.post(f"/stories/{story_id}/versions", data=first, files=NO_FILE).status_code == 303
    late = documents_form(token(sam), ("TASS", TASS), ("Khaama Press", KP + " It snowed."), base_version="1")
    response = sam.post(f"/stories/{story_id}/versions", data=late, files=NO_FILE)
    assert response.status_code == 409
    assert "Not re-checked: someone made version 2 meanwhile" in response.text
    assert f">\n{KP} It snowed.</textarea>" in response.text
    assert '<input type="hidden" name="base_version" value="2">' in response.text
    assert store.story(story_id).current_version == 2


def test_a_draft_that_cannot_be_checked_is_shown_again_with_what_to_fix(person: Person, store: Store) -> None:
    sam = signed_in(person, store, "sam", "checker")
    story_id = save(sam)
    draft = documents_form(token(sam), ("TASS", TASS), ("Khaama Press", " "), base_version="1")
    response = sam.post(f"/stories/{story_id}/versions", data=draft, files=NO_FILE)
    assert response.status_code == 422
    assert "Document 2 (Khaama Press): has no text" in response.text
    assert (
        '<details class="edit-check recheck" open>' in response.text
        and f">\n{TASS}</textarea>" in response.text
    )
    assert '<input type="hidden" name="base_version" value="1">' in response.text
    assert store.story(story_id).current_version == 1


def test_a_stale_change_shows_the_flag_as_it_is_and_what_was_tried(person: Person, store: Store) -> None:
    sam = signed_in(person, store, "sam", "checker")
    ana = signed_in(person, store, "ana", "checker")
    story_id = save(sam)
    sam_action, sam_fields = flag_form(sam.get(f"/stories/{story_id}").text)
    ana_action, ana_fields = flag_form(ana.get(f"/stories/{story_id}").text)
    assert (
        sam.post(sam_action, data={**sam_fields, "status": "dismissed", "note": "Earlier stage."}).status_code
        == 303
    )

    tried = {**ana_fields, "status": "confirmed", "note": "KP is right.", "assignee": "ana"}
    response = ana.post(ana_action, data=tried)
    assert response.status_code == 409
    conflict = text_of(
        re.search(r'<div class="conflict".*?</div>\s*</div>\s*</div>', response.text, re.S).group(0)
    )  # type: ignore[union-attr]
    assert "Not saved: sam changed this flag first" in conflict and "Nothing was overwritten" in conflict
    assert "Now Status dismissed Note “Earlier stage.” Assignee none" in conflict
    assert "You tried Status confirmed Note “KP is right.” Assignee ana" in conflict
    _, kept = flag_form(response.text)
    assert (kept["note"], kept["assignee"], kept["version"]) == ("KP is right.", "ana", "2")
    assert 'data-status="dismissed"' in response.text
    (flag,) = store.story(story_id).flags
    assert (flag.status, flag.note, flag.version) == ("dismissed", "Earlier stage.", 2)

    # Sent again on purpose, it replaces theirs; both are in the history.
    assert ana.post(ana_action, data={**kept, "status": "confirmed"}).status_code == 303
    history = store.flag(story_id, flag.id).history or []
    assert [(e.actor, e.field, e.new) for e in history if e.field != "state"] == [
        ("sam", "status", "dismissed"),
        ("sam", "note", "Earlier stage."),
        ("ana", "status", "confirmed"),
        ("ana", "note", "KP is right."),
        ("ana", "assignee", "ana"),
    ]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"note": "n" * 10_001}, "note: String should have at most 10000 characters"),
        ({"status": "ignored"}, "status: Input should be &#39;open&#39;, &#39;confirmed&#39;"),
        ({"assignee": "a" * 101}, "assignee: String should have at most 100 characters"),
        ({"version": ""}, "The form lost the flag&#39;s version"),
    ],
)
def test_a_flag_form_that_cannot_be_saved_says_why_at_the_flag(
    person: Person, store: Store, change: dict[str, str], says: str
) -> None:
    sam = signed_in(person, store, "sam", "checker")
    story = store.save_story(DOCUMENTS, report(DRILL), store.user_named("sam"))  # type: ignore[arg-type]
    page = sam.get(f"/stories/{story.id}").text
    action, fields = flag_form(page, "TASS 3,200")
    response = sam.post(action, data={**fields, **change})
    assert response.status_code == 422
    problem = re.search(r'<p class="form-problem"[^>]*>(.*?)</p>', response.text)
    assert problem is not None and says in problem.group(1)
    assert store.flag(story.id, story.flags[0].id).version == 1


def test_a_viewer_reads_everything_and_every_change_is_refused(person: Person, store: Store) -> None:
    sam_user, _ = user(store, "sam", "checker")
    story = store.save_story(DOCUMENTS, report(DRILL), sam_user)
    vic = signed_in(person, store, "vic", "viewer")
    page = vic.get(f"/stories/{story.id}")
    assert page.status_code == 200 and "Signed in as vic (viewer)" in text_of(page.text)
    assert '<article class="flag' in page.text and "Flags as CSV" in page.text
    assert 'class="triage-form"' not in page.text and 'name="status" value=' not in page.text
    assert "/versions" not in page.text and "Re-check" not in page.text
    checked = vic.post("/check", data=documents_form(token(vic), ("TASS", TASS)), files=NO_FILE)
    assert "Save as a story" not in checked.text and "vic is a viewer" in checked.text

    csrf = token(vic)
    flag = story.flags[0]
    forged = [
        vic.post(
            f"/stories/{story.id}/flags/{flag.id}",
            data={"csrf_token": csrf, "version": "1", "status": "dismissed"},
        ),
        vic.post("/stories", data=documents_form(csrf, ("TASS", TASS)), files=NO_FILE),
        vic.post(f"/stories/{story.id}/versions", data=documents_form(csrf, ("TASS", TASS)), files=NO_FILE),
    ]
    for response in forged:
        assert response.status_code == 403
        assert "vic is a viewer" in response.text and "Nothing was changed" in response.text
    assert store.flag(story.id, flag.id).version == 1
    assert store.stories().total == 1 and store.story(story.id).current_version == 1


def test_signed_out_the_pages_ask_for_a_key(person: Person, store: Store) -> None:
    sam_user, _ = user(store, "sam", "checker")
    story = store.save_story(DOCUMENTS, report(DRILL), sam_user)
    client = person()
    for path in ("/stories", f"/stories/{story.id}", f"/stories/{story.id}/exports/flags.csv"):
        response = client.get(path)
        assert response.status_code == 401 and "Sign in first" in response.text
        assert f'href="/sign-in?next={path}"' in response.text
    change = client.post(
        f"/stories/{story.id}/flags/{story.flags[0].id}",
        data={"csrf_token": token(client), "version": "1", "status": "dismissed"},
    )
    assert change.status_code == 401 and "nothing was changed" in change.text
    assert (
        "Sign in</a> to save checks as stories"
        in client.post("/check", data=documents_form(token(client), ("TASS", TASS)), files=NO_FILE).text
    )


# --- the list and the exports --------------------------------------------------------------------------


def test_the_story_list_is_newest_first_with_open_flags_filters_and_pages(
    started: TestClient, store: Store
) -> None:
    local = store.authenticate(None, True)
    stories = [store.save_story(DOCUMENTS, report(DRILL, TOLL), local, f"Story {n}") for n in range(27)]
    first = stories[0]
    store.update_flag(
        first.id, first.flags[0].id, FlagUpdate(version=1, status="dismissed", assignee="sam"), local
    )
    page = started.get("/stories")
    rows = re.findall(r'<th scope="row" data-label="Story"><a href="/stories/(\d+)">([^<]+)</a>', page.text)
    assert [title for _, title in rows] == [f"Story {n}" for n in range(26, 1, -1)]
    assert "1–25 of 27 stories, the latest change first." in text_of(page.text)
    assert re.findall(r'class="open-flags[^"]*">(\d+)<', page.text) == ["2"] * 25
    older = re.search(r'<a rel="next" href="([^"]+)">', page.text)
    assert older is not None and older.group(1) == "/stories?offset=25"
    page = started.get(older.group(1))
    assert [t for _, t in re.findall(r'href="/stories/(\d+)">(Story \d+)<', page.text)] == [
        "Story 1",
        "Story 0",
    ]
    assert '<a rel="prev" href="/stories">' in page.text and 'rel="next"' not in page.text
    assert (
        re.findall(r'class="open-flags[^"]*">(\d+)<', page.text) == ["2", "1"] and "1 dismissed" in page.text
    )

    filtered = started.get("/stories?status=dismissed&assignee=sam")
    assert re.findall(r'href="/stories/\d+">(Story \d+)<', filtered.text) == ["Story 0"]
    assert "1–1 of 1 story with a current flag that is dismissed assigned to sam" in text_of(filtered.text)
    assert "No story has a current flag that is corrected" in started.get("/stories?status=corrected").text
    assert started.get("/stories?status=bogus").status_code == 422
    assert started.get("/stories?offset=-1").status_code == 422


def test_the_exports_download_from_the_story_page(started: TestClient, store: Store) -> None:
    local = store.authenticate(None, True)
    story = store.save_story(DOCUMENTS, report(DRILL), local, "Drills")
    store.update_flag(
        story.id, story.flags[0].id, FlagUpdate(version=1, status="confirmed", note="=cmd"), local
    )
    page = started.get(f"/stories/{story.id}").text
    links = re.findall(r'<a href="(/stories/\d+/exports/[^"]+)" download>', page)
    assert [link.rsplit("/", 1)[1] for link in links] == [
        "flags.csv",
        "flags.md",
        "report.json",
        "claim-reviews.jsonld",
    ]
    for link in links:
        response = started.get(link)
        assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
        name = link.rsplit("/", 1)[1]
        assert response.headers["content-disposition"] == f'attachment; filename="story-{story.id}-v1-{name}"'
    (row,) = csv.DictReader(io.StringIO(started.get(links[0]).text))
    assert (row["status"], row["note"]) == ("confirmed", "'=cmd")
    assert started.get(f"/stories/{story.id}/exports/flags.xls").status_code == 404
    assert started.get("/stories/999/exports/flags.csv").status_code == 404
    assert started.get("/stories/x").status_code == 404

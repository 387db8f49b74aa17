"""The stored-story endpoints over HTTP, on SQLite and PostgreSQL: who may do what, the 409 path,
exports, and /v1/check going on whatever state the database is in."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import BACKENDS, new_store_url
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.api.errors import ErrorResponse
from service.api.stories import Me, StoryCreate, StoryRecheck
from service.api.story_examples import FLAG_UPDATE_EXAMPLES
from service.settings import Settings
from service.store import FlagUpdate, Store
from service.store.lazy import LazyStore
from service.store.views import Flag, Story, StoryPage, StoryVersion

TASS = {"id": "tass", "source": "TASS", "text": "Over 3,200 personnel took part in the drills."}
KP = {
    "id": "kp",
    "source": "Khaama Press",
    "text": "At least 10,000 troops from Tajikistan and 400 from Russia took part in the drills.",
}
LOCAL = ("127.0.0.1", 50000)


@pytest.fixture(scope="session")
def store_app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture(scope="session")
def started(store_app: FastAPI) -> Iterator[TestClient]:
    """The app started once (rules, pipeline), called from this machine."""
    with TestClient(store_app, client=LOCAL) as client:
        yield client


@pytest.fixture(params=BACKENDS)
def api(
    request: pytest.FixtureRequest, started: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    """The started app on an empty store of each backend."""
    lazy = LazyStore(new_store_url(request.param, request, tmp_path))
    request.addfinalizer(lazy.close)
    monkeypatch.setattr(started.app.state.runtime, "store", lazy)  # type: ignore[attr-defined]
    return started


def store_of(client: TestClient) -> Store:
    store: Store = client.app.state.runtime.store.get()  # type: ignore[attr-defined]
    return store


def beyond_loopback(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    monkeypatch.setattr(runtime, "settings", runtime.settings.model_copy(update={"host": "0.0.0.0"}))


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = ErrorResponse.model_validate(response.json()).error
    assert body.code == code
    return body.model_dump()


def save(client: TestClient, key: str | None = None) -> dict[str, Any]:
    response = client.post("/v1/stories", json={"documents": [TASS, KP]}, headers=auth(key))
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/v1/stories/{response.json()['id']}"
    return dict(response.json())


def auth(key: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"} if key else {}


def test_a_loopback_server_without_users_works_as_the_local_user_and_says_so(api: TestClient) -> None:
    me = api.get("/v1/me")
    assert me.status_code == 200
    assert me.headers["numcheck-mode"] == "local-single-user"
    assert me.json()["user"]["name"] == "local" and me.json()["local_mode"] is True
    assert "numcheck users add" in me.json()["notice"]
    assert (me.json()["may_change"], me.json()["may_delete"]) == (True, True)
    listing = api.get("/v1/stories")
    assert (listing.status_code, listing.headers["numcheck-mode"]) == (200, "local-single-user")


def test_a_server_beyond_loopback_without_users_refuses_stories_but_checks(
    api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    beyond_loopback(api, monkeypatch)
    for method, path in [
        ("GET", "/v1/stories"),
        ("GET", "/v1/me"),
        ("POST", "/v1/stories"),
        ("GET", "/v1/stories/1"),
    ]:
        body = error(api.request(method, path, json={"documents": [TASS]}), 403, "no_users")
        assert "`numcheck users add NAME --role admin`" in body["message"]
    assert api.post("/v1/check", json={"documents": [TASS, KP]}).status_code == 200


def test_a_request_from_another_machine_never_gets_the_local_user(
    api: TestClient, store_app: FastAPI
) -> None:
    remote = TestClient(store_app, client=("203.0.113.9", 40000))
    error(remote.get("/v1/stories"), 403, "no_users")


def test_once_users_exist_a_key_is_needed(api: TestClient) -> None:
    _, key = store_of(api).add_user("ana", "viewer")
    response = api.get("/v1/stories")
    assert "Authorization: Bearer" in error(response, 401, "unauthenticated")["message"]
    assert response.headers["www-authenticate"] == 'Bearer realm="numcheck"'
    error(api.get("/v1/stories", headers=auth(key + "x")), 401, "unauthenticated")
    error(api.get("/v1/stories", headers={"Authorization": f"Basic {key}"}), 401, "unauthenticated")
    ok = api.get("/v1/me", headers=auth(key))
    assert (ok.status_code, ok.json()["user"]["name"], ok.json()["local_mode"]) == (200, "ana", False)
    assert "numcheck-mode" not in ok.headers


PERMISSIONS = [
    # role, what, expected status
    ("viewer", "list", 200),
    ("viewer", "save", 403),
    ("viewer", "recheck", 403),
    ("viewer", "update", 403),
    ("viewer", "export", 200),
    ("viewer", "delete", 403),
    ("checker", "save", 201),
    ("checker", "recheck", 201),
    ("checker", "update", 200),
    ("checker", "delete", 403),
    ("admin", "update", 200),
    ("admin", "delete", 204),
]


@pytest.mark.parametrize(("role", "what", "status"), PERMISSIONS)
def test_viewers_read_checkers_triage_admins_delete(
    api: TestClient, role: str, what: str, status: int
) -> None:
    store = store_of(api)
    _, admin = store.add_user("boss", "admin")
    story = save(api, admin)
    _, key = store.add_user(f"a-{role}", role) if role != "admin" else (None, admin)
    sid, flag = story["id"], story["flags"][0]
    requests = {
        "list": ("GET", "/v1/stories", None),
        "save": ("POST", "/v1/stories", {"documents": [TASS, KP]}),
        "recheck": ("POST", f"/v1/stories/{sid}/versions", {"documents": [TASS, KP]}),
        "update": ("PATCH", f"/v1/stories/{sid}/flags/{flag['id']}", {"version": 1, "status": "confirmed"}),
        "export": ("GET", f"/v1/stories/{sid}/exports/flags.csv", None),
        "delete": ("DELETE", f"/v1/stories/{sid}", None),
    }
    method, path, body = requests[what]
    response = api.request(method, path, json=body, headers=auth(key))
    if status == 403:
        assert f"is a {role} and may not" in error(response, 403, "forbidden")["message"]
    else:
        assert response.status_code == status, response.text


def test_a_dismissal_survives_a_re_check_of_the_edited_draft(api: TestClient) -> None:
    story = save(api)
    flag = story["flags"][0]
    assert flag["kind"] == "conflicting_accounts" and flag["summary"].startswith("TASS: Over 3,200 personnel")
    path = f"/v1/stories/{story['id']}/flags/{flag['id']}"
    dismissed = api.patch(path, json={"version": 1, "status": "dismissed", "note": "Russians only"})
    assert dismissed.status_code == 200 and dismissed.json()["version"] == 2
    # An added sentence with a figure of its own renumbers the figures and moves every offset.
    edited = {**TASS, "text": "The drills, held 40 km from the border, began on Monday. " + TASS["text"]}
    again = api.post(
        f"/v1/stories/{story['id']}/versions", json={"documents": [edited, KP], "base_version": 1}
    )
    assert again.status_code == 201, again.text
    kept = Story.model_validate(again.json()).flags[0]
    assert (kept.id, kept.status, kept.note, kept.state) == (
        flag["id"],
        "dismissed",
        "Russians only",
        "current",
    )
    assert kept.discrepancy.figure_ids != flag["discrepancy"]["figure_ids"]
    fixed = {**KP, "text": KP["text"].replace("10,000", "2,800")}
    resolved = api.post(f"/v1/stories/{story['id']}/versions", json={"documents": [edited, fixed]}).json()
    assert [(f["id"], f["state"]) for f in resolved["flags"]] == [(flag["id"], "resolved_by_edit")]
    assert resolved["open_flags"] == 0 and resolved["current_version"] == 3
    history = api.get(path).json()["history"]
    assert [(h["field"], h["new"]) for h in history] == [
        ("state", "current"),
        ("status", "dismissed"),
        ("note", "Russians only"),
        ("state", "resolved_by_edit"),
    ]


def test_a_stale_flag_change_gets_409_with_the_flag_as_it_is(api: TestClient) -> None:
    story = save(api)
    path = f"/v1/stories/{story['id']}/flags/{story['flags'][0]['id']}"
    assert api.patch(path, json={"version": 1, "note": "first"}).status_code == 200
    body = error(api.patch(path, json={"version": 1, "note": "second"}), 409, "conflict")
    current = Flag.model_validate(body["details"][0]["current"])
    assert (current.version, current.note) == (2, "first")
    assert "based on version 1" in body["message"]
    assert api.get(path).json()["note"] == "first"


def test_a_stale_re_check_gets_409(api: TestClient) -> None:
    story = save(api)
    path = f"/v1/stories/{story['id']}/versions"
    assert api.post(path, json={"documents": [TASS, KP], "base_version": 1}).status_code == 201
    body = error(api.post(path, json={"documents": [TASS], "base_version": 1}), 409, "conflict")
    assert body["details"][0]["current"]["current_version"] == 2


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code", "where"),
    [
        (
            "PATCH",
            "/v1/stories/{sid}/flags/{fid}",
            {"version": 1},
            422,
            "invalid_input",
            "give at least one of",
        ),
        (
            "PATCH",
            "/v1/stories/{sid}/flags/{fid}",
            {"version": 1, "status": "done"},
            422,
            "invalid_input",
            "status",
        ),
        (
            "PATCH",
            "/v1/stories/{sid}/flags/{fid}",
            {"version": 1, "status": None},
            422,
            "invalid_input",
            "null",
        ),
        (
            "PATCH",
            "/v1/stories/{sid}/flags/{fid}",
            {"version": 0, "note": "x"},
            422,
            "invalid_input",
            "version",
        ),
        (
            "PATCH",
            "/v1/stories/{sid}/flags/{fid}",
            {"version": 1, "assignee": "x" * 101},
            422,
            "invalid_input",
            "assignee",
        ),
        ("PATCH", "/v1/stories/{sid}/flags/{fid}", {"version": 1, "nota": "x"}, 422, "invalid_input", "nota"),
        (
            "PATCH",
            "/v1/stories/{sid}/flags/999",
            {"version": 1, "note": "x"},
            404,
            "not_found",
            "has no flag 999",
        ),
        ("GET", "/v1/stories/999", None, 404, "not_found", "no story 999"),
        ("GET", "/v1/stories/abc", None, 422, "invalid_input", "story_id"),
        ("GET", "/v1/stories/99999999999", None, 422, "invalid_input", "story_id"),
        ("GET", "/v1/stories?status=closed", None, 422, "invalid_input", "query -> status"),
        ("GET", "/v1/stories?limit=0", None, 422, "invalid_input", "query -> limit"),
        ("GET", "/v1/stories/{sid}/versions/9", None, 404, "not_found", "has no version 9"),
        ("GET", "/v1/stories/{sid}/exports/flags.xls", None, 422, "invalid_input", "flags.csv"),
        ("POST", "/v1/stories", {"documents": []}, 422, "invalid_input", "documents"),
        (
            "POST",
            "/v1/stories",
            {"documents": [TASS, TASS]},
            422,
            "invalid_input",
            "give each document its own id",
        ),
        ("POST", "/v1/stories", {"documents": [TASS], "options": {}}, 422, "invalid_input", "options"),
        (
            "POST",
            "/v1/stories",
            {"documents": [{**TASS, "id": str(n)} for n in range(21)]},
            413,
            "too_large",
            "Too many documents",
        ),
        ("POST", "/v1/stories/999/versions", {"documents": [TASS]}, 404, "not_found", "no story 999"),
        ("DELETE", "/v1/stories/999", None, 404, "not_found", "no story 999"),
    ],
)
def test_bad_requests_get_a_clear_4xx_in_the_one_shape(
    api: TestClient, method: str, path: str, body: Any, status: int, code: str, where: str
) -> None:
    story = save(api)
    path = path.format(sid=story["id"], fid=story["flags"][0]["id"])
    found = error(api.request(method, path, json=body), status, code)
    assert where in found["message"] + json.dumps(found["details"])


def test_the_list_filters_by_status_and_assignee(api: TestClient) -> None:
    first, second = save(api), save(api)
    api.patch(
        f"/v1/stories/{first['id']}/flags/{first['flags'][0]['id']}", json={"version": 1, "assignee": "sam"}
    )
    page = StoryPage.model_validate(api.get("/v1/stories").json())
    assert [s.id for s in page.stories] == [second["id"], first["id"]]
    assert [s.open_flags for s in page.stories] == [1, 1]
    assert [s["id"] for s in api.get("/v1/stories?assignee=sam").json()["stories"]] == [first["id"]]
    assert api.get("/v1/stories?status=dismissed").json()["total"] == 0
    one = api.get("/v1/stories?limit=1&offset=1").json()
    assert ([s["id"] for s in one["stories"]], one["next_offset"]) == ([first["id"]], None)


def test_exports_download_with_their_types(api: TestClient) -> None:
    story = save(api)
    api.patch(
        f"/v1/stories/{story['id']}/flags/{story['flags'][0]['id']}",
        json={"version": 1, "status": "confirmed"},
    )
    base = f"/v1/stories/{story['id']}/exports/"
    csv_response = api.get(base + "flags.csv")
    assert csv_response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        csv_response.headers["content-disposition"]
        == f'attachment; filename="story-{story["id"]}-v1-flags.csv"'
    )
    (row,) = csv.DictReader(io.StringIO(csv_response.text))
    assert (row["status"], row["kind"]) == ("confirmed", "conflicting_accounts")
    reviews = api.get(base + "claim-reviews.jsonld")
    assert reviews.headers["content-type"] == "application/ld+json"
    (review,) = json.loads(reviews.text)["@graph"]
    assert review["itemReviewed"]["author"] == [
        {"@type": "Organization", "name": "TASS"},
        {"@type": "Organization", "name": "Khaama Press"},
    ]
    assert api.get(base + "report.json").json()["discrepancies"][0]["kind"] == "conflicting_accounts"
    assert api.get(base + "flags.md").text.startswith("# TASS: Over 3,200 personnel took part in the drills.")


def test_checks_work_without_a_database_and_stories_say_why_they_do_not(
    started: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(started.app.state.runtime, "store", LazyStore(f"sqlite:///{blocker}/x/db.sqlite3"))  # type: ignore[attr-defined]
    assert started.post("/v1/check", json={"documents": [TASS, KP]}).status_code == 200
    response = started.get("/v1/stories")
    assert "Cannot create the data folder" in error(response, 503, "store_unavailable")["message"]
    assert response.headers["retry-after"] == "1"


def test_an_app_whose_database_is_down_still_starts_and_checks(settings: Settings) -> None:
    down = settings.model_copy(
        update={"database_url": "postgresql://nobody@/numcheck?host=/nonexistent&connect_timeout=2"}
    )
    with TestClient(create_app(down), client=LOCAL) as client:
        assert client.post("/v1/check", json={"documents": [TASS, KP]}).status_code == 200
        assert client.get("/readyz").status_code == 200
        assert "connection" in error(client.get("/v1/me"), 503, "store_unavailable")["message"]


def test_the_openapi_schema_describes_the_story_api_with_valid_examples(started: TestClient) -> None:
    schema = started.get("/openapi.json").json()
    paths = schema["paths"]
    assert {p for p in paths if p.startswith("/v1/stories") or p == "/v1/me"} == {
        "/v1/me",
        "/v1/stories",
        "/v1/stories/{story_id}",
        "/v1/stories/{story_id}/versions",
        "/v1/stories/{story_id}/versions/{number}",
        "/v1/stories/{story_id}/flags/{flag_id}",
        "/v1/stories/{story_id}/exports/{name}",
    }
    assert schema["components"]["securitySchemes"]["key"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key from `numcheck users add NAME --role ROLE`, sent as `Authorization: Bearer <key>`.",
    }
    # The examples as the docs show them (None values left out) are valid requests and answers.
    patch = paths["/v1/stories/{story_id}/flags/{flag_id}"]["patch"]
    for example in patch["requestBody"]["content"]["application/json"]["examples"].values():
        FlagUpdate.model_validate(example["value"])
    assert len(patch["requestBody"]["content"]["application/json"]["examples"]) == len(FLAG_UPDATE_EXAMPLES)
    Flag.model_validate(patch["responses"]["200"]["content"]["application/json"]["example"])
    conflict = ErrorResponse.model_validate(
        patch["responses"]["409"]["content"]["application/json"]["example"]
    )
    Flag.model_validate(conflict.error.details[0]["current"])
    for path, model in [("/v1/stories", StoryCreate), ("/v1/stories/{story_id}/versions", StoryRecheck)]:
        for example in paths[path]["post"]["requestBody"]["content"]["application/json"]["examples"].values():
            model.model_validate(example["value"])
        Story.model_validate(
            paths[path]["post"]["responses"]["201"]["content"]["application/json"]["example"]
        )
    StoryPage.model_validate(
        paths["/v1/stories"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    )
    Story.model_validate(
        paths["/v1/stories/{story_id}"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    )
    version = paths["/v1/stories/{story_id}/versions/{number}"]["get"]["responses"]["200"]["content"]
    StoryVersion.model_validate(version["application/json"]["example"])
    Me.model_validate(paths["/v1/me"]["get"]["responses"]["200"]["content"]["application/json"]["example"])
    exports = paths["/v1/stories/{story_id}/exports/{name}"]["get"]["responses"]["200"]["content"]
    assert set(exports) == {"text/csv", "text/markdown", "application/json", "application/ld+json"}
    for path_item in paths.values():
        for operation in path_item.values():
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert answer["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ErrorResponse"
                    }

"""The stored-story endpoints, `/v1/me` and `/v1/stories…`. Each is thin: who asks, then the store.

Reading needs any user (viewer and up); saving, re-checking and changing flags a checker; deleting
an admin. The store checks the role; the routes that run a check ask first, so a viewer is not
kept waiting for a check whose result would be refused.

The routes are coroutines that hand each store call to the thread pool: one hop a call, where
plain functions would take one for the route and another to validate its answer.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.concurrency import run_in_threadpool as in_thread

from ..store import LOCAL_NOTICE, Action, FlagUpdate, may, require
from ..store.tables import NAME_LENGTH, TITLE_LENGTH
from ..store.views import Flag, Status, Story, StoryPage, StoryVersion, User
from .auth import UserDep
from .deps import CheckerDep, StoreDep
from .errors import error_responses
from .request import SubmittedDocument, unique_ids
from .story_examples import (
    EXPORT_EXAMPLES,
    FLAG_UPDATE_EXAMPLES,
    RECHECK_EXAMPLES,
    STORY_EXAMPLES,
    conflict_response,
    example_response,
)

router = APIRouter(prefix="/v1", tags=["stories"])

# Ids beyond what every backend stores as an integer are no story at all, not a database error.
MAX_ID = 2**31 - 1
StoryId = Annotated[int, Path(ge=1, le=MAX_ID, description="The story's id.")]
FlagId = Annotated[int, Path(ge=1, le=MAX_ID, description="The flag's id (from the story's `flags`).")]
ExportName = Literal["flags.csv", "flags.md", "report.json", "claim-reviews.jsonld"]
READ_ERRORS = error_responses(401, 403, 404, 422, 503)
CHANGE_ERRORS = error_responses(401, 403, 404, 413, 422, 503)


class Me(BaseModel):
    """Who the request acts as, and what they may do."""

    user: User
    local_mode: bool = Field(description="True on a loopback server with no users: everyone here is 'local'.")
    notice: str | None = Field(
        default=None, description="What a page should tell its user about local mode, if anything."
    )
    may_change: bool = Field(description="May save stories, re-check them and change flags (checker, admin).")
    may_delete: bool = Field(description="May delete stories (admin).")


class StoryCreate(BaseModel):
    """The documents to check and save as a new story. The check runs with the default options."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str | None = Field(
        default=None,
        min_length=1,
        max_length=TITLE_LENGTH,
        pattern=r"\S",
        description="Defaults to the first document's source and first line.",
    )
    documents: list[SubmittedDocument] = Field(min_length=1, description="As for POST /v1/check.")

    _unique = field_validator("documents")(unique_ids)


class StoryRecheck(BaseModel):
    """The edited draft: every document, as it is now."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    documents: list[SubmittedDocument] = Field(min_length=1, description="As for POST /v1/check.")
    base_version: int | None = Field(
        default=None,
        ge=1,
        description="The story version this draft was edited from; if another re-check came first, 409.",
    )

    _unique = field_validator("documents")(unique_ids)


@router.get(
    "/me", summary="Who am I", responses={**READ_ERRORS, **example_response(200, "me")}, operation_id="me"
)
async def me(user: UserDep) -> Me:
    return Me(
        user=user,
        local_mode=user.local,
        notice=LOCAL_NOTICE if user.local else None,
        may_change=may(user, Action.CHANGE),
        may_delete=may(user, Action.DELETE),
    )


@router.post(
    "/stories",
    status_code=201,
    summary="Check documents and save them as a story",
    responses={**CHANGE_ERRORS, **example_response(201, "story")},
    operation_id="save_story",
)
async def save_story(
    body: Annotated[StoryCreate, Body(openapi_examples=STORY_EXAMPLES)],
    user: UserDep,
    store: StoreDep,
    response: Response,
    checker: CheckerDep,
) -> Story:
    require(user, Action.CHANGE)
    documents, report = await checker(body.documents)
    story = await in_thread(store.save_story, documents, report, user, body.title)
    response.headers["Location"] = f"/v1/stories/{story.id}"
    return story


@router.get(
    "/stories",
    summary="Stories, newest first, with their open flags",
    responses={**READ_ERRORS, **example_response(200, "story_page")},
    operation_id="stories",
)
async def list_stories(
    user: UserDep,
    store: StoreDep,
    status: Annotated[
        Status | None, Query(description="Only stories with a current flag of this status.")
    ] = None,
    assignee: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=NAME_LENGTH,
            description="Only stories with a current flag assigned to them.",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Stories per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID, description="Stories to skip (see `next_offset`).")] = 0,
) -> StoryPage:
    return await in_thread(store.stories, status, assignee, limit, offset)


@router.get(
    "/stories/{story_id}",
    summary="A story: its current version, report and flags",
    responses={**READ_ERRORS, **example_response(200, "story")},
    operation_id="story",
)
async def get_story(story_id: StoryId, user: UserDep, store: StoreDep) -> Story:
    return await in_thread(store.story, story_id)


@router.delete(
    "/stories/{story_id}",
    status_code=204,
    summary="Delete a story (admins)",
    responses=READ_ERRORS,
    operation_id="delete_story",
)
async def delete_story(story_id: StoryId, user: UserDep, store: StoreDep) -> Response:
    await in_thread(store.delete_story, story_id, user)
    return Response(status_code=204)


@router.post(
    "/stories/{story_id}/versions",
    status_code=201,
    summary="Re-check an edited draft as the story's next version",
    description="Decisions carry over to the flags that persist (same kind over the same claims: "
    "see the flag's `fingerprint`); flags the new version lacks become `resolved_by_edit`; new ones are open.",
    responses={**CHANGE_ERRORS, **error_responses(409), **example_response(201, "story")},
    operation_id="recheck_story",
)
async def recheck_story(
    story_id: StoryId,
    body: Annotated[StoryRecheck, Body(openapi_examples=RECHECK_EXAMPLES)],
    user: UserDep,
    store: StoreDep,
    checker: CheckerDep,
) -> Story:
    require(user, Action.CHANGE)
    await in_thread(store.story, story_id)  # a missing story is a 404 before a check is run
    documents, report = await checker(body.documents)
    return await in_thread(store.recheck, story_id, documents, report, user, body.base_version)


@router.get(
    "/stories/{story_id}/versions/{number}",
    summary="One version of a story: its documents and report",
    responses={**READ_ERRORS, **example_response(200, "version")},
    operation_id="story_version",
)
async def get_version(
    story_id: StoryId,
    number: Annotated[int, Path(ge=1, le=MAX_ID, description="The version number, from 1.")],
    user: UserDep,
    store: StoreDep,
) -> StoryVersion:
    return await in_thread(store.version, story_id, number)


@router.get(
    "/stories/{story_id}/flags/{flag_id}",
    summary="A flag with its whole history",
    responses={**READ_ERRORS, **example_response(200, "flag")},
    operation_id="flag",
)
async def get_flag(story_id: StoryId, flag_id: FlagId, user: UserDep, store: StoreDep) -> Flag:
    return await in_thread(store.flag, story_id, flag_id)


@router.patch(
    "/stories/{story_id}/flags/{flag_id}",
    summary="Change a flag's status, note or assignee",
    description="Send the flag's `version` as you read it. If someone changed the flag since, the answer "
    "is 409 with the flag as it is now in `error.details[0].current`; nothing is overwritten.",
    responses={**CHANGE_ERRORS, **conflict_response(), **example_response(200, "flag")},
    operation_id="update_flag",
)
async def update_flag(
    story_id: StoryId,
    flag_id: FlagId,
    body: Annotated[FlagUpdate, Body(openapi_examples=FLAG_UPDATE_EXAMPLES)],
    user: UserDep,
    store: StoreDep,
) -> Flag:
    return await in_thread(store.update_flag, story_id, flag_id, body, user)


@router.get(
    "/stories/{story_id}/exports/{name}",
    summary="Export a story: flags as CSV or Markdown, the report, ClaimReview JSON-LD",
    description="`flags.csv` and `flags.md`: every flag with its status, note and assignee. "
    "`report.json`: the current version's report. `claim-reviews.jsonld`: schema.org ClaimReview for "
    "the confirmed and corrected flags.",
    response_class=Response,
    responses={**READ_ERRORS, 200: {"description": "The export, as a download", "content": EXPORT_EXAMPLES}},
    operation_id="export_story",
)
async def export_story(
    story_id: StoryId,
    name: Annotated[ExportName, Path(description="Which export.")],
    user: UserDep,
    store: StoreDep,
) -> Response:
    export = await in_thread(store.export, story_id, name)
    disposition = f'attachment; filename="{export.filename}"'
    return Response(export.text, media_type=export.media_type, headers={"Content-Disposition": disposition})

"""The pages people triage in: the story list, a story with its flags and the forms that change
them, saving a check as a story, re-checking an edited draft, and the exports.

Each route is thin: the account (account.py), the CSRF token of a form that changes anything, then
the store, whose role checks refuse a viewer's change whatever the page showed. A change answers
with a redirect to the story (so a reload sends nothing twice); a change that cannot be made
answers with the story page again, showing why at the flag, with what was typed kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool as in_thread
from starlette.responses import Response

from ..errors import InputError, NumcheckError
from ..store import (
    EXPORTS,
    STATUSES,
    Conflict,
    Flag,
    FlagUpdate,
    Forbidden,
    NotFound,
    Store,
    Story,
    Unauthenticated,
)
from ..store.tables import NAME_LENGTH
from ..web.account import Account
from ..web.errors import ErrorView, error_view
from ..web.form import Entry, submission
from ..web.render import render
from ..web.session import CSRF_FIELD, CsrfRefused
from ..web.triage import Draft, story_list_view, story_view
from .account import AccountDep, verify_csrf
from .answers import PRIVATE, STORIES, message_page, redirect, refusal
from .deps import RuntimeDep, get_store
from .errors import status_for
from .pages import (
    UnreadableForm,
    answer,
    check_submission,
    form_context,
    form_error,
    page,
    posted_documents,
    read_form,
)

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25
MAX_ID = 2**31 - 1


# --- the story list -------------------------------------------------------------------------------


async def _assignees(store: Store) -> list[str]:
    return [user.name for user in await in_thread(store.users)]


@router.get(STORIES, response_class=HTMLResponse)
async def stories(
    request: Request,
    runtime: RuntimeDep,
    account: AccountDep,
    status: str = "",
    assignee: str = "",
    offset: str = "0",
) -> Response:
    if account.user is None:
        return refusal(request, account)
    assignee = assignee.strip()
    problems = []
    if status and status not in STATUSES:
        problems.append(f"There is no status {status!r}: choose one of {', '.join(STATUSES)}.")
    if len(assignee) > NAME_LENGTH:
        problems.append(f"An assignee's name has at most {NAME_LENGTH} characters.")
    if not offset.isdigit() or int(offset) > MAX_ID:
        problems.append("The page asked for does not exist: start from the first page.")
    if problems:
        return message_page(
            request, account, 422, "This list cannot be shown", " ".join(problems), [("All stories", STORIES)]
        )
    try:
        store = await get_store(runtime)
        listing = await in_thread(store.stories, status or None, assignee or None, PAGE_SIZE, int(offset))
        names = await _assignees(store)
    except NumcheckError as exc:
        return refusal(request, account, exc)
    html = render("stories.html", account=account, stories=story_list_view(listing, status, assignee, names))
    return answer(request, account, page(html, headers=PRIVATE))


@router.post(STORIES, response_class=HTMLResponse)
async def save_story(request: Request, runtime: RuntimeDep, account: AccountDep) -> Response:
    posted = await posted_documents(request, runtime, account)
    if isinstance(posted, Response):
        return posted
    form, sub = posted
    if not account.may_change or account.user is None:
        return refusal(request, account, _cannot_change(account))
    try:
        documents, report = await check_submission(runtime, sub, request)
        store = await get_store(runtime)
        title = form.fields.get("title", "").strip() or None
        story = await in_thread(store.save_story, documents, report, account.user, title)
    except NumcheckError as exc:
        return answer(request, account, form_error(runtime.settings, account, exc, sub))
    return redirect(request, account, f"{STORIES}/{story.id}")


def _cannot_change(account: Account) -> NumcheckError:
    if account.user is None:
        return Unauthenticated("Sign in to save and triage stories.")
    return Forbidden(
        f"{account.user.name} is a {account.user.role}: viewers read stories, and saving, re-checking or "
        "changing flags needs the role checker. Nothing was changed."
    )


# --- a story --------------------------------------------------------------------------------------


def _story_id(value: str) -> int | None:
    return int(value) if value.isdigit() and 1 <= int(value) <= MAX_ID else None


def story_page(
    runtime: Any,
    account: Account,
    story: Story,
    assignees: list[str],
    *,
    drafts: Mapping[int, Draft] | None = None,
    saved: int | None = None,
    entries: list[Entry] | None = None,
    error: ErrorView | None = None,
    base_version: int | None = None,
    status: int = 200,
) -> HTMLResponse:
    view = story_view(story, drafts, saved)
    html = render(
        "story.html",
        account=account,
        title=story.title,
        story=view,
        view=view.report,
        triage=view.triage,
        meta=story.report.meta,
        entries=entries if entries is not None else [Entry(d.source or "", d.text) for d in story.documents],
        base_version=base_version or story.current_version,
        assignees=assignees,
        error=error,
        **form_context(runtime.settings),
    )
    return page(html, status, PRIVATE)


async def _read_story(runtime: Any, story_id: int) -> tuple[Store, Story, list[str]]:
    store = await get_store(runtime)
    story = await in_thread(store.story, story_id, True)
    return store, story, await _assignees(store)


@router.get(STORIES + "/{story_id}", response_class=HTMLResponse)
async def story(
    request: Request, runtime: RuntimeDep, account: AccountDep, story_id: str, saved: str = ""
) -> Response:
    if account.user is None:
        return refusal(request, account)
    number = _story_id(story_id)
    if number is None:
        return refusal(request, account, NotFound(f"There is no story {story_id!r}."))
    try:
        _, found, names = await _read_story(runtime, number)
    except NumcheckError as exc:
        return refusal(request, account, exc)
    shown = int(saved) if saved.isdigit() else None
    return answer(request, account, story_page(runtime, account, found, names, saved=shown))


@router.post(STORIES + "/{story_id}/flags/{flag_id}", response_class=HTMLResponse)
async def change_flag(
    request: Request, runtime: RuntimeDep, account: AccountDep, story_id: str, flag_id: str
) -> Response:
    async with request.form() as form:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
    number, flag_number = _story_id(story_id), _story_id(flag_id)
    try:
        verify_csrf(account, fields.get(CSRF_FIELD))
    except CsrfRefused as exc:
        return message_page(
            request, account, 403, "Not saved", exc.message, [("Back to the story", f"{STORIES}/{story_id}")]
        )
    if not account.may_change or account.user is None:
        return refusal(request, account, _cannot_change(account))
    if number is None or flag_number is None:
        return refusal(request, account, NotFound(f"There is no flag {flag_id!r} in story {story_id!r}."))
    tried = Draft(
        status=fields.get("status") or None,
        note=fields.get("note", "").replace("\r\n", "\n").strip(),
        assignee=fields.get("assignee", "").strip(),
    )
    try:
        store = await get_store(runtime)
        update = _update(fields, tried)
        flag = await in_thread(store.update_flag, number, flag_number, update, account.user)
    except (Conflict, _Invalid) as exc:
        if isinstance(exc, Conflict):
            draft = Draft(tried.status, tried.note, tried.assignee, current=Flag.model_validate(exc.current))
        else:
            draft = Draft(tried.status, tried.note, tried.assignee, problem=exc.message)
        try:
            _, found, names = await _read_story(runtime, number)
        except NumcheckError as again:
            return refusal(request, account, again)
        code = status_for(exc)
        return answer(
            request,
            account,
            story_page(runtime, account, found, names, drafts={flag_number: draft}, status=code),
        )
    except NumcheckError as exc:
        return refusal(request, account, exc)
    # The fragment names the "Saved" line, which can take the focus: the browser scrolls to it and
    # focuses it, so the keyboard goes on from the flag just changed.
    return redirect(request, account, f"{STORIES}/{number}?saved={flag.id}#saved-{flag.id}")


class _Invalid(InputError):
    """The flag form cannot be read as a change (its version lost, a note too long...)."""


def _update(fields: Mapping[str, str], tried: Draft) -> FlagUpdate:
    version = fields.get("version", "")
    if not version.isdigit():
        raise _Invalid("The form lost the flag's version: reload the story and make the change again.")
    values: dict[str, Any] = {"version": int(version), "note": tried.note, "assignee": tried.assignee}
    if tried.status is not None:
        values["status"] = tried.status
    try:
        return FlagUpdate(**values)
    except ValidationError as exc:
        problems = "; ".join(f"{' -> '.join(map(str, e['loc'])) or 'form'}: {e['msg']}" for e in exc.errors())
        raise _Invalid(f"Not saved: {problems}.") from None


@router.post(STORIES + "/{story_id}/versions", response_class=HTMLResponse)
async def recheck(request: Request, runtime: RuntimeDep, account: AccountDep, story_id: str) -> Response:
    settings = runtime.settings
    number = _story_id(story_id)
    try:
        form = await read_form(request, settings)
    except UnreadableForm as exc:
        return message_page(
            request,
            account,
            exc.status,
            exc.view.title,
            exc.view.message,
            [("Back to the story", f"{STORIES}/{story_id}")],
        )
    sub = await in_thread(submission, form.entries)
    try:
        verify_csrf(account, form.fields.get(CSRF_FIELD))
    except CsrfRefused as exc:
        return message_page(
            request,
            account,
            403,
            "Not re-checked",
            exc.message,
            [("Back to the story", f"{STORIES}/{story_id}")],
        )
    if not account.may_change or account.user is None:
        return refusal(request, account, _cannot_change(account))
    if number is None:
        return refusal(request, account, NotFound(f"There is no story {story_id!r}."))
    base = form.fields.get("base_version", "")
    base_version = int(base) if base.isdigit() else None
    try:
        store, current, names = await _read_story(runtime, number)  # a missing story: 404 before a check
    except NumcheckError as exc:
        return refusal(request, account, exc)
    try:
        documents, report = await check_submission(runtime, sub, request)
        await in_thread(store.recheck, number, documents, report, account.user, base_version)
    except Conflict as exc:
        try:
            _, current, names = await _read_story(runtime, number)
        except NumcheckError as again:
            return refusal(request, account, again)
        view = ErrorView(
            exc.code,
            f"Not re-checked: someone made version {current.current_version} meanwhile",
            f"Your draft is kept below. Read version {current.current_version} (shown here) and re-check "
            "again to make your draft the next version.",
        )
        # Based on the version now shown: sending the draft again is a decision made having seen it.
        page_ = _draft_page(runtime, account, current, names, sub.entries, view, exc, current.current_version)
        return answer(request, account, page_)
    except NumcheckError as exc:
        view = error_view(exc.code, exc.message, exc.details, sub.labels)
        page_ = _draft_page(runtime, account, current, names, sub.entries, view, exc, base_version)
        return answer(request, account, page_)
    return redirect(request, account, f"{STORIES}/{number}")


def _draft_page(
    runtime: Any,
    account: Account,
    story: Story,
    assignees: list[str],
    entries: list[Entry],
    view: ErrorView,
    exc: NumcheckError,
    base_version: int | None,
) -> HTMLResponse:
    """The story page again, the draft that could not be re-checked kept in its form."""
    return story_page(
        runtime,
        account,
        story,
        assignees,
        entries=entries,
        error=view,
        base_version=base_version,
        status=status_for(exc),
    )


@router.get(STORIES + "/{story_id}/exports/{name}")
async def export(
    request: Request, runtime: RuntimeDep, account: AccountDep, story_id: str, name: str
) -> Response:
    if account.user is None:
        return refusal(request, account)
    number = _story_id(story_id)
    if number is None or name not in EXPORTS:
        return refusal(request, account, NotFound(f"There is no export {name!r} of story {story_id!r}."))
    try:
        store = await get_store(runtime)
        made = await in_thread(store.export, number, name)
    except NumcheckError as exc:
        return refusal(request, account, exc)
    headers = {**PRIVATE, "Content-Disposition": f'attachment; filename="{made.filename}"'}
    return answer(request, account, Response(made.text, media_type=made.media_type, headers=headers))

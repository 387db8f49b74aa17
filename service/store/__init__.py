"""Stored stories, their flags and triage history, and the users who may work on them.

The interface other parts of numcheck use (the JSON API, the browser pages, the command line):

    from service.store import Store, FlagUpdate, Action, LOCAL_USER, is_loopback

    store = Store.open(settings.store_url)        # connects and upgrades the schema
    user = store.authenticate(key, loopback=is_loopback(settings.host))
        # the user a key belongs to; with key None: the single local admin on a loopback
        # server without users, else Unauthenticated / NoUsers (messages say what to do)
    store.user_named("sam")                        # the user as they are now (a signed-in page)
    story = store.save_story(documents, report, user)             # version 1, every flag open
    story = store.recheck(story.id, documents, report, user)      # next version, decisions carried over
    page = store.stories(status="open", assignee="sam", limit=50, offset=0)
    flag = store.update_flag(story.id, flag_id, FlagUpdate(version=flag.version, status="dismissed",
                                                           note="Different stage of the drill"), user)
        # Conflict (with `.current`, the flag as it is) when flag.version is stale
    store.flag(story.id, flag_id)                  # with its history, oldest first
    store.story(story.id, history=True)            # every flag with its history (the story page)
    store.export(story.id, "flags.csv")            # or flags.md, report.json, claim-reviews.jsonld
    store.delete_story(story.id, user)             # admins only

`may(user, Action.CHANGE)` tells a page whether to offer a change at all; the store checks the
role again on every change (Forbidden). Errors are numcheck errors (service.store.errors), never
database exceptions: NotFound, Conflict, Unauthenticated, Forbidden, NoUsers, StoreUnavailable.
"""

from __future__ import annotations

from .access import LOCAL_NOTICE, LOCAL_USER, NO_USERS_NOTICE, Action, is_loopback, may, require
from .errors import Conflict, Forbidden, NotFound, NoUsers, StoreUnavailable, Unauthenticated
from .exports import EXPORTS, Export
from .store import Store
from .stories import default_title
from .triage import FlagUpdate
from .views import ROLES, STATUSES, Flag, HistoryEntry, Story, StoryPage, StorySummary, StoryVersion, User

__all__ = [
    "EXPORTS",
    "LOCAL_NOTICE",
    "LOCAL_USER",
    "NO_USERS_NOTICE",
    "ROLES",
    "STATUSES",
    "Action",
    "Conflict",
    "Export",
    "Flag",
    "FlagUpdate",
    "Forbidden",
    "HistoryEntry",
    "NoUsers",
    "NotFound",
    "Store",
    "StoreUnavailable",
    "Story",
    "StoryPage",
    "StorySummary",
    "StoryVersion",
    "Unauthenticated",
    "User",
    "default_title",
    "is_loopback",
    "may",
    "require",
]

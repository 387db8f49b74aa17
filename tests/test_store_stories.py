"""Stories and triage in the store, on SQLite and PostgreSQL: save, re-check, carry-over, history,
stale changes, the story list."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from storyfactory import BUDGET, DOCUMENTS, DRILL, TOLL, report

from service.store import LOCAL_USER, Conflict, FlagUpdate, NotFound, Store, Story


def save(store: Store, *flags: Any, title: str | None = None) -> Story:
    return store.save_story(DOCUMENTS, report(*flags), LOCAL_USER, title=title)


def by_kind_claims(story: Story) -> dict[str, Any]:
    return {flag.summary: flag for flag in story.flags}


def test_a_saved_story_has_its_documents_report_and_open_flags(store: Store) -> None:
    story = save(store, DRILL, BUDGET, title="Drills")
    assert (story.title, story.current_version, story.open_flags) == ("Drills", 1, 2)
    assert story.created_at == story.updated_at
    assert story.documents == DOCUMENTS
    assert story.report == report(DRILL, BUDGET)
    assert [(f.status, f.state, f.version, f.first_version) for f in story.flags] == [
        ("open", "current", 1, 1)
    ] * 2
    assert story.flags[0].summary == "TASS: 3,200 — Khaama Press: 10,400"
    assert [v.number for v in story.versions] == [1]


def test_an_untitled_story_is_named_after_its_first_document(store: Store) -> None:
    assert save(store, DRILL).title == "Khaama Press: The draft as sent."


def test_recheck_carries_decisions_resolves_what_went_and_opens_what_is_new(store: Store) -> None:
    story = save(store, DRILL, BUDGET)
    drill, budget = story.flags
    store.update_flag(
        story.id, drill.id, FlagUpdate(version=1, status="dismissed", note="Only Russians"), LOCAL_USER
    )
    store.update_flag(story.id, budget.id, FlagUpdate(version=1, assignee="sam"), LOCAL_USER)

    # The edit renumbers every figure and moves its offsets, drops BUDGET and brings in TOLL.
    again = store.recheck(story.id, DOCUMENTS, report(DRILL, TOLL, shift=7), LOCAL_USER, base_version=1)

    assert again.current_version == 2
    flags = {f.id: f for f in again.flags}
    assert (flags[drill.id].status, flags[drill.id].note, flags[drill.id].state) == (
        "dismissed",
        "Only Russians",
        "current",
    )
    assert flags[drill.id].discrepancy.figure_ids == ["f8", "f9"]  # as in the new version's report
    assert (flags[budget.id].state, flags[budget.id].assignee, flags[budget.id].last_seen_version) == (
        "resolved_by_edit",
        "sam",
        1,
    )
    (toll,) = [f for f in again.flags if f.id not in (drill.id, budget.id)]
    assert (toll.status, toll.state, toll.first_version) == ("open", "current", 2)
    assert again.flag_counts.model_dump() == {
        "open": 1,
        "confirmed": 0,
        "dismissed": 1,
        "corrected": 0,
        "resolved_by_edit": 1,
    }
    # Current flags first, by severity; the resolved one last.
    assert again.flags[-1].id == budget.id


def test_a_flag_that_comes_back_keeps_its_decision_and_says_so_in_history(store: Store) -> None:
    story = save(store, DRILL)
    (flag,) = story.flags
    store.update_flag(story.id, flag.id, FlagUpdate(version=1, status="confirmed"), LOCAL_USER)
    store.recheck(story.id, DOCUMENTS, report(), LOCAL_USER)
    back = store.recheck(story.id, DOCUMENTS, report(DRILL), LOCAL_USER)
    assert (back.flags[0].id, back.flags[0].status, back.flags[0].state) == (flag.id, "confirmed", "current")
    history = store.flag(story.id, flag.id).history or []
    assert [(h.field, h.old, h.new, h.flag_version, h.story_version) for h in history] == [
        ("state", None, "current", 1, 1),
        ("status", "open", "confirmed", 2, 1),
        ("state", "current", "resolved_by_edit", 3, 2),
        ("state", "resolved_by_edit", "current", 4, 3),
    ]


def test_every_change_is_in_history_with_who_when_and_from_what_to_what(store: Store) -> None:
    story = save(store, DRILL)
    flag = story.flags[0]
    ana = LOCAL_USER.model_copy(update={"name": "ana", "local": False})
    store.update_flag(
        story.id, flag.id, FlagUpdate(version=1, status="dismissed", note="n1", assignee="sam"), ana
    )
    store.update_flag(story.id, flag.id, FlagUpdate(version=2, assignee=None), LOCAL_USER)
    after = store.flag(story.id, flag.id)
    assert (after.version, after.assignee, after.updated_by) == (3, None, "local")
    changes = [(h.actor, h.field, h.old, h.new, h.flag_version) for h in after.history or []][1:]
    assert changes == [
        ("ana", "status", "open", "dismissed", 2),
        ("ana", "note", "", "n1", 2),
        ("ana", "assignee", None, "sam", 2),
        ("local", "assignee", "sam", None, 3),
    ]
    times = [h.at for h in after.history or []]
    assert times == sorted(times) and all(t.tzinfo is not None for t in times)


def test_a_story_read_with_history_has_each_flags_history_as_the_flag_has_it(store: Store) -> None:
    story = save(store, DRILL, TOLL)
    drill, toll = story.flags
    store.update_flag(story.id, drill.id, FlagUpdate(version=1, status="dismissed", note="n1"), LOCAL_USER)
    store.recheck(story.id, DOCUMENTS, report(DRILL), LOCAL_USER)
    assert all(flag.history is None for flag in store.story(story.id).flags)
    read = store.story(story.id, history=True)
    assert [flag.history for flag in read.flags] == [store.flag(story.id, f.id).history for f in (drill, toll)]
    assert [len(flag.history or []) for flag in read.flags] == [3, 2]


def test_a_change_that_changes_nothing_keeps_the_version(store: Store) -> None:
    story = save(store, DRILL)
    flag = store.update_flag(story.id, story.flags[0].id, FlagUpdate(version=1, status="open"), LOCAL_USER)
    assert flag.version == 1 and len(flag.history or []) == 1


def test_a_stale_change_is_refused_with_the_current_state_and_nothing_is_lost(store: Store) -> None:
    story = save(store, DRILL)
    flag = story.flags[0]
    store.update_flag(story.id, flag.id, FlagUpdate(version=1, note="first"), LOCAL_USER)
    with pytest.raises(
        Conflict, match=r"^flag \d+ is at version 2, but this change was based on version 1"
    ) as err:
        store.update_flag(story.id, flag.id, FlagUpdate(version=1, note="second"), LOCAL_USER)
    assert (err.value.current["version"], err.value.current["note"]) == (2, "first")
    assert err.value.details[0]["current"] == err.value.current
    assert store.flag(story.id, flag.id).note == "first"


def test_a_recheck_based_on_an_old_version_is_refused(store: Store) -> None:
    story = save(store, DRILL)
    store.recheck(story.id, DOCUMENTS, report(DRILL), LOCAL_USER, base_version=1)
    with pytest.raises(
        Conflict, match=r"^story \d+ is at version 2, but this re-check was based on version 1"
    ):
        store.recheck(story.id, DOCUMENTS, report(), LOCAL_USER, base_version=1)
    assert store.story(story.id).current_version == 2


def test_concurrent_changes_to_one_flag_each_win_once_and_all_are_in_history(store: Store) -> None:
    story = save(store, DRILL)
    flag_id = story.flags[0].id
    accepted: list[tuple[int, str]] = []
    refused = 0
    lock = threading.Lock()

    def client(name: str) -> None:
        nonlocal refused
        for round_ in range(15):
            current = store.flag(story.id, flag_id)
            note = f"{name}-{round_}"
            try:
                done = store.update_flag(
                    story.id, flag_id, FlagUpdate(version=current.version, note=note), LOCAL_USER
                )
            except Conflict as exc:
                assert exc.current["version"] > current.version  # a real conflict: someone was first
                with lock:
                    refused += 1
            else:
                with lock:
                    accepted.append((done.version, note))

    threads = [threading.Thread(target=client, args=(f"c{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    notes = {
        (h.flag_version, h.new) for h in store.flag(story.id, flag_id).history or [] if h.field == "note"
    }
    assert set(accepted) <= notes
    assert len(accepted) + refused == 60
    assert sorted(v for v, _ in accepted) == list(range(2, 2 + len(accepted)))  # no version given twice


@pytest.fixture
def desk(store: Store) -> Store:
    """Five stories, oldest first: their flags in various states and hands."""
    plans = [
        [(DRILL, {"status": "dismissed"})],
        [(DRILL, {"assignee": "sam"}), (TOLL, {})],
        [(BUDGET, {"status": "confirmed", "assignee": "ana"})],
        [(TOLL, {"assignee": "ana"})],
        [],
    ]
    for number, plan in enumerate(plans, start=1):
        story = save(store, *(spec for spec, _ in plan), title=f"story {number}")
        for flag, (_, change) in zip(story.flags, plan, strict=True):
            if change:
                store.update_flag(story.id, flag.id, FlagUpdate(version=1, **change), LOCAL_USER)
    return store


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        ({}, ["story 5", "story 4", "story 3", "story 2", "story 1"]),
        ({"status": "open"}, ["story 4", "story 2"]),
        ({"status": "confirmed"}, ["story 3"]),
        ({"assignee": "ana"}, ["story 4", "story 3"]),
        ({"status": "open", "assignee": "ana"}, ["story 4"]),
        ({"status": "dismissed", "assignee": "sam"}, []),
        ({"assignee": "nobody"}, []),
    ],
)
def test_the_story_list_is_newest_first_and_filtered(
    desk: Store, filters: dict[str, str], titles: list[str]
) -> None:
    page = desk.stories(**filters)
    assert [s.title for s in page.stories] == titles
    assert page.total == len(titles)


def test_the_story_list_counts_open_flags_and_pages(desk: Store) -> None:
    first = desk.stories(limit=2)
    assert [(s.title, s.open_flags) for s in first.stories] == [("story 5", 0), ("story 4", 1)]
    assert (first.total, first.next_offset) == (5, 2)
    last = desk.stories(limit=2, offset=4)
    assert ([s.title for s in last.stories], last.next_offset) == (["story 1"], None)
    story2 = next(s for s in desk.stories().stories if s.title == "story 2")
    assert (story2.open_flags, story2.flag_counts.open) == (2, 2)


def test_a_flag_resolved_by_an_edit_is_not_listed_as_open(store: Store) -> None:
    story = save(store, DRILL)
    store.recheck(story.id, DOCUMENTS, report(), LOCAL_USER)
    assert store.stories(status="open").total == 0
    assert store.stories().stories[0].flag_counts.resolved_by_edit == 1


def test_a_re_checked_story_moves_to_the_top(desk: Store) -> None:
    oldest = desk.stories().stories[-1]
    desk.recheck(oldest.id, DOCUMENTS, report(DRILL), LOCAL_USER)
    assert desk.stories().stories[0].id == oldest.id


def test_versions_keep_their_own_documents_and_report(store: Store) -> None:
    story = save(store, DRILL)
    edited = [DOCUMENTS[0].model_copy(update={"text": "The edited draft."})]
    store.recheck(story.id, edited, report(TOLL), LOCAL_USER)
    first, second = store.version(story.id, 1), store.version(story.id, 2)
    assert (first.documents, first.report) == (DOCUMENTS, report(DRILL))
    assert (second.documents, second.report.discrepancies[0].kind) == (edited, "conflicting_accounts")
    with pytest.raises(NotFound, match=r"^story \d+ has no version 3$"):
        store.version(story.id, 3)


def test_deleting_a_story_deletes_its_versions_flags_and_history(store: Store) -> None:
    story = save(store, DRILL)
    keep = save(store, TOLL)
    store.delete_story(story.id, LOCAL_USER)
    with pytest.raises(NotFound, match=r"^no story \d+: GET /v1/stories lists the stories there are$"):
        store.story(story.id)
    with pytest.raises(NotFound):
        store.flag(story.id, story.flags[0].id)
    assert [s.id for s in store.stories().stories] == [keep.id]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, story: s.story(999), r"^no story 999: "),
        (lambda s, story: s.flag(story.id, 999), r"^story \d+ has no flag 999: "),
        (lambda s, story: s.flag(999, story.flags[0].id), r"^story 999 has no flag \d+: "),
        (
            lambda s, story: s.update_flag(
                999, story.flags[0].id, FlagUpdate(version=1, note="x"), LOCAL_USER
            ),
            "^story 999",
        ),
        (lambda s, story: s.recheck(999, DOCUMENTS, report(), LOCAL_USER), "^no story 999"),
        (
            lambda s, story: s.export(story.id, "flags.xls"),
            r"^no export 'flags.xls': choose one of flags.csv, ",
        ),
    ],
)
def test_what_is_not_there_is_not_found(store: Store, call: Any, message: str) -> None:
    story = save(store, DRILL)
    with pytest.raises(NotFound, match=message):
        call(store, story)

"""The report page in a real browser (Debian's Chromium through Playwright): the seed article's
flag marked in the text, keyboard-only use, a phone's width, uploads, errors, the API docs offline;
then the desk on a server with users: signing in, saving a story, triaging a flag, re-checking an
edited draft, exporting, a viewer refused, two people changing one flag.

Chromium is Debian's (bench/chromium.py); without it these tests fail with the command that
installs it. Screenshots of the report page at 1280 and 390 px, and of a story page with a triaged
flag at 1280 and 390 px, are kept in build/test-artifacts/.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, live_server
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, Request, expect, sync_playwright

from bench import chromium
from service.api.examples import SEED_ARTICLE
from service.settings import Settings
from service.store import Store

ARTICLE = SEED_ARTICLE.read_text(encoding="utf-8")
# Small limits, so going over them takes little typing.
LIMITS = {"max_document_chars": 20_000, "max_body_bytes": 120_000, "max_documents": 5}
SEED_FLAGGED = ["over 3,200 personnel", "at least 10,000 troops", "400"]

OpenPage = Callable[..., Page]


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[str]:
    with live_server(settings.model_copy(update=LIMITS)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    problem = chromium.missing()
    if problem:
        pytest.fail(problem)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium.CHROMIUM), args=chromium.ARGS)
        yield launched
        launched.close()


@contextmanager
def pages_on(browser: Browser, base_url: str) -> Iterator[OpenPage]:
    """open_page(width=1280, height=900): a page on a live server, in a browser context of its own
    (its own cookies: one person); afterwards, every request it made must have gone to that server
    and nothing may have been logged as an error."""
    requests: list[str] = []
    errors: list[str] = []
    contexts = []

    def open_(width: int = 1280, height: int = 900) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=base_url, reduced_motion="reduce"
        )
        contexts.append(context)
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.on("console", lambda message: _keep_error(message, errors))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_default_timeout(60_000)
        return page

    yield open_
    for context in contexts:
        context.close()
    elsewhere = [url for url in requests if not url.startswith((base_url + "/", "data:", "blob:"))]
    assert elsewhere == [], "requests to another host"
    assert errors == [], "errors in the browser console"


@pytest.fixture
def open_page(browser: Browser, server: str) -> Iterator[OpenPage]:
    """Pages on the server of this module's report tests: a single local user, no stories needed."""
    with pages_on(browser, server) as open_:
        yield open_


def _keep_error(message: ConsoleMessage, errors: list[str]) -> None:
    # The error pages under test answer 413/422/503, which Chromium logs as a failed load.
    if message.type == "error" and "the server responded with a status of" not in message.text:
        errors.append(message.text)


def check(page: Page, *documents: tuple[str, str]) -> None:
    """Fill the form from the front page, one block per document, and check it."""
    page.goto("/")
    for n, (source, text) in enumerate(documents):
        if n:
            page.get_by_role("button", name="Add a document").click()
        block = page.locator(".doc-field").nth(n)
        block.get_by_label("Source").fill(source)
        block.get_by_label("Text").fill(text)
    page.get_by_role("button", name="Check the numbers").click()
    page.wait_for_load_state()


def selected_marks(page: Page) -> list[str]:
    return page.locator("mark.fig.selected").all_inner_texts()


def inside(inner: Locator, outer: Locator) -> bool:
    a, b = inner.bounding_box(), outer.bounding_box()
    assert a is not None and b is not None
    return a["y"] >= b["y"] - 1 and a["y"] + a["height"] <= b["y"] + b["height"] + 1


def test_the_seed_article_shows_its_high_flag_and_marks_both_claims(open_page: OpenPage) -> None:
    page = open_page()
    check(page, ("Khaama Press", ARTICLE))
    flag = page.locator(".flag")
    expect(flag).to_have_count(1)
    expect(flag.locator(".badge")).to_have_text("High")
    expect(flag.locator(".claim-source")).to_have_text(["TASS", "Khaama Press"])
    expect(flag.locator(".claim-text")).to_have_text(["over 3,200 personnel", "10,000 + 400 = 10,400 troops"])
    expect(flag.locator(".arithmetic")).to_contain_text("3,200–4,000 vs 10,400–13,000")
    assert selected_marks(page) == []

    flag.get_by_role("button").click()
    expect(flag.get_by_role("button")).to_have_attribute("aria-pressed", "true")
    assert selected_marks(page) == SEED_FLAGGED
    panel = page.locator(".doc-text")
    # The text scrolled to the figures: the first is in the panel's view, though far down the article.
    assert panel.evaluate("el => el.scrollTop") > 0
    assert inside(page.locator("mark.selected").first, panel)
    expect(page.locator("#announcer")).to_have_text("3 figures marked in Khaama Press.")

    flag.get_by_text("Why these figures were compared").click()
    evidence = flag.locator(".evidence li")
    expect(evidence.first).to_be_visible()
    assert all(not re.match(r"f\d+ ~", line) for line in evidence.all_inner_texts())

    page.locator("mark.selected").first.hover()
    tip = page.locator(".mark-wrap:hover .tip")
    expect(tip).to_be_visible()
    for fact in ("3,200–4,000", "over", "personnel", "TASS", "“noted” (quoted)", "High (d1)"):
        expect(tip).to_contain_text(fact)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "report-page-1280.png")

    # Filters: the flag goes with its severity and comes back.
    page.get_by_role("checkbox", name="High").uncheck()
    expect(flag).to_be_hidden()
    expect(page.locator(".filter-count")).to_have_text("Showing 0 of 1.")
    page.get_by_role("checkbox", name="High").check()
    page.get_by_label("Kind").select_option("conflicting_accounts")
    page.get_by_label("Status").select_option("open")
    expect(flag).to_be_visible()
    page.get_by_label("Status").select_option("dismissed")
    expect(flag).to_be_hidden()

    # Numbers that are not figures, with their reason, on request.
    ignored = page.locator("mark.ign", has_text="2042")
    page.get_by_label("Show numbers not checked (11)").check()
    ignored.hover()
    expect(page.locator(".mark-wrap:hover .tip")).to_have_text("2042 not checked: year")


def focused(page: Page) -> str:
    """The focused element, as tag#id.class (enough to tell the stops apart)."""
    return page.evaluate(
        "() => { const e = document.activeElement; return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
        " + (e.classList.length ? '.' + Array.from(e.classList).join('.') : ''); }"
    )


def tab_to(page: Page, css: str, limit: int = 60) -> list[str]:
    """Press Tab until the focused element matches `css`; the stops on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if page.evaluate("css => document.activeElement.matches(css)", css):
            return stops
    raise AssertionError(f"{css} not reached in {limit} Tabs: {stops}")


def outline(page: Page) -> str:
    return page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")


def test_the_page_works_from_the_keyboard(open_page: OpenPage) -> None:
    page = open_page()
    page.goto("/")
    assert tab_to(page, "#doc-0-source")[0] == "a.skip-link"
    page.keyboard.type("Khaama Press")
    assert tab_to(page, ".check-button") == [
        "textarea#doc-0-text",
        "input#doc-0-file",
        "button.add-doc.secondary",
        "button.primary.check-button",
    ]
    page.locator("#doc-0-text").focus()
    page.keyboard.insert_text(ARTICLE)
    tab_to(page, ".check-button")
    assert outline(page) != "none"
    page.keyboard.press("Enter")
    page.wait_for_selector(".flag")

    tab_to(page, ".flag-select")
    assert outline(page) != "none"
    button = page.locator(".flag-select")
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "true")
    assert selected_marks(page) == SEED_FLAGGED
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert selected_marks(page) == [] and focused(page) == "button.flag-select"
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-pressed", "true")

    # On into the text: a figure takes focus and shows what was read; Escape hides it.
    tab_to(page, "mark.fig")
    assert outline(page) != "none"
    tip = page.locator(".mark-wrap:focus-within .tip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("Thousands of troops")
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    # Enter on a flagged figure leads back to its flag.
    tab_to(page, "mark.fig.flagged")
    page.keyboard.press("Enter")
    assert focused(page) == "button.flag-select"
    expect(button).to_have_attribute("aria-pressed", "true")


def test_the_report_reads_at_a_phone_width(open_page: OpenPage) -> None:
    page = open_page(390, 844)
    check(page, ("Khaama Press", ARTICLE))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    flags = page.locator(".flags-panel").bounding_box()
    documents = page.locator(".documents-panel").bounding_box()
    assert flags is not None and documents is not None
    assert flags["y"] + flags["height"] <= documents["y"]  # one column: flags, then the text
    for claim in page.locator(".claim").all():
        box = claim.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "report-page-390-top.png")
    page.locator(".flag-select").click()
    first = page.locator("mark.selected").first
    box = first.bounding_box()
    assert box is not None and 0 <= box["y"] <= 844 - box["height"], "the page scrolled to the first figure"
    page.screenshot(path=ARTIFACTS / "report-page-390.png")


def test_txt_and_html_files_are_uploaded_and_shown_side_by_side(open_page: OpenPage, tmp_path: Path) -> None:
    tass = tmp_path / "tass.txt"
    tass.write_text("TASS said the exercise involved over 3,200 personnel and 800 pieces of hardware.\n")
    kp = tmp_path / "kp.html"
    kp.write_text(
        "<html><head><meta property='og:site_name' content='Khaama Press'><title>Drills</title></head><body>"
        "<nav>Home · World · Subscribe for 99 cents</nav><article><h1>Joint drills on the border</h1>"
        "<p>KP points out that at least 10,000 troops from Tajikistan and 400 from Russia have participated in the "
        "joint military drills along the Afghanistan border.</p></article><footer>© 2024</footer></body></html>",
        encoding="utf-8",
    )
    page = open_page()
    page.goto("/")
    page.get_by_label("Source").fill("TASS")
    page.locator("#doc-0-file").set_input_files(tass)
    page.get_by_role("button", name="Add a document").click()
    page.locator(".doc-field").nth(1).get_by_label("Or upload a .txt or .html file").set_input_files(kp)
    page.get_by_role("button", name="Check the numbers").click()
    page.wait_for_selector(".flag")
    expect(page.locator(".document-title")).to_have_text(["TASS 2 figures", "Khaama Press 2 figures"])
    texts = page.locator(".doc-text").all_inner_texts()
    assert texts[0].startswith("TASS said the exercise involved over 3,200 personnel")
    assert "at least 10,000 troops" in texts[1] and "Subscribe" not in texts[1]
    boxes = [d.bounding_box() for d in page.locator(".document").all()]
    assert boxes[0] and boxes[1] and boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"]
    expect(page.locator(".flag .badge")).to_have_text(["High"])
    expect(page.locator(".claim-source")).to_have_text(["TASS", "Khaama Press"])


def test_over_the_limits_the_page_says_so_in_plain_words(open_page: OpenPage, tmp_path: Path) -> None:
    page = open_page()
    long_text = "Some 40 people came. " * 1000  # 21,000 characters
    check(page, ("Desk", long_text))
    error = page.locator("#check-error")
    expect(error).to_be_focused()
    expect(error.locator("h2")).to_have_text("Too much to check at once")
    expect(error).to_contain_text("Document 1 (Desk), text: 21,000 characters, at most 20,000 allowed")
    assert page.locator("#doc-0-text").input_value() == long_text.rstrip("\n")

    # A body the server would refuse unread is stopped before it is sent, the texts kept.
    big = tmp_path / "big.txt"
    big.write_text("12 dead. " * 15_000)
    posts: list[Request] = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    page.locator("#doc-0-file").set_input_files(big)
    page.get_by_role("button", name="Check the numbers").click()
    form_error = page.locator(".form-error")
    expect(form_error).to_be_visible()
    expect(form_error).to_contain_text("more than the 120,000 this server takes in one check")
    assert posts == []


def test_the_api_docs_render_without_leaving_the_server(open_page: OpenPage) -> None:
    page = open_page()
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("numcheck")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    page.goto("/redoc")
    expect(page.get_by_role("heading", name="numcheck").first).to_be_visible()


# Every visible run of text against the first opaque background behind it (WCAG 2 contrast ratio).
LOW_CONTRAST = """(least) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const behind = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.checkVisibility({ visibilityProperty: true })) continue;
    const [a, b] = [luminance(rgb(getComputedStyle(el).color)), luminance(behind(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < least) low.push(`${node.textContent.trim().slice(0, 30)}: ${ratio.toFixed(2)}`);
  }
  return low;
}"""


def test_text_has_a_contrast_of_at_least_4_5_to_1(open_page: OpenPage) -> None:
    page = open_page()
    page.goto("/")
    assert page.evaluate(LOW_CONTRAST, 4.5) == []
    check(page, ("Khaama Press", ARTICLE))
    page.locator(".flag-select").click()
    page.get_by_text("Why these figures were compared").click()
    page.get_by_label("Show numbers not checked (11)").check()
    page.locator("mark.selected").first.hover()
    assert page.evaluate(LOW_CONTRAST, 4.5) == []


# --- the desk: stories and triage, on a server with users ---------------------------------------------

TOLL = "Police said 12 people died in the attack. The hospital said 19 people died in the attack."
NOTE = "TASS counts an earlier stage of the drill; KP counts everyone who took part."


@dataclass(frozen=True)
class Desk:
    url: str
    keys: dict[str, str]


@pytest.fixture(scope="module")
def desk(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """A server of its own, with a checker (sam), a second checker (ana) and a viewer (vic)."""
    desk_settings = settings.model_copy(update={**LIMITS, "data_dir": tmp_path_factory.mktemp("desk")})
    store = Store.open(desk_settings.store_url)
    people = (("sam", "checker"), ("ana", "checker"), ("vic", "viewer"))
    keys = {name: store.add_user(name, role)[1] for name, role in people}
    store.close()
    with live_server(desk_settings) as url:
        yield Desk(url, keys)


@pytest.fixture
def open_desk(browser: Browser, desk: Desk) -> Iterator[OpenPage]:
    with pages_on(browser, desk.url) as open_:
        yield open_


def sign_in(page: Page, key: str, name: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Your key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".account")).to_contain_text(f"Signed in as {name}")


def new_story(page: Page, title: str) -> str:
    """Check the seed article and save it as a story; the story page's address."""
    check(page, ("Khaama Press", ARTICLE))
    page.get_by_label("Story title").fill(title)
    page.get_by_role("button", name="Save as a story").click()
    expect(page.locator("h1")).to_have_text(title)
    return page.url


def recheck(page: Page, text: str, version: int) -> None:
    page.get_by_text("Re-check an edited draft").click()
    page.locator(".recheck #doc-0-text").fill(text)
    page.get_by_role("button", name=f"Re-check as version {version}").click()
    expect(page.locator(".story-meta")).to_contain_text(f"version {version} of {version}")


def card(page: Page, claims: str) -> Locator:
    return page.locator(".flag, .resolved-flag").filter(has_text=claims)


def test_a_checker_saves_triages_and_rechecks_a_story(open_desk: OpenPage, desk: Desk) -> None:
    page = open_desk()
    sign_in(page, desk.keys["sam"], "sam")
    check(page, ("Khaama Press", ARTICLE))
    flag = page.locator(".flag")
    expect(flag.locator(".badge")).to_have_text(["High"])
    flag.locator(".flag-select").click()
    assert selected_marks(page) == SEED_FLAGGED
    page.get_by_label("Story title").fill("Drills on the Afghan border")
    page.get_by_role("button", name="Save as a story").click()
    expect(page).to_have_url(re.compile(r"/stories/\d+$"))
    story_url = page.url
    drill = card(page, "over 3,200 personnel")
    expect(drill).to_have_attribute("data-status", "open")

    # Dismissed with a note, from the keyboard: the note, the assignee, then Tab on to the button.
    drill.get_by_label("Note").fill(NOTE)
    drill.get_by_label("Assignee").fill("ana")
    tab_to(page, "button.status-dismissed")
    page.keyboard.press("Enter")
    expect(page.locator(".saved")).to_be_focused()
    expect(drill).to_have_attribute("data-status", "dismissed")
    expect(drill.get_by_label("Note")).to_have_value(NOTE)
    expect(drill.locator(".status-button.is-current")).to_have_text("Dismissed")
    drill.get_by_text("History (4)").click()
    expect(drill.locator(".history li")).to_contain_text(
        [
            "sam: found in version 1",
            "sam: status open → dismissed",
            "sam: note “TASS counts",
            "sam: assigned to ana",
        ]
    )
    page.get_by_label("Status").select_option("open")
    expect(drill).to_be_hidden()
    page.get_by_label("Status").select_option("dismissed")
    expect(drill).to_be_visible()

    # The story page as a desk sees it: the flag triaged, its figures marked, its history open.
    page.goto(story_url)
    drill.locator(".flag-select").click()
    assert selected_marks(page) == SEED_FLAGGED
    drill.get_by_text("History (4)").click()
    assert page.evaluate(LOW_CONTRAST, 4.5) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "story-page-1280.png", full_page=True)

    # An edited draft: the dismissal is kept, the new flag is open.
    recheck(page, ARTICLE.rstrip("\n") + "\n" + TOLL + "\n", 2)
    expect(drill).to_have_attribute("data-status", "dismissed")
    expect(drill.get_by_label("Note")).to_have_value(NOTE)
    expect(drill.locator(".since")).to_have_text("since version 1")
    toll = card(page, "12 people")
    expect(toll).to_have_attribute("data-status", "open")
    expect(toll.locator(".since")).to_have_text("new in version 2")
    toll.get_by_role("button", name="Confirmed").click()
    expect(toll).to_have_attribute("data-status", "confirmed")

    # The edit taken back: that flag is resolved by it, its decision kept.
    recheck(page, ARTICLE, 3)
    resolved = page.locator(".resolved")
    expect(resolved.locator("h3")).to_have_text("Resolved by an edit (1)")
    expect(resolved.locator(".resolved-flag")).to_contain_text("Police: 12 people")
    expect(resolved.locator(".status")).to_have_text("confirmed")
    expect(resolved.locator(".since")).to_have_text("last seen in version 2")
    expect(page.locator(".flag")).to_have_count(1)

    # The flags exported as CSV, read back.
    with page.expect_download() as download:
        page.get_by_role("link", name="Flags as CSV").click()
    assert download.value.suggested_filename.endswith("-v3-flags.csv")
    rows = list(csv.DictReader(Path(download.value.path()).read_text(encoding="utf-8").splitlines()))
    assert [(r["state"], r["status"], r["note"], r["assignee"]) for r in rows] == [
        ("current", "dismissed", NOTE, "ana"),
        ("resolved_by_edit", "confirmed", "", ""),
    ]

    # The story list: no flag open; found by the dismissed flag and by its assignee.
    page.get_by_role("link", name="Stories").click()
    row = page.locator(".story-table tbody tr").filter(has_text="Drills on the Afghan border")
    expect(row.locator(".open-flags")).to_have_text("0")
    expect(row).to_contain_text("1 dismissed, 1 resolved by an edit")
    page.get_by_label("With a flag that is").select_option("dismissed")
    page.get_by_label("Assigned to").fill("ana")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".story-table tbody tr")).to_have_count(1)
    page.get_by_label("With a flag that is").select_option("corrected")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".story-table")).to_have_count(0)
    expect(page.locator(".list-count")).to_contain_text("No story has a current flag that is corrected")


def test_a_viewer_finds_the_triage_controls_refused(open_desk: OpenPage, desk: Desk) -> None:
    checker = open_desk()
    sign_in(checker, desk.keys["sam"], "sam")
    story_url = new_story(checker, "Drills, for the viewer")
    drill = card(checker, "over 3,200 personnel")
    drill.get_by_label("Note").fill(NOTE)
    drill.get_by_role("button", name="Confirmed").click()
    expect(drill).to_have_attribute("data-status", "confirmed")

    page = open_desk()
    sign_in(page, desk.keys["vic"], "vic")
    expect(page.locator(".account")).to_contain_text("vic (viewer)")
    page.goto(story_url)
    flag = card(page, "over 3,200 personnel")
    expect(flag).to_have_attribute("data-status", "confirmed")
    expect(flag.locator(".note")).to_have_text(NOTE)
    expect(page.locator(".triage-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Dismissed")).to_have_count(0)
    expect(page.get_by_text("Re-check an edited draft")).to_have_count(0)
    expect(page.get_by_role("link", name="Flags as CSV")).to_be_visible()
    flag.locator(".flag-select").click()
    assert selected_marks(page) == SEED_FLAGGED

    # What the page does not offer, the server refuses too: a change forged with the viewer's own token.
    csrf = page.locator(".sign-out input[name=csrf_token]").input_value()
    flag_id = (flag.locator(".triage").get_attribute("id") or "").removeprefix("triage-")
    refused = page.request.post(
        f"{story_url}/flags/{flag_id}", form={"csrf_token": csrf, "version": "2", "status": "dismissed"}
    )
    assert refused.status == 403 and "vic is a viewer" in refused.text()
    page.reload()
    expect(flag).to_have_attribute("data-status", "confirmed")

    check(page, ("Khaama Press", ARTICLE))
    expect(page.get_by_role("button", name="Save as a story")).to_have_count(0)
    expect(page.locator(".report-actions")).to_contain_text("vic is a viewer")


def test_two_people_changing_one_flag_the_second_sees_both_and_overwrites_nothing(
    open_desk: OpenPage, desk: Desk
) -> None:
    sam = open_desk()
    sign_in(sam, desk.keys["sam"], "sam")
    story_url = new_story(sam, "Drills, changed twice")
    ana = open_desk(390, 844)  # on a phone
    sign_in(ana, desk.keys["ana"], "ana")
    ana.goto(story_url)

    sam_flag = card(sam, "over 3,200 personnel")
    sam_flag.get_by_label("Note").fill(NOTE)
    sam_flag.get_by_role("button", name="Dismissed").click()
    expect(sam_flag).to_have_attribute("data-status", "dismissed")

    flag = card(ana, "over 3,200 personnel")
    flag.get_by_label("Note").fill("KP's count is the official one.")
    flag.get_by_role("button", name="Confirmed").click()
    conflict = flag.locator(".conflict")
    expect(conflict).to_be_focused()
    expect(conflict.locator("h4")).to_contain_text("Not saved: sam changed this flag first")
    expect(conflict.locator(".compare-side")).to_contain_text(
        [
            re.compile(r"Now\s*Status\s*dismissed\s*Note\s*“TASS counts"),
            re.compile(r"You tried\s*Status\s*confirmed\s*Note\s*“KP's count is the official one.”"),
        ]
    )
    expect(flag).to_have_attribute("data-status", "dismissed")
    expect(flag.get_by_label("Note")).to_have_value("KP's count is the official one.")
    assert ana.evaluate("() => document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    flag.screenshot(path=ARTIFACTS / "story-page-390-conflict.png")

    # Sent again, on purpose: now it replaces sam's, and both are in the history.
    flag.get_by_role("button", name="Confirmed").click()
    expect(flag).to_have_attribute("data-status", "confirmed")
    flag.get_by_text("History (").click()
    expect(flag.locator(".history li")).to_contain_text(
        [
            "found in version 1",
            "sam: status open → dismissed",
            "sam: note",
            "ana: status dismissed → confirmed",
            "ana: note",
        ]
    )
    ana.screenshot(path=ARTIFACTS / "story-page-390.png", full_page=True)

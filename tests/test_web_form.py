"""The check form: uploaded files read as text, blocks turned into documents, problems in plain words."""

from __future__ import annotations

import pytest

from service.errors import InputError
from service.web.errors import error_view
from service.web.form import Entry, plain_problems, submission
from service.web.uploads import Upload, read_upload

ARTICLE_HTML = b"""<!doctype html><html><head><title>Drills on the border</title>
<meta property="og:site_name" content="Khaama Press"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> Subscribe for 99 cents</nav>
<article><h1>Drills on the border</h1>
<p>KP points out that at least 10,000 troops from Tajikistan and 400 from Russia have participated in the joint
military drills along the Afghanistan border, officials said on Thursday.</p>
<p>According to TASS, the exercise involved over 3,200 personnel and about 800 pieces of military hardware.</p>
</article><footer>Copyright 2024. Call 555-0100.</footer></body></html>"""


@pytest.mark.parametrize(
    ("filename", "content", "content_type", "text"),
    [
        ("notes.txt", b"12 dead, police said.\n", None, "12 dead, police said.\n"),
        ("notes.TXT", "\ufeff12 dead".encode(), None, "12 dead"),  # the BOM is not text
        (
            "windows.txt",
            "“It cost £3m,” the mayor said — 12 pupils.".encode("cp1252"),
            "text/plain",
            "“It cost £3m,” the mayor said — 12 pupils.",
        ),
        ("no-suffix", b"40 people", "text/plain", "40 people"),
        ("word.txt", "12 dead, £3m".encode("utf-16"), None, "12 dead, £3m"),
    ],
)
def test_text_files_are_decoded(filename: str, content: bytes, content_type: str | None, text: str) -> None:
    assert read_upload(Upload(filename, content, content_type)).text == text


def test_an_html_page_gives_its_article_text_and_site_name() -> None:
    extracted = read_upload(Upload("drills.html", ARTICLE_HTML, "text/html"))
    assert "at least 10,000 troops from Tajikistan and 400 from Russia" in extracted.text
    assert "over 3,200 personnel" in extracted.text
    assert "Subscribe" not in extracted.text and "555-0100" not in extracted.text
    assert extracted.site_name == "Khaama Press"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            Upload("report.pdf", b"%PDF-1.4"),
            "'report.pdf' is not a .txt or .html file: upload one of those, or paste the text",
        ),
        (Upload("blank.txt", b"  \n "), "'blank.txt' is empty"),
        (Upload("empty.html", b""), "'empty.html' is empty"),
        (
            Upload(
                "menu.html", b"<html><head><title>Gallery</title></head><body><img src='a.png'></body></html>"
            ),
            "found no article text in 'menu.html': paste the text instead, or upload the page as saved "
            "from the browser",
        ),
        (
            Upload("image.txt", bytes(range(256)) * 4),
            "'image.txt' is not UTF-8 or Windows-1252 text: save it as UTF-8 text",
        ),
    ],
)
def test_files_without_text_are_refused_with_what_to_do(upload: Upload, message: str) -> None:
    with pytest.raises(InputError, match=f"^{message.replace('.', '[.]').replace('(', '[(]')}$"):
        read_upload(upload)


def test_blocks_become_documents_in_order_and_blank_blocks_are_dropped() -> None:
    sub = submission(
        [
            Entry("TASS", "Over 3,200 personnel took part.\r\nIt said so."),
            Entry(),
            Entry("", "  "),
            Entry("", "", Upload("kp.html", ARTICLE_HTML, "text/html")),
        ]
    )
    assert sub.problems == []
    assert [(d["id"], d["source"]) for d in sub.documents] == [("d1", "TASS"), ("d2", "Khaama Press")]
    # the line breaks a browser sends are the writer's newlines
    assert sub.documents[0]["text"] == "Over 3,200 personnel took part.\nIt said so."
    # a file's text is shown again in the form, where it can be edited and checked again
    assert sub.entries[1].text == sub.documents[1]["text"] and sub.entries[1].upload is None
    assert sub.entries[1].filename == "kp.html"
    assert sub.labels == ["Document 1 (TASS)", "Document 2 (Khaama Press)"]


def test_a_chosen_file_replaces_the_pasted_text() -> None:
    sub = submission([Entry("Desk", "old draft", Upload("new.txt", b"new draft with 12 figures"))])
    assert sub.documents[0]["text"] == "new draft with 12 figures"


def test_problems_are_collected_for_every_block_and_the_blocks_kept() -> None:
    sub = submission(
        [
            Entry("TASS", "", None),
            Entry("", "", Upload("scan.pdf", b"%PDF")),
            Entry("KP", "400 from Russia"),
        ]
    )
    assert [(p["location"], p["type"]) for p in sub.problems] == [
        ("Document 1 (TASS)", "blank_text"),
        ("Document 2", "upload"),
    ]
    assert [e.source for e in sub.entries] == ["TASS", "", "KP"]
    assert [d["id"] for d in sub.documents] == ["d3"]


def test_an_empty_form_asks_for_a_document() -> None:
    assert submission([Entry(), Entry()]).problems == [
        {"location": "form", "message": "Paste the text of a document, or choose a file.", "type": "empty"}
    ]


def test_api_locations_are_named_as_the_page_names_the_blocks() -> None:
    details = [
        {"location": "documents -> 1 -> text", "message": "250,000 characters, at most 200,000 allowed"},
        {"location": "documents -> 0 -> source", "message": "String should have at most 500 characters"},
        {"location": "documents", "message": "at most 20 items"},
        {"location": "Document 3 (KP)", "message": "has no text"},
    ]
    assert plain_problems(details, ["Document 1", "Document 2 (TASS)"]) == [
        "Document 2 (TASS), text: 250,000 characters, at most 200,000 allowed",
        "Document 1, source name: String should have at most 500 characters",
        "at most 20 items",
        "Document 3 (KP): has no text",
    ]


@pytest.mark.parametrize(
    ("code", "title", "says"),
    [
        ("busy", "numcheck is busy", "Wait a few seconds and press Check again. Your texts are kept below."),
        ("not_ready", "numcheck is still starting", "Wait a few seconds and press Check again."),
        ("too_large", "Too much to check at once", "Too many documents: 21 sent"),
        ("invalid_input", "Some of the form needs fixing", "Fix what is listed here"),
    ],
)
def test_errors_are_worded_for_a_person(code: str, title: str, says: str) -> None:
    view = error_view(
        code, "Too many documents: 21 sent, at most 20.", [{"location": "documents", "message": "x"}]
    )
    assert view.title == title
    assert says in view.message
    assert "Retry-After" not in view.message

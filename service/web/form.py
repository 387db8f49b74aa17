"""The check form: document blocks as submitted, turned into the documents POST /v1/check takes.

Problems are collected, not raised one at a time, so the page can list them all beside the
blocks they concern and show every block again with what was typed, a file's text read in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from .uploads import Upload, read_upload

_DOCUMENT_LOCATION = re.compile(r"^documents -> (\d+)(?: -> (\w+))?")
_FIELD_NAMES = {"text": "text", "source": "source name"}


@dataclass(frozen=True)
class Entry:
    """One document block of the form: a source name, pasted text, maybe a chosen file."""

    source: str = ""
    text: str = ""
    upload: Upload | None = None
    filename: str | None = field(default=None, compare=False)

    @property
    def blank(self) -> bool:
        return not self.source.strip() and not self.text.strip() and self.upload is None


@dataclass(frozen=True)
class Submission:
    entries: list[Entry] = field(default_factory=list)
    """The blocks to show again: blank ones left out, a file's text read into `text`."""
    documents: list[dict[str, Any]] = field(default_factory=list)
    """The documents to check, as POST /v1/check takes them."""
    labels: list[str] = field(default_factory=list)
    """How each document is named in a message ("Document 2 (TASS)"), in the order of `documents`."""
    problems: list[dict[str, str]] = field(default_factory=list)


def _label(index: int, entry: Entry) -> str:
    name = entry.source.strip() or entry.filename
    return f"Document {index + 1} ({name})" if name else f"Document {index + 1}"


def _pasted(text: str) -> str:
    # Browsers send a textarea's line breaks as CRLF; the writer typed newlines.
    return text.replace("\r\n", "\n")


def submission(entries: Sequence[Entry]) -> Submission:
    """Read each non-blank block: its file if one was chosen (the file replaces pasted text)."""
    out = Submission()
    for entry in (e for e in entries if not e.blank):
        index = len(out.entries)
        source = entry.source.strip() or None
        text = _pasted(entry.text)
        shown = Entry(entry.source, text, None, entry.filename)
        if entry.upload is not None:
            try:
                extracted = read_upload(entry.upload)
            except InputError as exc:
                out.entries.append(shown)
                out.problems.append(
                    {"location": _label(index, shown), "message": exc.message, "type": "upload"}
                )
                continue
            text, source = extracted.text, source or extracted.site_name
            shown = Entry(source or "", text, None, entry.upload.filename)
        out.entries.append(shown)
        if not text.strip():
            out.problems.append(
                {
                    "location": _label(index, shown),
                    "message": "has no text: paste its text or choose a file, or remove the document",
                    "type": "blank_text",
                }
            )
            continue
        out.documents.append({"id": f"d{index + 1}", "text": text, "source": source})
        out.labels.append(_label(index, shown))
    if not out.entries:
        out.problems.append(
            {
                "location": "form",
                "message": "Paste the text of a document, or choose a file.",
                "type": "empty",
            }
        )
    return out


def plain_problems(details: Sequence[Mapping[str, Any]], labels: Sequence[str]) -> list[str]:
    """One sentence per problem, naming the document block as the page does ("Document 2 (TASS)")."""
    lines = []
    for detail in details:
        location, message = str(detail.get("location", "")), str(detail.get("message", ""))
        match = _DOCUMENT_LOCATION.match(location)
        if match and int(match.group(1)) < len(labels):
            where = labels[int(match.group(1))]
            if match.group(2):
                where += f", {_FIELD_NAMES.get(match.group(2), match.group(2))}"
            lines.append(f"{where}: {message}")
        elif location.startswith("Document "):
            lines.append(f"{location}: {message}")
        else:
            lines.append(message)
    return lines

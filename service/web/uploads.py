"""The text of an uploaded file: a .txt file decoded, an .html file's article text extracted."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import PurePath

import trafilatura
from trafilatura.settings import Document as Extraction

from ..errors import InputError

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
ACCEPT = ".txt,.text,.html,.htm,text/plain,text/html"


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes
    content_type: str | None = None


@dataclass(frozen=True)
class Extracted:
    text: str
    site_name: str | None = None


def _kind(upload: Upload) -> str | None:
    suffix = PurePath(upload.filename).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    # A name without a known ending: go by the type the browser sent.
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    return {"text/plain": "text", "text/html": "html"}.get(content_type) if not suffix else None


def _decode(upload: Upload) -> str:
    """UTF-8 (a BOM dropped), UTF-16 with its BOM, else Windows-1252: what newsroom systems export.

    Guessing among the legacy code pages from a few hundred bytes picks the wrong one often
    enough (Central European for an English text with a pound sign) that a fixed fallback is
    the more honest answer; it is the one browsers use for pages that name no encoding.
    """
    data = upload.content
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _text(upload, data, codec)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _text(upload, data, "cp1252")


def _text(upload: Upload, data: bytes, codec: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        text = ""
    if not text or "\x00" in text:
        raise InputError(f"'{upload.filename}' is not UTF-8 or Windows-1252 text: save it as UTF-8 text")
    return text


def _article(upload: Upload) -> Extracted:
    document = trafilatura.bare_extraction(
        upload.content, with_metadata=True, include_comments=False, include_tables=True
    )
    if not isinstance(document, Extraction) or not (document.text or "").strip():
        raise InputError(
            f"found no article text in '{upload.filename}': paste the text instead, or upload the page as saved "
            "from the browser"
        )
    return Extracted((document.text or "").strip(), document.sitename or None)


def read_upload(upload: Upload) -> Extracted:
    """The text to check in an uploaded file; InputError says what to do when there is none."""
    kind = _kind(upload)
    if kind is None:
        raise InputError(
            f"'{upload.filename}' is not a .txt or .html file: upload one of those, or paste the text"
        )
    if not upload.content.strip():
        raise InputError(f"'{upload.filename}' is empty")
    if kind == "html":
        return _article(upload)
    text = _decode(upload)
    if not text.strip():
        raise InputError(f"'{upload.filename}' holds only white space")
    return Extracted(text)

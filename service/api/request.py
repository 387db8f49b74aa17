"""The check request: one model and one set of limits, shared by the HTTP API and the CLI.

This module does not import the web framework, so the command line validates input with
exactly the code the API uses. Problems are described as `{"location", "message", "type"}`,
where the location reads like `documents -> 0 -> text` and the message says what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..errors import InputError, LimitError
from ..fetch import Fetched, FetchFailed, FetchLimits, fetch_all
from ..fetch import failed as fetch_failed
from ..models import Document, DocumentFields
from ..pipeline import CheckOptions
from ..settings import Settings

# Whitespace as both Python (str.isspace) and JSON Schema's regex dialect know it, spelled out so
# the pattern documented in the schema and the check below agree on every character.
_SPACE = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK = f"[^{_SPACE}]"
_NOT_BLANK = re.compile(NOT_BLANK)
_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)
_SURROGATE = re.compile("[\ud800-\udfff]")

# An error listing every problem in a 2 MB body could itself be megabytes: show the first ones.
MAX_DETAILS = 50
ROOT = "(body)"
EXAMPLE = '{"documents": [{"id": "a", "text": "..."}]}'


class SubmittedDocument(DocumentFields):
    """A document as a client sends it: its text, which must hold something to check, or the url of
    a page to fetch it from."""

    # Either field will do: the schema says so, the validator below words the error.
    model_config = ConfigDict(json_schema_extra={"anyOf": [{"required": ["text"]}, {"required": ["url"]}]})

    text: str | None = Field(
        default=None,
        description="The copy, plain text. Offsets in the report index into it. Leave it out to have numcheck "
        "fetch the page at `url` and check the article text it extracts (the report returns that text).",
        json_schema_extra={"minLength": 1, "pattern": NOT_BLANK},
    )

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str | None) -> str | None:
        if text is not None and not _NOT_BLANK.search(text):
            raise PydanticCustomError(
                "blank_text", "text is empty or only whitespace: send the copy to check"
            )
        return text

    @model_validator(mode="after")
    def _text_or_url(self) -> SubmittedDocument:
        if self.text is None:
            if self.url is None:
                raise PydanticCustomError(
                    "text_or_url", "no text and no url: send the copy as text, or the url of its page"
                )
            if not _WEB_ADDRESS.match(self.url):
                raise PydanticCustomError(
                    "url_invalid", "url '{url}' is not an http or https address to fetch the text from",
                    {"url": self.url[:100]},
                )
        return self

    @field_validator("id", "text", "source")
    @classmethod
    def _whole_characters(cls, value: str | None) -> str | None:
        # JSON's \ud800 escape gives half of a UTF-16 pair, which no text can hold or encode.
        found = _SURROGATE.search(value) if value is not None else None
        if found is not None:
            raise PydanticCustomError(
                "lone_surrogate",
                "a lone surrogate (\\u{code}) at character {position}: it is half of a character, not text; "
                "send the text as it was written (UTF-8, or a complete \\uXXXX\\uXXXX pair)",
                {"code": f"{ord(found.group()):04x}", "position": found.start()},
            )
        return value


class CheckRequest(BaseModel):
    """One or more accounts of a story, checked against each other."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    documents: list[SubmittedDocument] = Field(
        min_length=1, description="The accounts to check; each `id` unique within the request."
    )
    options: CheckOptions | None = Field(default=None, description="What to include in the report.")

    @field_validator("documents")
    @classmethod
    def _unique_ids(cls, documents: list[SubmittedDocument]) -> list[SubmittedDocument]:
        return unique_ids(documents)


def unique_ids(documents: list[SubmittedDocument]) -> list[SubmittedDocument]:
    """The documents, if no two share an id (a validator for every request that sends documents)."""
    first: dict[str, int] = {}
    for index, document in enumerate(documents):
        if document.id in first:
            raise PydanticCustomError(
                "duplicate_id",
                "document id '{id}' is used by documents {first} and {second}: give each document its own id",
                {"id": document.id, "first": first[document.id], "second": index},
            )
        first[document.id] = index
    return documents


def location(loc: Iterable[int | str]) -> str:
    parts = [str(p) for p in loc]
    return " -> ".join(parts) if parts else ROOT


def _fix(error: Mapping[str, Any], loc: tuple[int | str, ...]) -> str:
    """A message for one pydantic error that tells the client what to change."""
    kind = error["type"]
    at_root = not loc
    if at_root and isinstance(error.get("input"), bytes):
        return "the body is not JSON: send it with the header Content-Type: application/json"
    if kind == "missing":
        return f"the body is empty: send an object like {EXAMPLE}" if at_root else "required: add it"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"the body must be a JSON object like {EXAMPLE}" if at_root else "must be a JSON object"
    if kind == "string_unicode":
        return (
            "holds a lone surrogate (half of a character, such as \\ud800), which is not text: send the text "
            "as it was written"
        )
    if kind == "extra_forbidden":
        return f"'{loc[-1]}' is not a known field: remove it or correct its spelling"
    if kind == "too_short" and loc == ("documents",):
        return "no documents: send at least one"
    if kind == "string_type":
        return "must be a string"
    if kind == "list_type":
        return "must be a list"
    if kind in {"bool_type", "bool_parsing"}:
        return "must be true or false"
    return str(error["msg"])


def describe(errors: Iterable[Mapping[str, Any]], prefix: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """One problem per validation error; `prefix` (FastAPI's "body") is left out of locations."""
    problems = []
    for error in errors:
        loc = tuple(error["loc"])
        if prefix and loc[: len(prefix)] == prefix:
            loc = loc[len(prefix) :]
        if error["type"] == "json_invalid":
            # FastAPI puts the character offset where a field name would be.
            reason = str((error.get("ctx") or {}).get("error", "cannot be parsed"))
            if loc and isinstance(loc[-1], int):
                reason += f" at character {loc[-1]}"
            message, loc = f"the body is not valid JSON ({reason}): send an object like {EXAMPLE}", ()
        else:
            message = _fix(error, loc)
        problems.append({"location": location(loc), "message": message, "type": str(error["type"])})
    return problems


def invalid_request(problems: list[dict[str, str]]) -> InputError:
    """The error for a request that fails validation, listing (the first of) its problems."""
    first = problems[0] if problems else {"location": ROOT, "message": "cannot be read"}
    where = "" if first["location"] == ROOT else f"{first['location']}: "
    message = f"The request is not valid: {where}{first['message']}"
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem(s) listed in details)"
    if len(problems) > MAX_DETAILS:
        message += f"; the first {MAX_DETAILS} are listed"
    return InputError(message, list(problems[:MAX_DETAILS]))


def body_too_large(limit: int) -> LimitError:
    return LimitError(
        f"The request body is larger than {limit:,} bytes: send fewer or shorter documents.",
        [{"location": ROOT, "message": f"at most {limit:,} bytes", "type": "body_too_large"}],
    )


def enforce_limits(request: CheckRequest, settings: Settings) -> CheckRequest:
    """Raise LimitError when the request has more documents or longer texts than allowed."""
    count = len(request.documents)
    if count > settings.max_documents:
        raise LimitError(
            f"Too many documents: {count} sent, at most {settings.max_documents:,} per request. "
            "Split them over several requests.",
            [
                {
                    "location": "documents",
                    "message": f"at most {settings.max_documents:,} items",
                    "type": "too_many",
                }
            ],
        )
    limit = settings.max_document_chars
    long = [
        {
            "location": location(("documents", i, "text")),
            "message": f"{len(d.text):,} characters, at most {limit:,} allowed: send a shorter text",
            "type": "text_too_long",
        }
        for i, d in enumerate(request.documents)
        if d.text is not None and len(d.text) > limit
    ]
    if long:
        raise LimitError(
            f"{len(long)} document text(s) longer than {limit:,} characters: shorten or split them.", long
        )
    return request


def validate_request(data: bytes | str | dict[str, Any], settings: Settings) -> CheckRequest:
    """Validate a request, as JSON text or as Python values, with the API's model and limits."""
    try:
        if isinstance(data, dict):
            request = CheckRequest.model_validate(data)
        else:
            request = CheckRequest.model_validate_json(data)
    except ValidationError as exc:
        raise invalid_request(describe(exc.errors())) from None
    return enforce_limits(request, settings)


def parse_request(body: bytes | str, settings: Settings) -> CheckRequest:
    """Validate a request body as POST /v1/check receives it, its size included (the CLI's --request)."""
    size = len(body.encode() if isinstance(body, str) else body)
    if size > settings.max_body_bytes:
        raise body_too_large(settings.max_body_bytes)
    return validate_request(body, settings)


def fetch_limits(settings: Settings) -> FetchLimits:
    return FetchLimits(
        timeout=settings.fetch_timeout_seconds,
        max_bytes=settings.fetch_max_bytes,
        max_redirects=settings.fetch_max_redirects,
        allow_private=settings.fetch_allow_private_addresses,
    )


def needs_fetching(request: CheckRequest) -> bool:
    return any(d.text is None for d in request.documents)


def to_documents(request: CheckRequest, settings: Settings) -> list[Document]:
    """The documents to check: as sent, with the text of each that gave only a url fetched from
    its page (and its date, where the client gave none). Raises InputError naming every url that
    cannot be read, and LimitError for a fetched text longer than a sent one may be."""
    fields = ("id", "source", "url", "published")
    wanted = [(i, str(d.url)) for i, d in enumerate(request.documents) if d.text is None]
    results = fetch_all([url for _, url in wanted], fetch_limits(settings)) if wanted else []
    fetched = {i: result for (i, _), result in zip(wanted, results, strict=True)}
    problems = [
        {"location": location(("documents", i, "url")), "message": result.message, "type": result.kind}
        for i, result in fetched.items()
        if isinstance(result, FetchFailed)
    ]
    if problems:
        raise fetch_failed(problems)
    documents = []
    for i, submitted in enumerate(request.documents):
        given = {name: getattr(submitted, name) for name in fields}
        result = fetched.get(i)
        if isinstance(result, Fetched):
            documents.append(Document(**{**given, "published": given["published"] or result.published},
                                      text=result.text))
        else:
            documents.append(Document(**given, text=str(submitted.text)))
    limit = settings.max_document_chars
    long = [
        {
            "location": location(("documents", i, "url")),
            "message": f"the text extracted from {d.url} has {len(d.text):,} characters, at most {limit:,} allowed",
            "type": "text_too_long",
        }
        for i, d in ((i, documents[i]) for i in fetched)
        if len(d.text) > limit
    ]
    if long:
        raise LimitError(f"{len(long)} fetched text(s) longer than {limit:,} characters: send shorter pages "
                         "or their text, cut.", long)
    return documents

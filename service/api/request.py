"""The check request: one model and one set of limits, shared by the HTTP API and the CLI.

This module does not import the web framework, so the command line validates input with
exactly the code the API uses. Problems are described as `{"location", "message", "type"}`,
where the location reads like `documents -> 0 -> text` and the message says what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from ..errors import InputError, LimitError
from ..models import Document
from ..pipeline import CheckOptions
from ..settings import Settings

# Whitespace as both Python (str.isspace) and JSON Schema's regex dialect know it, spelled out so
# the pattern documented in the schema and the check below agree on every character.
_SPACE = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK = f"[^{_SPACE}]"
_NOT_BLANK = re.compile(NOT_BLANK)

# An error listing every problem in a 2 MB body could itself be megabytes: show the first ones.
MAX_DETAILS = 50
ROOT = "(body)"
_EXAMPLE = '{"documents": [{"id": "a", "text": "..."}]}'


class SubmittedDocument(Document):
    """A document as a client sends it: its text must hold something to check."""

    text: str = Field(
        description="The copy, plain text. Offsets in the report index into it.",
        # The schema states the rule; the validator below words the error.
        json_schema_extra={"minLength": 1, "pattern": NOT_BLANK},
    )

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if not _NOT_BLANK.search(text):
            raise PydanticCustomError(
                "blank_text", "text is empty or only whitespace: send the copy to check"
            )
        return text


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
        return f"the body is empty: send an object like {_EXAMPLE}" if at_root else "required: add it"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"the body must be a JSON object like {_EXAMPLE}" if at_root else "must be a JSON object"
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
            message, loc = f"the body is not valid JSON ({reason}): send an object like {_EXAMPLE}", ()
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
        if len(d.text) > limit
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

"""The endpoints. Each is thin: validate, hand over to the domain, return its value."""

from __future__ import annotations

from importlib import metadata
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from .. import __version__
from ..models import Report
from ..nlp import components, pipeline_name
from ..pipeline import check
from .deps import CacheDep, GateDep, NlpDep, RulesDep, SettingsDep
from .errors import Draining, error_responses
from .examples import CHECK_EXAMPLES, example_report
from .request import CheckRequest, enforce_limits, needs_fetching, to_documents

router = APIRouter()


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    status: Literal["ready"] = "ready"
    pipeline: str = Field(description="The loaded spaCy pipeline, name-version.")
    rules_digest: str


class PipelineInfo(BaseModel):
    name: str = Field(description="lang_name-version, as in the report's meta.")
    version: str


class VersionInfo(BaseModel):
    numcheck: str
    pipeline: PipelineInfo
    fast_components: bool = Field(description="NUMCHECK_FAST_COMPONENTS: numcheck's faster components asked for.")
    components: dict[str, str] = Field(
        description="Each component of the pipeline with the factory that made it: spaCy's own ('ner') or "
        "numcheck's faster one ('numcheck_ner'), which falls back to spaCy's where it cannot run."
    )
    spacy: str | None
    quantulum3: str | None
    rules_digest: str


def _installed(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


CHECK_DESCRIPTION = """
Find the figures in one or more accounts of a story and flag the ones that cannot all be true.

Limits (per request, set by the server): at most `NUMCHECK_MAX_DOCUMENTS` documents (default 20),
`NUMCHECK_MAX_DOCUMENT_CHARS` characters in each text (default 200,000) and
`NUMCHECK_MAX_BODY_BYTES` bytes of body (default 2,000,000). Going over any of them is answered
with **413** (`too_large`): the request is well formed but larger than this server takes. A body
that is not valid is answered with **422** (`invalid_input`), listing every problem with its
location (`documents -> 0 -> text`). When the worker already has its most checks running or
waiting, the answer is **503** (`busy`) with a `Retry-After` header. A check may take at most
`NUMCHECK_CHECK_TIME_LIMIT_SECONDS` (default 60) from its admission: one still running then is
stopped and answered with **422** (`time_limit`, naming the stage it was in), or **503** where
waiting for the worker took the larger part. A check whose client disconnects is abandoned.
"""


def _report_example() -> dict[int | str, dict[str, Any]]:
    """The 200 answer to the "article" example, as the docs show it."""
    return {200: {"content": {"application/json": {"example": example_report()}}}}


@router.post(
    "/v1/check",
    response_model=Report,
    summary="Check the numbers in news copy",
    description=CHECK_DESCRIPTION,
    responses={**_report_example(), **error_responses(400, 413, 422, 500, 503)},
    tags=["check"],
    operation_id="check",
)
async def check_documents(
    request: Annotated[CheckRequest, Body(openapi_examples=CHECK_EXAMPLES)],
    settings: SettingsDep,
    rules: RulesDep,
    nlp: NlpDep,
    gate: GateDep,
    cache: CacheDep,
    http: Request,
) -> Response:
    enforce_limits(request, settings)
    if needs_fetching(request):
        # Waiting on other servers, outside the gate: it holds only checks.
        documents = await run_in_threadpool(to_documents, request, settings)
    else:
        documents = to_documents(request, settings)
    report = await gate.run(check, documents, rules, nlp, request.options, cache, receive=http.receive)
    # The report is built from validated values: it is written out once, by pydantic, rather
    # than validated again and encoded by the response model (a few tenths of a millisecond).
    # Worker processes share one listening socket, and a worker that accepts a burst of new
    # connections keeps them all while the other idles. A check is long beside a reconnect, so
    # each client comes back on a new connection, to whichever worker accepts first.
    return Response(report.model_dump_json(), media_type="application/json", headers={"Connection": "close"})


@router.get(
    "/v1/rules", summary="The active rules", responses=error_responses(500, 503), tags=["check"], operation_id="rules"
)
async def active_rules(rules: RulesDep) -> dict[str, Any]:
    return rules.public()


DRAINING = "The server is shutting down: it finishes the checks it has and takes no new one."


@router.get(
    "/healthz",
    summary="The process is alive (503 while it shuts down)",
    responses=error_responses(500, 503),
    tags=["ops"],
    operation_id="healthz",
)
@router.head(
    "/healthz",
    summary="The process is alive (503 while it shuts down), without a body",
    responses=error_responses(500, 503),
    tags=["ops"],
    operation_id="healthz_head",
)
async def healthz(gate: GateDep) -> Health:
    if gate.draining:
        raise Draining(DRAINING)
    return Health()


@router.get(
    "/readyz",
    summary="Rules and pipeline are loaded",
    responses=error_responses(500, 503),
    tags=["ops"],
    operation_id="readyz",
)
@router.head(
    "/readyz",
    summary="Rules and pipeline are loaded, without a body",
    responses=error_responses(500, 503),
    tags=["ops"],
    operation_id="readyz_head",
)
async def readyz(rules: RulesDep, nlp: NlpDep, gate: GateDep) -> Ready:
    if gate.draining:
        raise Draining(DRAINING)
    return Ready(pipeline=pipeline_name(nlp), rules_digest=rules.digest)


@router.get(
    "/version",
    summary="Versions of numcheck, its models and rules",
    responses=error_responses(500, 503),
    tags=["ops"],
    operation_id="version",
)
async def version(rules: RulesDep, nlp: NlpDep, settings: SettingsDep) -> VersionInfo:
    return VersionInfo(
        numcheck=__version__,
        pipeline=PipelineInfo(name=pipeline_name(nlp), version=str(nlp.meta.get("version", "?"))),
        fast_components=settings.fast_components,
        components=components(nlp),
        spacy=_installed("spacy"),
        quantulum3=_installed("quantulum3"),
        rules_digest=rules.digest,
    )

"""What a route needs from the running app, as typed dependencies.

The dependencies are coroutines only so that FastAPI calls them on the event loop instead of
handing each to the thread pool: none of them waits for anything (`get_store` hands over the
opening of a database, which can).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from spacy.language import Language
from starlette.concurrency import run_in_threadpool

from ..models import Document, Report
from ..nlp import ParseCache
from ..pipeline import check
from ..rules import RuleSet
from ..settings import Settings
from ..store import Store
from ..store.lazy import LazyStore
from ..web.session import SessionCodec
from .errors import NotReady
from .limits import CheckGate
from .request import CheckRequest, SubmittedDocument, enforce_limits, needs_fetching, to_documents


@dataclass
class Runtime:
    """The app's state: settings and gate from creation, rules and pipeline once start-up has run."""

    settings: Settings
    gate: CheckGate
    cache: ParseCache
    store: LazyStore
    rules: RuleSet | None = None
    nlp: Language | None = None
    sessions: SessionCodec | None = None


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_settings(runtime: RuntimeDep) -> Settings:
    return runtime.settings


async def get_gate(runtime: RuntimeDep) -> CheckGate:
    return runtime.gate


async def get_cache(runtime: RuntimeDep) -> ParseCache:
    return runtime.cache


async def get_rules(runtime: RuntimeDep) -> RuleSet:
    if runtime.rules is None:
        raise NotReady("The rules are not loaded yet: retry after the number of seconds in Retry-After.")
    return runtime.rules


async def get_nlp(runtime: RuntimeDep) -> Language:
    if runtime.nlp is None:
        raise NotReady(
            "The language pipeline is not loaded yet: retry after the number of seconds in Retry-After."
        )
    return runtime.nlp


async def get_store(runtime: RuntimeDep) -> Store:
    # Opening (or retrying) a database can wait: that is done in the thread pool, the rest is not.
    store = runtime.store.opened()
    return store if store is not None else await run_in_threadpool(runtime.store.get)


SettingsDep = Annotated[Settings, Depends(get_settings)]
GateDep = Annotated[CheckGate, Depends(get_gate)]
CacheDep = Annotated[ParseCache, Depends(get_cache)]
RulesDep = Annotated[RuleSet, Depends(get_rules)]
NlpDep = Annotated[Language, Depends(get_nlp)]
StoreDep = Annotated[Store, Depends(get_store)]


@dataclass(frozen=True)
class Checker:
    """Checks documents as POST /v1/check does (its limits, pages fetched, its gate), with the default
    options."""

    settings: Settings
    rules: RuleSet
    nlp: Language
    gate: CheckGate
    cache: ParseCache

    async def __call__(self, submitted: Sequence[SubmittedDocument]) -> tuple[list[Document], Report]:
        """The documents as checked (a page sent as a url fetched) and their report."""
        request = enforce_limits(CheckRequest(documents=list(submitted)), self.settings)
        if needs_fetching(request):
            # Waiting on other servers, outside the gate: it holds only checks.
            documents = await run_in_threadpool(to_documents, request, self.settings)
        else:
            documents = to_documents(request, self.settings)
        return documents, await self.gate.run(check, documents, self.rules, self.nlp, None, self.cache)


async def get_checker(
    settings: SettingsDep, rules: RulesDep, nlp: NlpDep, gate: GateDep, cache: CacheDep
) -> Checker:
    return Checker(settings, rules, nlp, gate, cache)


CheckerDep = Annotated[Checker, Depends(get_checker)]

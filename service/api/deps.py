"""What a route needs from the running app, as typed dependencies.

The dependencies are coroutines only so that FastAPI calls them on the event loop instead of
handing each to the thread pool: none of them waits for anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from spacy.language import Language

from ..nlp import ParseCache
from ..rules import RuleSet
from ..settings import Settings
from .errors import NotReady
from .limits import CheckGate


@dataclass
class Runtime:
    """The app's state: settings and gate from creation, rules and pipeline once start-up has run."""

    settings: Settings
    gate: CheckGate
    cache: ParseCache
    rules: RuleSet | None = None
    nlp: Language | None = None


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


SettingsDep = Annotated[Settings, Depends(get_settings)]
GateDep = Annotated[CheckGate, Depends(get_gate)]
CacheDep = Annotated[ParseCache, Depends(get_cache)]
RulesDep = Annotated[RuleSet, Depends(get_rules)]
NlpDep = Annotated[Language, Depends(get_nlp)]

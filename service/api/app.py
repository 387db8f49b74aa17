"""The app factory. Rules and the spaCy pipeline load at start-up, never on a first request.

Serve it with `numcheck serve`, or `uvicorn --factory service.api.app:create_app`.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI

from .. import __version__
from ..errors import PipelineError, RulesError
from ..memory import keep_freed_memory
from ..models import Document
from ..nlp import ParseCache, load_pipeline
from ..pipeline import check
from ..rules import load_rules
from ..settings import Settings, available_cores, get_settings
from ..store.lazy import LazyStore
from ..web.session import codec as session_codec
from .deps import Runtime
from .desk import router as desk_router
from .docs import install_docs
from .errors import CatchAllMiddleware, install_error_handlers
from .examples import SHORT_TEXT
from .limits import BodyLimitMiddleware, CheckGate
from .pages import install_pages, page_refusal
from .routes import router
from .server import drain_on_signals, install_rate_limits
from .sign_in import router as sign_in_router
from .stories import router as stories_router

logger = logging.getLogger("numcheck.api")

# Figures with units, so the unit tables and converters are loaded at start-up too.
WARM_UP_UNITS = "The convoy drove 40 km in 3 hours with 12 tonnes of aid worth $2.5m, police said."

DESCRIPTION = (
    "Finds the figures in news copy (counts, money, percentages, measures), works out who reports "
    "each one, groups the figures that describe the same thing and flags the ones that cannot all "
    "be true. Every error, on every endpoint, is answered as "
    '`{"error": {"code", "message", "details"}}`.'
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    runtime: Runtime = app.state.runtime
    settings = runtime.settings
    if keep_freed_memory(settings.malloc_trim_threshold_mb):
        logger.info("malloc keeps up to %d MB of freed memory", settings.malloc_trim_threshold_mb)
    try:
        runtime.sessions = session_codec(settings)
    except (OSError, ValueError) as exc:
        logger.error(
            "cannot start: no session secret (%s); set NUMCHECK_SESSION_SECRET or let the server write to %s",
            exc,
            settings.data_dir,
        )
        raise
    try:
        rules = load_rules(settings.rules_dir)
        nlp = load_pipeline(settings.spacy_pipeline, settings.fast_components)
    except RulesError as exc:
        for problem in exc.problems:
            logger.error("rules: %s", problem)
        logger.error("cannot start: %d problem(s) in the rules at %s", len(exc.problems), settings.rules_dir)
        raise
    except PipelineError as exc:
        logger.error("cannot start: %s", exc.message)
        raise
    # One small check at start-up: whatever loads lazily (quantulum3's unit table, pint's registry)
    # loads now, not on a client's request, and a broken stage fails here.
    warm_up = [Document(id="warm-up", text=SHORT_TEXT), Document(id="warm-up-units", text=WARM_UP_UNITS)]
    check(warm_up, rules, nlp)
    # What is loaded now lives as long as the worker: keep it out of the garbage collector's
    # scans, which otherwise walk the whole pipeline about once a check (about 1 ms of 65).
    gc.freeze()
    runtime.rules, runtime.nlp = rules, nlp
    runtime.gate.helper = _helper(settings)
    install_rate_limits()
    drain_on_signals(runtime.gate, settings.shutdown_timeout_seconds)
    logger.info("ready: rules %s, pipeline %s", rules.digest, settings.spacy_pipeline)
    # The schema is upgraded now; a database that cannot be used leaves checks working (see LazyStore).
    await anyio.to_thread.run_sync(runtime.store.try_open)
    try:
        yield
    finally:
        runtime.store.close()
        stopped = runtime.gate.abandon_all()
        if stopped:
            logger.warning("shutting down: %d running check(s) stopped", stopped)
        runtime.rules = runtime.nlp = None
        runtime.sessions = None
        helper, runtime.gate.helper = runtime.gate.helper, None
        if helper is not None:
            helper.shutdown()


def _openapi_with_limits(app: FastAPI, settings: Settings) -> Callable[[], dict[str, Any]]:
    """The generated schema, with this server's limits on documents and texts written into it."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schemas = FastAPI.openapi(app)["components"]["schemas"]
            schemas["CheckRequest"]["properties"]["documents"]["maxItems"] = settings.max_documents
            schemas["SubmittedDocument"]["properties"]["text"]["maxLength"] = settings.max_document_chars
        return app.openapi_schema or {}

    return openapi


def _helper(settings: Settings) -> ThreadPoolExecutor | None:
    """A second thread for checks that have the worker to themselves, where a core is spare."""
    if not settings.parse_helper_thread or settings.workers >= available_cores():
        return None
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="numcheck-parse")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="numcheck",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # Served by install_docs, with their assets from this server rather than a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = Runtime(
        settings=settings,
        gate=CheckGate(
            settings.max_concurrent_checks,
            settings.check_time_limit_seconds,
            trim_above_mb=settings.memory_trim_above_mb,
        ),
        cache=ParseCache(settings.parse_cache_sentences),
        store=LazyStore(settings.store_url),
    )
    app.include_router(router)
    app.include_router(stories_router)
    # The docs' assets mount under /static, so they go first.
    install_docs(app)
    install_pages(app)
    app.include_router(sign_in_router)
    app.include_router(desk_router)
    app.openapi = _openapi_with_limits(app, settings)  # type: ignore[method-assign]
    install_error_handlers(app)
    # Added last, runs first: the body limit wraps everything, the catch-all wraps the routes.
    app.add_middleware(CatchAllMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, refuse_page=page_refusal)
    return app

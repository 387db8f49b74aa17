"""A live numcheck server for the browser tests, on a thread of the test process."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from bench.chromium import HOST, free_port
from service.api.app import create_app
from service.settings import Settings

ARTIFACTS = Path(__file__).resolve().parent.parent / "build" / "test-artifacts"


@contextmanager
def live_server(settings: Settings, timeout: float = 180.0) -> Iterator[str]:
    """The app served by uvicorn on a thread of this process; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host=HOST, port=port, log_level="warning", ws="none", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="numcheck-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the server stopped during start-up (see the log above)")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start within {timeout:.0f} s")
        time.sleep(0.05)
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)

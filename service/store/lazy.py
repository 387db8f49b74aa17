"""The store as a running server holds it: opened at start-up, or later, once the database is back.

A server must check documents whatever state its database is in, so a store that cannot be
opened is not an error at start-up: the reason is kept and given to whoever asks for stored
stories (StoreUnavailable), and opening is tried again at most every `retry_seconds`.
"""

from __future__ import annotations

import logging
import threading
import time

from .errors import StoreUnavailable
from .store import Store

logger = logging.getLogger("numcheck.store")


class LazyStore:
    def __init__(self, url: str, retry_seconds: float = 5.0) -> None:
        self.url = url
        self.retry_seconds = retry_seconds
        self._store: Store | None = None
        self._failure: StoreUnavailable | None = None
        self._failed_at = 0.0
        self._lock = threading.Lock()

    def opened(self) -> Store | None:
        """The store if it is open, without waiting for anything."""
        return self._store

    def get(self) -> Store:
        store = self._store
        if store is not None:
            return store
        with self._lock:
            if self._store is not None:
                return self._store
            if self._failure is not None and time.monotonic() - self._failed_at < self.retry_seconds:
                raise self._failure
            try:
                self._store = Store.open(self.url)
            except StoreUnavailable as exc:
                logger.error("stored stories unavailable (checks still work): %s", exc.message)
                self._failure, self._failed_at = exc, time.monotonic()
                raise
            self._failure = None
            return self._store

    def try_open(self) -> bool:
        try:
            self.get()
        except StoreUnavailable:
            return False
        return True

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._store = None

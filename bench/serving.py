"""A `numcheck serve` process for the benchmarks: on loopback, on a free port, always stopped.

    with Server(workers=2, env={"NUMCHECK_MAX_CONCURRENT_CHECKS": "16"}) as server:
        httpx.post(server.url + "/v1/check", ...)
        server.peak_rss()   # VmHWM of the server and its worker processes, in bytes
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
READY_TIMEOUT = 240.0
STOP_TIMEOUT = 20.0
# uvicorn prints this once per worker when its start-up (rules and pipeline loaded) is done.
STARTED = "Application startup complete"


class ServerError(RuntimeError):
    """The server did not start, or stopped on its own."""


def free_port(candidates: range | None = None) -> int:
    """A port nobody listens on: any, or the first free one of `candidates`."""
    for candidate in candidates or [0]:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, candidate))
            except OSError:
                continue
            port: int = sock.getsockname()[1]
            return port
    raise ServerError(f"no free port in {candidates}")


def closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closes (or resets) the connection within `seconds`, whatever it sends first."""
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


@dataclass(frozen=True)
class Memory:
    """Peak resident memory (VmHWM) per process of a server, in bytes."""

    per_process: dict[int, int]

    @property
    def largest(self) -> int:
        return max(self.per_process.values(), default=0)

    @property
    def total(self) -> int:
        """The sum of each process's peak: an upper bound on the peak of the whole server."""
        return sum(self.per_process.values())


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def _vm_hwm(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process, in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    # Fields 14 and 15 of stat (utime, stime), counted after the ")" that ends field 2.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """`python -m service.cli serve` in a new session of its own, stopped on leaving the block.

    The server runs the `service` package of `root` (this checkout unless told otherwise), so two
    versions can be compared with the same benchmark.
    """

    def __init__(
        self, workers: int = 1, env: dict[str, str] | None = None, root: Path = ROOT, port: int | None = None
    ) -> None:
        self.workers = workers
        self.root = root
        self.port = port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.env = {**os.environ, "NUMCHECK_LOG_LEVEL": "info", **(env or {})}
        self.log = tempfile.NamedTemporaryFile(prefix="numcheck-bench-", suffix=".log", delete=False)  # noqa: SIM115
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        cmd = [sys.executable, "-m", "service.cli", "serve", "--host", HOST, "--port", str(self.port),
               "--workers", str(self.workers)]
        self.proc = subprocess.Popen(
            cmd, cwd=self.root, env=self.env, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def log_text(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def _wait_ready(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + READY_TIMEOUT
        with httpx.Client(timeout=5.0) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise ServerError(f"the server exited with {self.proc.returncode}:\n{self.log_text()[-3000:]}")
                # Every worker must have loaded its pipeline, not only the first to answer.
                if self.log_text().count(STARTED) >= self.workers:
                    try:
                        if client.get(self.url + "/readyz").status_code == 200:
                            return
                    except httpx.TransportError:
                        pass
                time.sleep(0.2)
        raise ServerError(f"the server was not ready after {READY_TIMEOUT:.0f} s:\n{self.log_text()[-3000:]}")

    def pids(self) -> list[int]:
        return _descendants(self.proc.pid) if self.proc is not None and self.proc.poll() is None else []

    def peak_rss(self) -> Memory:
        found = {pid: _vm_hwm(pid) for pid in self.pids()}
        return Memory({pid: rss for pid, rss in found.items() if rss is not None})

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and its worker processes."""
        return sum(self.cpu_by_process().values())

    def cpu_by_process(self) -> dict[int, float]:
        return {pid: _cpu_seconds(pid) for pid in self.pids()}

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(STOP_TIMEOUT)
            # A worker left behind by a supervisor that died: end the session this server started.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)

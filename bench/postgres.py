"""A throwaway PostgreSQL server for the tests and the benchmarks: started in a temporary folder,
reached through a Unix socket there (no TCP port is opened), always stopped and removed.

    with PostgresServer() as server:
        url = server.new_database("stories")   # postgresql+psycopg://postgres@/stories?host=...

It runs Debian's server programs (package `postgresql`), as the `postgres` user when this process
is root (the server refuses to run as root), else as the current user. Where they are missing,
`PostgresMissing` says the exact command that installs them.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

import psycopg

# Only names the socket file (.s.PGSQL.<port>) in the server's own folder: no TCP port is used.
SOCKET_PORT = 8140
INSTALL = "apt-get install -y postgresql"
BINDIR_VARIABLE = "NUMCHECK_TEST_PG_BINDIR"


class PostgresMissing(RuntimeError):
    """The PostgreSQL server programs are not installed, or cannot run here."""


def server_bindir() -> Path:
    """The folder with initdb and pg_ctl: NUMCHECK_TEST_PG_BINDIR, Debian's newest, or on PATH."""
    candidates = [os.environ.get(BINDIR_VARIABLE, "")]
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True
    )
    on_path = shutil.which("initdb")
    candidates.append(str(Path(on_path).resolve().parent) if on_path else "")
    for folder in filter(None, candidates):
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    sudo = "" if os.geteuid() == 0 else "sudo "
    raise PostgresMissing(
        "The PostgreSQL storage tests need a PostgreSQL server (initdb, pg_ctl), which is not installed: "
        f"run `{sudo}{INSTALL}` (or set {BINDIR_VARIABLE} to the folder of initdb and pg_ctl)."
    )


class PostgresServer:
    def __init__(self, durable: bool = False, port: int = SOCKET_PORT) -> None:
        """`durable=False` turns off fsync and synchronous commit: right for tests, not for timings."""
        self.durable = durable
        self.port = port
        self.bindir = server_bindir()
        self.folder: Path | None = None
        self._as_postgres = os.geteuid() == 0

    @property
    def socket_dir(self) -> Path:
        assert self.folder is not None, "the server is not started"
        return self.folder

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            log = self.socket_dir / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise PostgresMissing(f"{args[0]} failed ({result.returncode}): {result.stderr.strip()}\n{tail}")

    def start(self) -> PostgresServer:
        self.folder = Path(tempfile.mkdtemp(prefix="numcheck-pg-"))
        if self._as_postgres:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresMissing(
                    f"There is no `postgres` user to run the server as: run `{INSTALL}`."
                ) from None
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        data = self.folder / "data"
        self._run(
            "initdb",
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = f"-k {self.folder} -c listen_addresses='' -p {self.port} -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            "pg_ctl",
            "-D",
            str(data),
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )
        return self

    def stop(self) -> None:
        if self.folder is None:
            return
        try:
            if (self.folder / "data" / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def new_database(self, name: str) -> str:
        """Create an empty database (dropping one of that name first) and return its SQLAlchemy URL."""
        with psycopg.connect(
            host=str(self.socket_dir), port=self.port, user="postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(host=str(self.socket_dir), port=self.port, user="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def __enter__(self) -> PostgresServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

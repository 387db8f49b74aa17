"""Debian's Chromium as the browser tests and the page bench use it: where it is, how it is
started, how to install it, and a port for the server it visits.

Playwright drives it through `executable_path`; Playwright's own browser download is not used.
"""

from __future__ import annotations

import socket
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = "apt-get install -y chromium"
# Headless as root in a container, with nothing that reaches out to the network by itself.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
]
HOST = "127.0.0.1"
# The ports this project's browser runs serve on.
PORTS = range(8150, 8200)


def missing() -> str | None:
    """What to do when Chromium is not installed; None when it is."""
    if CHROMIUM.exists():
        return None
    return f"{CHROMIUM} is missing: run `{INSTALL}` as root (make test and make bench do it when run as root)"


def free_port(ports: range = PORTS) -> int:
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1} on {HOST}")

"""Debian's Chromium as the browser tests and the page bench use it: where it is, how it is
started, how to install it, and a port for the server it visits.

Playwright drives it through `executable_path`; Playwright's own browser download is not used.
"""

from __future__ import annotations

import os
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
PORTS_VARIABLE = "NUMCHECK_TEST_PORTS"


def port_range(default: range) -> range:
    """`default`, or the ports NUMCHECK_TEST_PORTS names ("8100-8149"): where several people run the
    tests on one machine, each can keep to a range of their own."""
    value = os.environ.get(PORTS_VARIABLE, "").strip()
    if not value:
        return default
    first, _, last = value.partition("-")
    try:
        ports = range(int(first), int(last or first) + 1)
    except ValueError:
        raise ValueError(f"{PORTS_VARIABLE}={value!r}: give a range of ports such as 8100-8149") from None
    if not ports or ports.start < 1024 or ports.stop > 65536:
        raise ValueError(f"{PORTS_VARIABLE}={value!r}: give a range of ports between 1024 and 65535")
    return ports


# The ports this project's browser runs serve on.
PORTS = port_range(range(8150, 8200))


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

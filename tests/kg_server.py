"""Starts a real `kg serve` on a free loopback port for the endpoint tests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served(NamedTuple):
    url: str  # http://127.0.0.1:PORT
    pid: int
    port: int


@contextmanager
def kg_serve(store: Path, env: dict[str, str] | None = None, args: list[str] | None = None):
    """Yields the running server (its base URL, pid, port) once it answers; stops it after."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("KG_") or k == "KG_STORE"}
    environment.update(env or {})
    log = open(store.parent / f"kg-serve-{port}.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port),
         *(args or [])], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/sparql", timeout=5):
                    break
            except (OSError, urllib.error.URLError):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError("kg serve did not start: " +
                                       (store.parent / f"kg-serve-{port}.log").read_text())
                time.sleep(0.2)
        yield Served(base, server.pid, port)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()

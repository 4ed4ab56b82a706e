"""Who holds a store folder: the address a running `kg serve` leaves in it, and the process
holding its lock.

An embedded store is locked to the one process that opened it for writing (RocksDB's LOCK
file). Another process can still read it (`OxigraphStore.open_read_only`), but must write
through the holder; to say how, it must know who that is:

- `kg serve` writes `kg-serve.json` ({"url": "http://HOST:PORT", "pid": N}) into the folder
  once it listens, and removes it when it stops (`serving`). A file left behind by a server
  that was killed is stale: `running_server` ignores it unless its pid is alive and, where the
  system says who holds the lock, is that holder (a reused pid or port is not taken for it).
- `lock_holder` asks the kernel which process holds the LOCK file (POSIX F_GETLK), and
  `describe_process` shows its command line, so that a message names a `kg ingest` or a Python
  session as what it is instead of guessing.

Linux-only pieces (F_GETLK's struct layout, /proc) answer None elsewhere: the messages then
say less, nothing breaks.
"""
from __future__ import annotations

import json
import os
import struct
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from kg.store.base import StoreError

ADDRESS_FILE = "kg-serve.json"
LOCK_FILE = "LOCK"  # RocksDB's


@dataclass(frozen=True)
class ServerAddress:
    """A running `kg serve` on a store folder."""
    url: str  # http://HOST:PORT, no trailing slash
    pid: int

    @property
    def endpoint(self) -> str:
        """The `--store` that reads and writes through this server."""
        return f"sparql+{self.url}/sparql"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def lock_holder(folder: Path) -> int | None:
    """The pid of the process holding the store's lock, None if none or unknown."""
    try:
        import fcntl
    except ImportError:  # not on Unix
        return None
    try:
        fd = os.open(Path(folder) / LOCK_FILE, os.O_RDONLY)
    except OSError:
        return None
    try:
        # struct flock: l_type, l_whence, l_start, l_len, l_pid (native layout)
        query = struct.pack("@hhqqi", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
        kind, _, _, _, pid = struct.unpack("@hhqqi", answer)
    except OSError:
        return None
    finally:
        os.close(fd)
    # F_UNLCK: no other process holds it; pid <= 0: an open-file-description lock (no pid).
    return pid if kind != fcntl.F_UNLCK and pid > 0 else None


def describe_process(pid: int) -> str:
    """`pid 123: kg ingest reports/` (its command line, shortened), or `pid 123`."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return f"pid {pid}"
    words = [w.decode("utf-8", "replace") for w in words if w]
    if len(words) > 2 and words[1:3] == ["-m", "kg.cli"]:
        words = ["kg", *words[3:]]  # python -m kg.cli ingest ... is `kg ingest ...`
    elif words and Path(words[0]).name == "kg":
        words[0] = "kg"
    elif len(words) > 1 and Path(words[1]).name == "kg":
        words = ["kg", *words[2:]]  # the console script run by its interpreter
    text = " ".join(words)
    return f"pid {pid}: {text[:100] + '...' if len(text) > 100 else text}" if text \
        else f"pid {pid}"


def running_server(folder: Path) -> ServerAddress | None:
    """The `kg serve` holding the folder, from its address file; None if there is none or the
    file is stale (see the module's doc)."""
    try:
        data = json.loads((Path(folder) / ADDRESS_FILE).read_text(encoding="utf-8"))
        address = ServerAddress(str(data["url"]).rstrip("/"), int(data["pid"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not _pid_alive(address.pid):
        return None
    holder = lock_holder(folder)
    if holder is not None and holder != address.pid:
        return None
    return address


@contextmanager
def serving(folder: Path, url: str) -> Iterator[ServerAddress]:
    """Leaves this process's address in the folder while the block runs (a server listening
    on `url`), and removes it afterwards unless another server has since replaced it."""
    address = ServerAddress(url.rstrip("/"), os.getpid())
    path = Path(folder) / ADDRESS_FILE
    partial = path.with_name(f".{ADDRESS_FILE}.{address.pid}")
    # Written inside the try: a stop (SIGTERM, Ctrl-C) landing just after the file appears
    # still removes it.
    try:
        partial.write_text(json.dumps({"url": address.url, "pid": address.pid}) + "\n",
                           encoding="utf-8")
        os.replace(partial, path)  # a reader never sees half a file
        yield address
    finally:
        partial.unlink(missing_ok=True)
        try:
            if json.loads(path.read_text(encoding="utf-8")).get("pid") == address.pid:
                path.unlink()
        except (OSError, ValueError):
            pass


class StoreLocked(StoreError):
    """The store folder is held by another process. `server` is the `kg serve` holding it (None
    if it is not one), `holder` what the system says of the holding process (None if unknown).
    The message says what holds it, how to write through it and how to read meanwhile."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.server = running_server(self.path)
        pid = self.server.pid if self.server else lock_holder(self.path)
        self.holder = describe_process(pid) if pid is not None else None
        super().__init__(f"store {self.path}: {self.who()}; {self.advice()}")

    def __reduce__(self):
        # Made again from the path (its args are the message), e.g. in another process.
        return type(self), (self.path,)

    def who(self) -> str:
        """What holds the store, for a message."""
        if self.server is not None:
            return f"held by `kg serve` at {self.server.url}/ (pid {self.server.pid})"
        if self.holder is not None:
            return f"held by another process ({self.holder})"
        return "held by another process"

    def advice(self) -> str:
        reading = ("reading needs no write access: kg query, sparql, stats and export read "
                   "it as it is, and so does KnowledgeGraph.open(path, read_only=True)")
        if self.server is not None:
            return (f"to write, go through the server: --store {self.server.endpoint} with "
                    f"KG_STORE_TOKEN set to the server's KG_UPDATE_TOKEN "
                    f"(docs/remote-store.md); {reading}")
        return (f"to write, wait until it ends or stop it, or use another --store; "
                f"{reading}")

"""Takes network access away from the thread (and the threads it starts) that runs SPARQL.

pyoxigraph fetches the IRI of a SERVICE clause or a LOAD itself, and its HTTP client cannot be
switched off. Refusing those by reading the query's words can always be defeated by another
spelling; a seccomp filter cannot: once installed, `socket()` for any family but AF_UNIX fails
with EACCES in that thread, whatever the query says, so nothing reaches the network (DNS
look-ups included). Local files are untouched: the store is read as before.

The filter comes from libseccomp (Debian's libseccomp2, which apt itself depends on), through
ctypes. A filter applies to the calling thread and every thread or process it starts, and can
never be removed: call deny_network() only in a thread or process that serves queries alone.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import socket

_SCMP_ACT_ALLOW = 0x7FFF0000
_SCMP_CMP_NE = 1


def _scmp_act_errno(code: int) -> int:
    return 0x00050000 | (code & 0xFFFF)


class _ArgCmp(ctypes.Structure):
    # struct scmp_arg_cmp of <seccomp.h>
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int),
                ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


@functools.lru_cache(maxsize=1)  # loaded once, not for every confined thread
def _libseccomp():
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    lib = ctypes.CDLL(name, use_errno=True)
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.restype = ctypes.c_int
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.restype = ctypes.c_int
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int,
                                           ctypes.c_uint, ctypes.POINTER(_ArgCmp)]
    lib.seccomp_load.restype = ctypes.c_int
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.restype = None
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    return lib


def deny_network() -> str | None:
    """Installs the filter on the calling thread: None once done, else why it could not be
    (no libseccomp, or a kernel without seccomp); the caller decides what that means."""
    try:
        lib = _libseccomp()
    except OSError as e:
        return f"libseccomp is not installed ({e})"
    ctx = lib.seccomp_init(_SCMP_ACT_ALLOW)
    if not ctx:
        return "seccomp_init failed"
    try:
        number = lib.seccomp_syscall_resolve_name(b"socket")
        if number < 0:
            return "this architecture has no socket system call to filter"
        # socket(domain, ...) with domain != AF_UNIX: refused. Sockets already open (the pipe
        # to the server is a pipe, not a socket) keep working.
        only_unix = (_ArgCmp * 1)(_ArgCmp(0, _SCMP_CMP_NE, socket.AF_UNIX, 0))
        code = lib.seccomp_rule_add_array(ctx, _scmp_act_errno(errno.EACCES), number, 1,
                                          only_unix)
        if code < 0:
            return f"seccomp_rule_add failed ({-code})"
        code = lib.seccomp_load(ctx)
        if code < 0:
            return f"seccomp_load failed ({-code}): {errno.errorcode.get(-code, '?')}"
    finally:
        lib.seccomp_release(ctx)
    return None

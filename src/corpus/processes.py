"""Worker processes: how many the machine offers, how they are started, and that they die with their parent."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from multiprocessing.context import SpawnContext

#: ``prctl`` option that makes the kernel signal a process when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1
#: Seconds between two looks at the parent where ``prctl`` is not available.
_PARENT_POLL = 0.5


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity on Linux, else the CPU count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def spawn_context() -> SpawnContext:
    """The start method of every worker pool: ``spawn``, a clean interpreter that inherits no state.

    Scripts that start a pool need the usual ``if __name__ == "__main__":`` guard.
    """
    return multiprocessing.get_context("spawn")


def _watch_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(_PARENT_POLL)


def die_with_parent(parent: int) -> None:
    """Make this worker process end as soon as the process ``parent`` ends, however it ends.

    On Linux the kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``), which
    also covers ``kill -9`` of the parent; elsewhere a daemon thread watches the parent's id.
    Pass it as the initializer of a worker pool (with ``os.getpid()`` of the pool's owner).

    Args:
        parent: The process id of the pool's owner, read before the worker started.
    """
    armed = False
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="corpus-parent-watch").start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

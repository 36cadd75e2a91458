"""Worker processes: how many the machine offers, and how they are started."""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.context import SpawnContext


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

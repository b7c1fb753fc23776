"""Watching flock() waiters through /proc/locks, so lock tests need no sleeps.

A lock test holds a lock, starts a contender, and must know that the contender
is blocked *on that lock* (not merely slow) before checking that it did
nothing. The kernel lists every blocked flock() request in /proc/locks with
"->" and the inode of the locked file, so the test waits for that line: if the
lock did not work, the line never appears and the contender runs on instead.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path


def blocked_on(path: Path) -> int:
    """How many flock() requests are waiting for the lock on `path`."""
    stat = os.stat(path)
    device = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
    count = 0
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "->" in fields and "FLOCK" in fields and device in fields:
            count += 1
    return count


def wait_until_blocked(path: Path, gone: Callable[[], bool], seconds: float = 120) -> None:
    """Return once a contender waits for the lock on `path`; fail if `gone()` turns
    true first (the contender got past the lock, or ended)."""
    deadline = time.monotonic() + seconds
    while not blocked_on(path):
        assert not gone(), f"the contender got past the lock on {path}"
        assert time.monotonic() < deadline, f"no contender waited for the lock on {path}"
        time.sleep(0.01)  # polling /proc/locks; the outcome never depends on this delay

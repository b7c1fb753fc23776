"""The benchmarks' memory cap: a command whose process tree goes over it is killed, whole."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from sitebench.sitebuild import MemoryCapError, run_timed, tree_pids, tree_rss

MB = 1024**2

# A parent that starts a child, and the child holds `mb` MB resident until killed;
# the parent writes the child's pid to a file first.
HOG = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c",
    "import time; data = bytearray({mb} * 1024 * 1024); data[::4096] = b'x' * len(data[::4096]);"
    "print('ready', flush=True); time.sleep({sleep})"])
open({pid_file!r}, "w").write(str(child.pid))
child.wait()
"""


def hog(tmp_path: Path, mb: int, sleep: float) -> tuple[list[str], Path]:
    pid_file = tmp_path / "child.pid"
    code = HOG.format(mb=mb, sleep=sleep, pid_file=str(pid_file))
    return [sys.executable, "-c", code], pid_file


def alive(pid: int, wait: float = 5.0) -> bool:
    """Whether `pid` still runs after up to `wait` s (a killed process takes a moment to go)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        if state in "ZX":
            return False
        time.sleep(0.1)
    return True


def test_a_tree_over_its_cap_is_killed_child_and_all(tmp_path):
    cmd, pid_file = hog(tmp_path, mb=300, sleep=60)
    started = time.perf_counter()
    with pytest.raises(MemoryCapError) as caught:
        run_timed(cmd, "the hog", cap=150 * MB)
    assert time.perf_counter() - started < 30  # killed, not waited for
    assert caught.value.peak > 150 * MB
    assert "the hog killed" in str(caught.value) and "cap of 0.15 GB" in str(caught.value)
    assert not alive(int(pid_file.read_text()))


def test_a_tree_under_its_cap_runs_to_the_end_and_its_peak_counts_the_child(tmp_path):
    cmd, _ = hog(tmp_path, mb=120, sleep=1.5)
    timing = run_timed(cmd, "the small hog", cap=1024 * MB)
    assert 120 * MB < timing.peak_rss < 1024 * MB


def test_tree_pids_and_rss_cover_the_descendants():
    me = os.getpid()
    assert me in tree_pids(me)
    assert tree_rss(me) > 0

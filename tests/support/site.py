"""The project's paths and the site build as the tests run it (a subprocess, as `make html`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# SHARED_DIR points elsewhere (a git worktree beside the clone has no ../shared of its own).
SHARED = Path(os.environ.get("SHARED_DIR") or ROOT.parent / "shared")
ARTIFACTS = ROOT / "test-artifacts"  # git-ignored: screenshots for people to look at


def run_pelican(
    content: Path | str,
    output: Path | str,
    *,
    settings: str = "pelicanconf.py",
    extra: dict | None = None,
    atomic: bool = False,
    verbose: bool = False,
) -> subprocess.CompletedProcess:
    """Build `content` into `output` in a subprocess, as `make html` does.

    `extra` becomes Pelican's `-e KEY=JSON` overrides. With `atomic`, the build
    goes through scripts/build.py (build aside, then swap), as the Makefile does;
    `verbose`: Pelican's -v (INFO records logged).
    """
    if atomic:
        cmd = [sys.executable, str(ROOT / "scripts" / "build.py")]
    else:
        cmd = [sys.executable, "-m", "pelican"]
    cmd += [str(content), "-o", str(output), "-s", str(ROOT / settings)]
    if verbose:
        cmd.append("-v")
    if extra:
        cmd.append("-e")
        cmd += [f"{key}={json.dumps(value)}" for key, value in extra.items()]
    # Pelican's rich log handler wraps lines at the terminal's width, which for a
    # captured run is 80 columns: a wide one keeps each message on one line.
    env = {**os.environ, "COLUMNS": "500"}
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)


def build_with_caches(
    site: Path,
    name: str,
    *extra: str,
    cache: str = "cache",
    now: str | None = None,
    python_args: Sequence[str] = (),
) -> subprocess.CompletedProcess:
    """Build `site`/content into `site`/`name` through scripts/build.py -v with the site's
    settings, its caches in `site`/`cache` and its search index in `site`/`cache`-index:
    a cold build while `cache` is new, a rebuild after. `extra`: more `-e` settings
    (`KEY=JSON`); `now`: the build's clock (SITE_BUILD_NOW); `python_args`: Python's own
    arguments, before the script's path (`-c CODE` that runs it, for instance)."""
    cmd = [sys.executable, *python_args, str(ROOT / "scripts" / "build.py"), str(site / "content")]
    cmd += ["-o", str(site / name), "-s", str(ROOT / "pelicanconf.py"), "-v", "-e"]
    cmd += [f'SEARCH_INDEX_DIR="{site / (cache + "-index")}"', f'CACHE_PATH="{site / cache}"']
    env = {**os.environ, **({"SITE_BUILD_NOW": now} if now else {})}
    return subprocess.run(
        [*cmd, *extra], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env
    )


def tree_bytes(folder: Path, pattern: str = "*") -> dict[str, bytes]:
    """Every file under `folder` matching `pattern` (at any depth): its path relative to
    `folder` -> its bytes, for comparing two builds file by file."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob(pattern))
        if p.is_file()
    }


def site_pages(folder: Path) -> dict[str, bytes]:
    """`tree_bytes` of a built site without its browser search index: a rebuild updates
    the index in place of a new export, so its shards may be cut differently from a
    cold build's (what they answer is the search tests' business)."""
    return {
        path: data for path, data in tree_bytes(folder).items() if not path.startswith("search/")
    }


def assert_same_pages(ours: Path, theirs: Path) -> None:
    """Two built sites hold the same files with the same bytes (`site_pages`)."""
    mine, other = site_pages(ours), site_pages(theirs)
    assert sorted(mine) == sorted(other)
    assert [name for name in mine if mine[name] != other[name]] == []


@dataclass
class BuiltSite:
    output: Path
    index_dir: Path
    log: str

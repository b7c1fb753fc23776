"""Issue 20: scripts/build.py makes the new search index current before it removes the
old output tree, so a build killed while removing it never leaves the old index
serving pages the new site no longer has."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from support import ROOT
from support.pausable_build import NEW_URL, Site

# Runs scripts/build.py as `make html` does, but the process kills itself (SIGKILL,
# nothing runs after it) at the moment the old output tree is handed to its removal.
KILL_WHILE_REMOVING_OLD_TREE = """
import os, runpy, signal, sys
import tdbvantq.writes

def remove_in_background(path):
    os.kill(os.getpid(), signal.SIGKILL)

tdbvantq.writes.remove_in_background = remove_in_background
sys.argv = [sys.argv[1], *sys.argv[2:]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_killed_while_removing_the_old_tree_leaves_the_new_site_with_its_index(
    tmp_path: Path,
) -> None:
    site = Site(tmp_path)
    article = site.add("chim-hong-hac")
    assert site.build().returncode == 0
    assert site.search("chim hồng hạc")[0] == NEW_URL

    article.unlink()  # the next build deletes the page
    wrapper = tmp_path / "kill_at_old_tree.py"
    wrapper.write_text(KILL_WHILE_REMOVING_OLD_TREE, encoding="utf-8")
    command = site.command()
    result = subprocess.run(
        [sys.executable, str(wrapper), *command[1:]], cwd=ROOT, capture_output=True, timeout=300
    )
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()
    # killed there: the old tree, out of the way, never mistaken for a killed build's
    assert any(name.startswith("output.trash-") for name in site.leftovers(settled=False))
    assert not (site.output / NEW_URL).exists()  # the new site is in place
    # ... and so is its index: search does not send readers to the deleted page.
    assert NEW_URL not in site.search("chim hồng hạc")

    result = site.build()
    assert result.returncode == 0, result.stderr
    assert "left by a build that was killed" not in result.stderr
    assert site.leftovers() == []  # the next build handed it to the removal again
    assert NEW_URL not in site.search("chim hồng hạc")

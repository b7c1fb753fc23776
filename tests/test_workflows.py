"""The CI workflow and the pre-commit hook: linted, and wired to commands that exist."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from support import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
ZIZMOR_CONFIG = ROOT / ".github" / "zizmor.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
BAD = ROOT / "tests" / "fixtures" / "bad_articles" / "articles" / "2023"


def zizmor(*paths: Path) -> subprocess.CompletedProcess:
    """zizmor (pinned in requirements.txt) validates workflows against GitHub's schema
    and audits them; --offline: it never touches the network."""
    binary = Path(sys.executable).parent / "zizmor"
    return subprocess.run(
        [
            str(binary),
            "--offline",
            "--no-progress",
            "--config",
            str(ZIZMOR_CONFIG),
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_workflow_passes_the_linter() -> None:
    result = zizmor(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout


@pytest.mark.parametrize(
    ("good", "bad"),
    [
        ("    steps:\n", "    stepz:\n"),  # misspelt key: fails the schema
        ("    runs-on: ubuntu-latest\n", "    runs-on: [ubuntu-latest\n"),  # broken YAML
        # an audit finding: a pull request's title pasted into a shell command
        ("run: make check\n", 'run: echo "${{ github.event.pull_request.title }}"\n'),
    ],
)
def test_linter_rejects_a_broken_workflow(tmp_path: Path, good: str, bad: str) -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert good in text
    broken = tmp_path / ".github" / "workflows" / "publish.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(good, bad, 1), encoding="utf-8")
    assert zizmor(broken).returncode != 0


def test_workflow_tests_then_publishes_main_to_pages() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert re.search(r"^on:\n  push:\n    branches: \[main\]\n  pull_request:", text, re.M)
    assert 'python-version: "3.11"' in text
    jobs = dict(re.findall(r"^  (\w+):\n((?:    .*\n|\n)*)", text.split("\njobs:\n", 1)[1], re.M))
    assert list(jobs) == ["test", "preview", "build", "deploy"]
    assert "run: make test" in jobs["test"]
    assert "needs: test" in jobs["build"] and "github.ref == 'refs/heads/main'" in jobs["build"]
    assert "needs.test.result == 'success'" in jobs["build"]
    assert (
        "run: make publish" in jobs["build"] and "actions/upload-pages-artifact@" in jobs["build"]
    )
    assert "path: output/" in jobs["build"]
    assert "needs: build" in jobs["deploy"] and "actions/deploy-pages@" in jobs["deploy"]
    assert re.search(r"pages: write\b", jobs["deploy"]) and re.search(
        r"id-token: write\b", jobs["deploy"]
    )
    assert "write" not in jobs["test"] + jobs["preview"] + jobs["build"]  # only deploy may write
    assert "permissions: {}" in text  # nothing granted by default


def test_workflow_rebuilds_hourly_for_scheduled_stories() -> None:
    """A story dated in the future goes live on the first run after its time
    (plugins/schedule); the hourly run rebuilds main with the cache, skipping the tests."""
    text = WORKFLOW.read_text(encoding="utf-8")
    assert re.search(r'^  schedule:\n    - cron: "\d{1,2} \* \* \* \*"$', text, re.M)
    jobs = dict(re.findall(r"^  (\w+):\n((?:    .*\n|\n)*)", text.split("\njobs:\n", 1)[1], re.M))
    assert "if: github.event_name != 'schedule'" in jobs["test"]
    assert "github.event_name == 'schedule' && needs.test.result == 'skipped'" in jobs["build"]
    assert "actions/cache@" in jobs["build"] and "path: cache/" in jobs["build"]
    assert jobs["build"].index("run: make check") < jobs["build"].index("run: make publish")


def test_pull_requests_get_the_built_site_as_an_artifact() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    jobs = dict(re.findall(r"^  (\w+):\n((?:    .*\n|\n)*)", text.split("\njobs:\n", 1)[1], re.M))
    preview = jobs["preview"]
    assert "if: github.event_name == 'pull_request'" in preview
    assert "run: make html" in preview and "path: output/" in preview
    # Pinned to a commit, the version in a comment.
    assert re.search(r"uses: actions/upload-artifact@[0-9a-f]{40} # v\d", preview)
    assert "persist-credentials: false" in preview and "contents: read" in preview


def test_workflow_runs_make_targets_that_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([A-Za-z][\w-]*):", makefile, re.M))
    used = set(re.findall(r"run: make (\w[\w-]*)", WORKFLOW.read_text(encoding="utf-8")))
    assert used and used <= targets


def pre_commit_hook() -> dict[str, str]:
    text = PRE_COMMIT.read_text(encoding="utf-8")
    assert re.search(
        r"^repos:\n  - repo: local\n    hooks:\n      - id: check-content\n", text, re.M
    )
    return dict(re.findall(r"^        (\w+): (.+)$", text, re.M))


def test_pre_commit_hook_runs_the_checker_on_staged_content() -> None:
    hook = pre_commit_hook()
    assert hook["files"] == "^content/" and hook["language"] == "system"
    program, script = hook["entry"].split()
    assert program == ".venv/bin/python" and (ROOT / script).is_file()
    # pre-commit appends the staged file names to the entry.
    clean = ROOT / "content" / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md"
    ok = subprocess.run(
        [sys.executable, script, str(clean)], cwd=ROOT, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout
    bad = subprocess.run(
        [sys.executable, script, str(BAD / "the-script.md")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and "the-script.md:16: Có thẻ HTML <script>" in bad.stdout


def test_pre_commit_hook_takes_its_versions_from_the_lock() -> None:
    """The hook runs .venv's Python, which `make venv` fills from the lock alone: no
    second list of pins to keep in step."""
    hook = pre_commit_hook()
    assert "additional_dependencies" not in hook
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^VENV := \.venv$", makefile, re.M)
    assert re.search(r"^LOCKED := \$\(PIP\) --no-deps --require-hashes -r$", makefile, re.M)
    assert re.search(r"^\t\$\(LOCKED\) requirements\.txt$", makefile, re.M)


def locked(path: Path) -> dict[str, tuple[str, int]]:
    """{name: (version, number of hashes)} of a lock written by `make lock`."""
    pins: dict[str, tuple[str, int]] = {}
    name = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("--hash=") or line.startswith(" "):
            assert name and line.strip().startswith("--hash=sha256:"), f"{path.name}: {line}"
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
            continue
        requirement = line.removesuffix("\\").strip()
        # (An extra is allowed, in case a lock is written with them: "lxml[html-clean]".)
        assert re.fullmatch(
            r"[A-Za-z0-9._-]+(\[[a-z0-9,._-]+\])?==[A-Za-z0-9.+!-]+", requirement
        ), f"{path.name}: {line}"
        raw, version = requirement.split("[")[0].split("==")[0], requirement.split("==")[1]
        name = re.sub(r"[-_.]+", "-", raw).lower()
        pins[name] = (version, 0)
    return pins


def declared(group: str | None = None) -> dict[str, SpecifierSet]:
    """{name: version range} pyproject.toml declares: the runtime dependencies, or one extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    items = project["dependencies"] if group is None else project["optional-dependencies"][group]
    return {canonicalize_name(req.name): req.specifier for req in map(Requirement, items)}


def test_locks_pin_every_package_with_its_hashes() -> None:
    """Generated by `make lock` from pyproject.toml: every package (transitive ones
    too) at one version with at least one hash, the declared ones included, and the
    benchmark lock the main lock plus its extra, at the same versions."""
    main, bench = locked(ROOT / "requirements.txt"), locked(ROOT / "requirements-bench.txt")
    assert all(hashes for _version, hashes in [*main.values(), *bench.values()])
    wanted = declared() | declared("test") | declared("build")
    assert set(wanted) <= set(main) and set(declared("bench")) <= set(bench) - set(main)
    for name, versions in (wanted | declared("bench")).items():
        assert versions.contains(bench[name][0]), f"{name} {bench[name][0]} is not {versions}"
    assert {name: bench[name] for name in main} == main
    assert "pagefind" not in main


def test_lock_parser_rejects_an_unpinned_or_unhashed_line(tmp_path: Path) -> None:
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    first = re.search(r"^([A-Za-z0-9._-]+)==(\S+) \\$", text, re.M)
    assert first
    loose = tmp_path / "loose.txt"
    loose.write_text(
        text.replace(first.group(0), f"{first.group(1)}>={first.group(2)} \\", 1), encoding="utf-8"
    )
    with pytest.raises(AssertionError):
        locked(loose)
    unhashed = tmp_path / "unhashed.txt"
    unhashed.write_text(
        re.sub(r" \\\n(    --hash=\S+ \\\n)*    --hash=\S+\n", "\n", text, count=1),
        encoding="utf-8",
    )
    assert locked(unhashed)[re.sub(r"[-_.]+", "-", first.group(1)).lower()][1] == 0


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_and_workflow_files_are_not_git_ignored() -> None:
    """The hook and the workflow are committed files, not ignored ones."""
    for path in (PRE_COMMIT, WORKFLOW, ZIZMOR_CONFIG):
        ignored = subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=ROOT)
        assert ignored.returncode == 1, path

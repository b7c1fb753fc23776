"""The same content builds to byte-identical output, so a publish uploads only what changed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from support import ROOT, run_pelican, tree_bytes


def first_difference(a: bytes, b: bytes) -> str:
    index = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return f"{a[max(0, index - 60) : index + 60]!r} != {b[max(0, index - 60) : index + 60]!r}"


def test_publish_builds_are_byte_identical(tmp_path: Path) -> None:
    """What `make publish` runs (scripts/build.py, publishconf.py: absolute URLs, feeds),
    twice: other folders, other processes (so other hash seeds), other times."""
    outputs = []
    for name in ("one", "two"):
        output = tmp_path / name / "output"
        extra = {"SEARCH_INDEX_DIR": str(tmp_path / name / "index")}
        result = run_pelican(
            ROOT / "content", output, settings="publishconf.py", extra=extra, atomic=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
        outputs.append(tree_bytes(output))
    first, second = outputs
    assert sorted(first) == sorted(second) and "feeds/all.rss.xml" in first
    differing = {
        name: first_difference(first[name], second[name])
        for name in first
        if first[name] != second[name]
    }
    assert differing == {}
    assert str(tmp_path) not in "".join(data.decode("utf-8", "replace") for data in second.values())


def test_no_build_date_in_the_output(built_site) -> None:
    """Day-precision stamps would survive two builds on one day: look for today's date."""
    content_dates = set()
    for path in (ROOT / "content").rglob("*.md"):
        match = re.search(r"^Date:\s*(\d{4}-\d{2}-\d{2})", path.read_text(encoding="utf-8"), re.M)
        if match:
            content_dates.add(match.group(1))
    now = datetime.now(UTC)
    days = {(now + timedelta(hours=shift)).date() for shift in (0, 7)}  # UTC and Vietnam
    stamps = [
        text
        for day in days
        if day.isoformat() not in content_dates
        for text in (day.isoformat(), day.strftime("%d/%m/%Y"))
    ]
    for name, data in tree_bytes(built_site.output).items():
        text = data.decode("utf-8", "replace")
        found = [stamp for stamp in stamps if stamp in text]
        assert not found, f"{name} contains the build date {found}"

"""Relative links and `#anchors` in the project's Markdown resolve (README.md, docs/, plugins/).

A link to another Markdown file must name a file that exists, and its `#anchor` (or a bare
`#anchor` within the file) must be one GitHub makes from a heading of that file: lowercased,
punctuation other than `-` and `_` dropped, spaces made hyphens, a repeated heading suffixed
`-1`, `-2`…. Links inside code (fenced blocks, inline code spans) are not links.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from support import ROOT

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
LINK = re.compile(r"(?<!\\)!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_ID = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"")
SKIPPED_FOLDERS = {"node_modules", ".venv", "static"}


def markdown_files() -> list[Path]:
    found = [ROOT / "README.md"]
    for folder in (ROOT / "docs", ROOT / "plugins"):
        for path in sorted(folder.rglob("*.md")):
            if not SKIPPED_FOLDERS.intersection(path.relative_to(ROOT).parts):
                found.append(path)
    return found


def prose_lines(text: str) -> list[tuple[int, str]]:
    """The file's lines outside fenced code blocks, with their numbers."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, line))
    return lines


def github_slug(heading: str) -> str:
    text = CODE_SPAN.sub(lambda match: match.group(2), heading)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = unicodedata.normalize("NFC", text).lower()
    kept = "".join(char for char in text if char in " -_" or unicodedata.category(char)[0] in "LNM")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for _, line in prose_lines(path.read_text(encoding="utf-8")):
        found.update(HTML_ID.findall(line))
        match = HEADING.match(line)
        if not match:
            continue
        slug = github_slug(match.group(2))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def broken_links(path: Path) -> list[str]:
    broken = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        for target in LINK.findall(CODE_SPAN.sub("", line)):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("//"):
                continue
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            where = f"{path.name}:{number}: {target}"
            if not linked.exists():
                broken.append(f"{where} (no such file)")
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
                broken.append(f"{where} (no such heading)")
    return broken


def test_github_slug_follows_githubs_rules() -> None:
    assert github_slug("Building and serving") == "building-and-serving"
    assert github_slug("Fifth round: WCXB's development split (`body9`)") == (
        "fifth-round-wcxbs-development-split-body9"
    )
    assert github_slug("`render_cache` (the entry)") == "render_cache-the-entry"
    assert github_slug("Models (mô hình)") == "models-mô-hình"


def test_broken_links_are_reported(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Title\n\n## A part\n\n## A part\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n[ok](other.md#a-part) [ok](other.md#a-part-1) [ok](#page)\n"
        "[bad](other.md#b-part) [bad](missing.md) [bad](#nowhere)\n"
        "`[code](missing.md)`\n```\n[fenced](missing.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page) == [
        "page.md:4: other.md#b-part (no such heading)",
        "page.md:4: missing.md (no such file)",
        "page.md:4: #nowhere (no such heading)",
    ]


def test_every_relative_link_and_anchor_resolves() -> None:
    broken = [line for path in markdown_files() for line in broken_links(path)]
    assert broken == []

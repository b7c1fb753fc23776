"""The safe fixes: Unicode NFC, look-alike letters, tone placement, trailing spaces,
in prose only (contentcheck.prose decides what prose is); and control characters,
everywhere (U+000B and U+000C become a space, the others are removed).

Nothing else in a file changes: code, link and image targets, URLs, {static}
paths, names, line endings, blank lines and the two spaces of a Markdown line
break stay as they were. A fix that would break the build (a link or photo that
no longer resolves, metadata the build refuses) is not written. The file is
replaced atomically through safe_write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from safe_html.sources import audit_markdown
from strict_content.checks import check_markdown
from strict_content.controls import remove_control_characters
from tdbvantq.check.context import load_site_settings
from tdbvantq.check.document import MODEL, read_document_text
from tdbvantq.check.link_rules import internal_links
from tdbvantq.check.prose import fix_line, plan_lines
from tdbvantq.check.runner import find_content_root, kind_of
from tdbvantq.writes import write_atomically

_LOOKALIKE = re.compile("[\u00d0\u00f0]")
_LINE = re.compile(r"([^\r\n]*)(\r\n|\n|\r)?")


@dataclass(frozen=True)
class Change:
    path: Path
    line: int
    description: str  # Vietnamese, for editors


class FixRefused(Exception):
    """The fixed file would break the build where the original did not: not written."""

    def __init__(self, path: Path, reasons: list[str]) -> None:
        super().__init__(f"{path}: {'; '.join(reasons)}")
        self.path = path
        self.reasons = reasons


def fix_text(text: str, path: Path = Path("-")) -> tuple[str, list[Change]]:
    lines, endings = [], []
    for match in _LINE.finditer(text):
        if match.group(1) or match.group(2):
            lines.append(match.group(1))
            endings.append(match.group(2) or "")
    # Control characters go first, everywhere (code and addresses included: they are
    # never text); the other fixes then see the clean lines.
    removed = [0] * len(lines)
    for index, line in enumerate(lines):
        lines[index], removed[index] = remove_control_characters(line)
    out: list[str] = []
    changes: list[Change] = []
    for number, (line, plan) in enumerate(zip(lines, plan_lines(lines), strict=True), 1):
        result = fix_line(line, plan)
        what = []
        if removed[number - 1]:
            what.append(f"xóa {removed[number - 1]} ký tự điều khiển")
        if result.invisible:
            what.append(f"xóa {result.invisible} ký tự ẩn")
        if result.nfc:
            what.append("chuyển sang Unicode dựng sẵn (NFC)")
        if any(_LOOKALIKE.search(old) for old, _ in result.fixed):
            what.append("thay chữ “Ð/ð” (Eth) bằng “Đ/đ”")
        toned = [(o, n) for o, n in result.fixed if not _LOOKALIKE.search(o)]
        if toned:
            shown = ", ".join(f"“{o}” → “{n}”" for o, n in list(dict.fromkeys(toned))[:3])
            what.append(f"sửa cách bỏ dấu {shown}")
        if result.trailing:
            what.append("xóa khoảng trắng cuối dòng")
        if what:
            changes.append(Change(path, number, "; ".join(what)))
        out.append(result.text + endings[number - 1])
    return "".join(out), changes


@lru_cache(maxsize=4)
def _settings(content_root: Path) -> dict:
    return load_site_settings(content_root)


def build_problems(path: Path, text: str, content_root: Path) -> set[str]:
    """What the build (strict_content, safe_html) and the link check say about this text.

    The sanitizer's audit is part of it: removing an invisible character from
    `<scr\u200bipt>` would make a tag the build refuses."""
    found = {
        str(p).split(": ", 1)[-1]
        for p in check_markdown(path, content_root, mandatory=(), text=text)
    }
    if kind_of(path, content_root) != MODEL:
        found |= {f"{f.line}: {f}" for f in audit_markdown(text, _settings(content_root), path)}
    doc = read_document_text(path, text, content_root)
    found |= {problem.message for problem in internal_links(doc)}
    return found


def fix_file(path: Path, content_root: Path | None = None) -> list[Change]:
    """Apply the safe fixes to one UTF-8 file in place; return what changed.

    FixRefused (nothing written) if the fixed text has a build or link problem
    the original did not have.
    """
    raw = path.read_bytes()
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text = raw.decode("utf-8-sig")
    fixed, changes = fix_text(text, path)
    if changes:
        write_fix(path, text, fixed, content_root or find_content_root(path), bom)
    return changes


def write_fix(path: Path, before: str, after: str, content_root: Path, bom: bytes = b"") -> None:
    """Replace `path`'s text `before` by `after`, unless `after` breaks what `before` did not.

    The guard behind every fix: strict_content's build checks and the
    {static}/{filename} link check run on both texts; a new problem raises
    FixRefused and the file stays as it was.
    """
    new = build_problems(path, after, content_root) - build_problems(path, before, content_root)
    if new:
        raise FixRefused(path, sorted(new))
    write_atomically(path, bom + after.encode("utf-8"))

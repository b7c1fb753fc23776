"""The safe fixes: Unicode NFC, look-alike letters, tone placement, trailing spaces.

Nothing else in a file changes: line endings, blank lines and every other byte
stay as they were. The file is replaced atomically (temp file + os.replace).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from safe_write import write_atomically
from vntext import normalize

_LINE = re.compile(r"([^\r\n]*)(\r\n|\n|\r)?")
_TRAILING = re.compile(r"[ \t\u00a0]+$")
_LOOKALIKE = re.compile("[\u00d0\u00f0]")
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


@dataclass(frozen=True)
class Change:
    path: Path
    line: int
    description: str  # Vietnamese, for editors


def fix_text(text: str, path: Path = Path("-")) -> tuple[str, list[Change]]:
    out: list[str] = []
    changes: list[Change] = []
    number = 0
    for match in _LINE.finditer(text):
        line, ending = match.group(1), match.group(2) or ""
        if not line and not ending:
            continue
        number += 1
        what = []
        fixed = normalize(line)
        if fixed != line:
            if unicodedata.normalize("NFC", line) != line:
                what.append("chuyển sang Unicode dựng sẵn (NFC)")
            composed = unicodedata.normalize("NFC", line)
            if _LOOKALIKE.search(composed):
                what.append("thay chữ “Ð/ð” (Eth) bằng “Đ/đ”")
                composed = composed.translate(_LOOKALIKES)
            if composed != fixed:
                what.append(_tone_description(composed, fixed))
        stripped = _TRAILING.sub("", fixed)
        if stripped != fixed:
            what.append("xóa khoảng trắng cuối dòng")
        if what:
            changes.append(Change(path, number, "; ".join(what)))
        out.append(stripped + ending)
    return "".join(out), changes


def _tone_description(before: str, after: str) -> str:
    old_words, new_words = before.split(), after.split()
    pairs = [(o, n) for o, n in zip(old_words, new_words, strict=False) if o != n]
    shown = ", ".join(f"“{o}” → “{n}”" for o, n in list(dict.fromkeys(pairs))[:3])
    return f"sửa cách bỏ dấu {shown}"


def fix_file(path: Path) -> list[Change]:
    """Apply the safe fixes to one UTF-8 file in place; return what changed."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    fixed, changes = fix_text(text, path)
    if changes:
        write_atomically(path, (b"\xef\xbb\xbf" if bom else b"") + fixed.encode("utf-8"))
    return changes

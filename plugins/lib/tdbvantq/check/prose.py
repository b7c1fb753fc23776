"""What the safe fixes may change in a content file: prose, and nothing else.

Each line is cut into pieces: prose (fixed), names (NFC only: a changed tone
mark or letter in a person's name is reported, never made) and verbatim text
(never touched: code, link and image targets, URLs, {static} paths, HTML tags,
and metadata values that are addresses or keys). The content checker reports
and `--fix` changes exactly the same things, because both read this plan.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tdbvantq.markdown.header import parse_header
from tdbvantq.markdown.source import code_block_lines, split_prose
from tdbvantq.text import INVISIBLES, normalize

PROSE, NAME, VERBATIM = "prose", "name", "verbatim"

# Metadata whose values are people's or publications' names: written as they spell them.
NAME_FIELDS = {"author", "authors"}
# Metadata whose values are addresses, keys or machine values: never changed.
VERBATIM_FIELDS = {
    "slug",
    "date",
    "modified",
    "status",
    "lang",
    "template",
    "save_as",
    "url",
    "image",
    "translation",
    "import_hash",
    "imported",
}
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"""[.!?…:]["'”’)\]]*\s*$""")
_LINE_START = re.compile(r"""[\s#>*+\-\d.)(\[“"'‘_]*""")  # list, heading, quote marks
_HARD_BREAK = re.compile(r"\S {2,}$")  # Markdown: two or more spaces end a line with <br>
_TRAILING = re.compile(r"[ \t\u00a0]+$")
_INVISIBLE = re.compile(f"[{INVISIBLES}]")


@dataclass(frozen=True)
class Piece:
    text: str
    kind: str  # PROSE, NAME or VERBATIM


@dataclass
class LinePlan:
    pieces: list[Piece]
    code: bool = False  # inside a code block: nothing on the line is changed
    hard_break: bool = False  # its trailing spaces are a Markdown line break: kept


def plan_lines(lines: list[str]) -> list[LinePlan]:
    """One plan per line (lines without their endings)."""
    header = parse_header(lines)
    fields = {item.line: item.key for item in header.fields}
    code = code_block_lines(lines, header.body_start)
    plans = []
    key = ""
    for number, line in enumerate(lines, 1):
        in_header = number < header.body_start
        if number in code:
            plans.append(LinePlan([Piece(line, VERBATIM)], code=True))
            continue
        if in_header:
            key = fields.get(number, key)  # an indented continuation keeps its key
            plans.append(LinePlan(_header_pieces(line, key)))
            continue
        following = lines[number] if number < len(lines) else ""
        hard_break = bool(_HARD_BREAK.search(line)) and bool(following.strip())
        plans.append(LinePlan(_pieces(line), hard_break=hard_break))
    return plans


def _header_pieces(line: str, key: str) -> list[Piece]:
    colon = line.find(":")
    if key in VERBATIM_FIELDS or colon < 0:
        return [Piece(line, VERBATIM)]
    name, value = line[: colon + 1], line[colon + 1 :]
    if key in NAME_FIELDS or key.startswith("source"):
        return [Piece(name, VERBATIM), *(_as_name(p) for p in _pieces(value))]
    return [Piece(name, VERBATIM), *_pieces(value)]


def _as_name(piece: Piece) -> Piece:
    return Piece(piece.text, NAME) if piece.kind == PROSE else piece


def _pieces(text: str) -> list[Piece]:
    return [Piece(part, PROSE if prose else VERBATIM) for part, prose in split_prose(text)]


@dataclass
class LineFix:
    text: str  # the line as --fix writes it
    nfc: list[str]  # prose words composed to NFC (as they read after the fix)
    fixed: list[tuple[str, str]]  # (before, after) words whose letters or tone marks change
    names: list[tuple[str, str]]  # (as written, press style) words left alone: likely names
    trailing: bool  # trailing white space removed
    invisible: int = 0  # invisible characters (soft hyphen, zero-width space…) removed


def fix_line(line: str, plan: LinePlan) -> LineFix:
    """The line with its prose fixed: invisible characters dropped and NFC
    everywhere but verbatim pieces; tone marks and look-alike letters in prose
    words, except capitalized words inside a sentence (names), which are only
    reported."""
    if plan.code:
        return LineFix(line, [], [], [], False)
    out: list[str] = []
    nfc: list[str] = []
    fixed: list[tuple[str, str]] = []
    names: list[tuple[str, str]] = []
    invisible = 0
    for piece in plan.pieces:
        if piece.kind == VERBATIM:
            out.append(piece.text)
            continue
        # Invisible characters go first (vntext.normalize drops them too): one inside
        # a word splits it for every tool that reads the file, and shows nowhere.
        visible, removed = _INVISIBLE.subn("", piece.text)
        invisible += removed
        text = unicodedata.normalize("NFC", visible)
        if text != visible:
            nfc += [w for w in _WORD.findall(text) if w not in _WORD.findall(visible)]
        at = 0
        for match in _WORD.finditer(text):
            word, press = match.group(), normalize(match.group())
            out.append(text[at : match.start()])
            at = match.end()
            keep = piece.kind == NAME or (_capitalized(word) and not _starts_sentence("".join(out)))
            if press != word:
                (names if keep else fixed).append((word, press))
            out.append(word if keep else press)
        out.append(text[at:])
    text = "".join(out)
    trailing = False
    if not plan.hard_break:
        stripped = _TRAILING.sub("", text)
        trailing = stripped != text
        text = stripped
    return LineFix(text, nfc, fixed, names, trailing, invisible)


def _starts_sentence(before: str) -> bool:
    return bool(_LINE_START.fullmatch(before) or _SENTENCE_END.search(before))


def _capitalized(word: str) -> bool:
    """Capital first letter and a lower-case letter after it: "Thuý", not "ÐÁNH"."""
    return word[:1].isupper() and any(c.islower() for c in word[1:])

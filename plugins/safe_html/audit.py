"""Sanitize HTML and say what was removed, at which line of the Markdown source.

The sanitizer (`policy`) decides; this module only explains. When the clean HTML
equals the input (nearly always) nothing else runs. Otherwise the start tags of
both are paired in order (stdlib `html.parser`, attribute values decoded):
a tag of the input missing from the output is a removed tag, an attribute
missing or changed is a removed attribute or URL. Tags the sanitizer only adds
or moves (a `<tbody>`, a `<p>` closed before a block) are not removals.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from mdheader import parse_header
from mdsource import code_block_lines, without_inline_code
from safe_html.policy import URL_ATTRIBUTES, Policy, srcset_urls, url_verdict

# The restricted attribute lists (safe_html.attr_list) put a refused key here,
# never in the attribute itself; the sanitizer removes the marker.
REFUSED_MARKER = "safe-html-refused"

# Tags that run code or show another page, in the words editors already know.
_EMBEDDING = {"script", "iframe", "frame", "frameset", "object", "embed", "applet"}
_TAG_WHY = {
    "style": "đổi giao diện của trang",
    "link": "tải tệp từ nơi khác vào trang",
    "meta": "chuyển trang hoặc đổi thông tin của trang",
    "base": "đổi địa chỉ gốc của mọi liên kết",
    "svg": "hình vẽ có thể chứa mã chạy được",
    "math": "công thức có thể chứa mã chạy được",
    "template": "khuôn mẫu cho mã chạy trên trang",
}
_FORM = {"form", "input", "button", "textarea", "select", "option", "label", "fieldset", "output"}
_SCRIPT_SCHEMES = {"javascript", "vbscript", "livescript"}
_NAMED = _EMBEDDING | _FORM | set(_TAG_WHY)  # tags with a reason of their own
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _shown(text: str, limit: int = 60) -> str:
    """Text safe to print on one terminal line."""
    text = _CONTROL.sub("\ufffd", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Removal:
    """One thing the sanitizer took out."""

    kind: str  # "tag", "attribute", "url" or "attr_list"
    tag: str
    name: str = ""  # the attribute (attr_list: the refused keys)
    value: str = ""  # the attribute's decoded value

    @property
    def message(self) -> str:
        tag = _shown(self.tag, 30)
        if self.kind == "tag":
            if self.tag in _EMBEDDING:
                return f"Có thẻ HTML <{tag}> (chạy mã hoặc nhúng trang khác)"
            if self.tag in _FORM:
                return f"Có thẻ HTML <{tag}> (biểu mẫu gửi dữ liệu đi nơi khác)"
            why = _TAG_WHY.get(self.tag, "không có trong các thẻ trình bày được phép")
            return f"Có thẻ HTML <{tag}> ({why})"
        if self.kind == "attr_list":
            keys = ", ".join(_shown(key, 30) for key in self.name.split())
            return f"Thuộc tính {keys} trong {{: …}} không được phép; chỉ dùng class, id"
        name = _shown(self.name, 30)
        if self.kind == "url":
            scheme = self.scheme
            if self.tag == "iframe" and self.name == "src":
                return "Có thẻ HTML <iframe> (chạy mã hoặc nhúng trang khác)"
            if scheme in _SCRIPT_SCHEMES:
                return f"Có đường dẫn {scheme}: (chạy mã khi bấm vào)"
            if not scheme:
                return f"Có đường dẫn không hợp lệ trong {name}=… của thẻ <{tag}>"
            return (
                f"Có đường dẫn {_shown(scheme, 20)}: trong {name}=… của thẻ <{tag}>"
                " (chỉ dùng https://, http://, mailto:, tel: hoặc đường dẫn trong trang)"
            )
        if self.name.startswith("on"):
            return f"Có thuộc tính sự kiện {name}=… trong thẻ HTML (chạy mã JavaScript)"
        if self.name == "style":
            return f"Có thuộc tính style=… trong thẻ <{tag}> (đổi giao diện của trang)"
        return f"Có thuộc tính {name}=… trong thẻ <{tag}> không được phép"

    @property
    def hint(self) -> str:
        if self.kind == "tag":
            if self.tag in _EMBEDDING:
                return ("Xóa thẻ này; muốn dẫn tới video hay trang khác thì dùng liên kết thường "
                        "[tên](https://…).")
            return ("Xóa thẻ này; bài chỉ dùng Markdown và các thẻ trình bày thông thường "
                    "(đoạn, tiêu đề, danh sách, bảng, ảnh, liên kết).")
        if self.kind == "attr_list":
            return "Xóa các thuộc tính đó khỏi {: …}, chỉ giữ .tên-lớp hoặc #mã."
        if self.kind == "url":
            if self.tag == "iframe" and self.name == "src":
                return ("Xóa thẻ này; muốn dẫn tới video hay trang khác thì dùng liên kết thường "
                        "[tên](https://…) (chỉ nhúng được trang https:// của các máy chủ trong "
                        "STRICT_CONTENT_IFRAME_HOSTS).")
            return "Thay bằng đường dẫn https://… thật, hoặc xóa liên kết."
        return f"Xóa thuộc tính {_shown(self.name, 30)}=… khỏi thẻ."

    @property
    def scheme(self) -> str:
        urls = srcset_urls(self.value) if self.name == "srcset" else [self.value]
        for url in urls:
            verdict = url_verdict(url)
            if verdict:
                return verdict
        return ""

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}"


@dataclass(frozen=True)
class Finding:
    """A removal placed at a line of the source file."""

    line: int
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}"


# Elements whose inside is not the page's markup: foreign content (SVG, MathML) and
# elements the HTML parser reads as text. They are removed whole; a harmless tag they
# hold is not reported again (an <a> inside <math> is not "a tag the site refuses").
_OPAQUE = {"svg", "math", "template", "noscript", "textarea", "title", "xmp", "noembed",
           "noframes", "iframe", "object"}


class _StartTags(HTMLParser):
    """The start tags of an HTML fragment: name, decoded attributes (first of a repeated
    name wins, as in browsers), and whether an opaque element holds it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str], bool]] = []
        self.opaque: list[str] = []  # the opaque elements open around the current point

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag in _OPAQUE:
            self.opaque.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.opaque:
            while self.opaque.pop() != tag:
                pass

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found: dict[str, str] = {}
        for name, value in attrs:
            # html5ever reads NUL as U+FFFD and CR LF as LF: compare like with like.
            value = (value or "").replace("\0", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")
            found.setdefault(name.replace("\0", "\ufffd"), value)
        self.tags.append((tag.replace("\0", "\ufffd"), found, bool(self.opaque)))


def start_tags(fragment: str) -> list[tuple[str, dict[str, str], bool]]:
    parser = _StartTags()
    parser.feed(fragment)
    parser.close()
    return parser.tags


def removals_between(before: str, after: str) -> list[Removal]:
    """What is in `before` and not in `after` (its sanitized version).

    The sanitized tags are the input's minus the removed ones, plus a few the parser
    adds: each input tag is paired with the next output tag of its name (greedy, in
    order); one with no such tag left was removed. Tags held by an opaque element are
    paired afterwards, only between their neighbours' pairs (they are usually gone).
    """
    old, new = start_tags(before), start_tags(after)
    pairs: dict[int, int] = {}
    j = 0
    for i, (tag, _, held) in enumerate(old):
        if not held:
            k = next((k for k in range(j, len(new)) if new[k][0] == tag), -1)
            if k >= 0:
                pairs[i], j = k, k + 1
    used = set(pairs.values())
    for i, (tag, _, held) in enumerate(old):
        if held:
            low = max((k for o, k in pairs.items() if o < i), default=-1) + 1
            high = min((k for o, k in pairs.items() if o > i), default=len(new))
            k = next((k for k in range(low, high) if k not in used and new[k][0] == tag), -1)
            if k >= 0:
                pairs[i] = k
                used.add(k)
    found: list[Removal] = []
    for i, (tag, attrs, held) in enumerate(old):
        if i not in pairs:
            if not held or tag in _NAMED:
                found.append(Removal("tag", tag))
            continue
        kept = new[pairs[i]][1]
        for name, value in attrs.items():
            if name not in kept or kept[name] != value:
                found.append(_attribute_removal(tag, name, value))
    return found


def _attribute_removal(tag: str, name: str, value: str) -> Removal:
    if name == REFUSED_MARKER:
        return Removal("attr_list", tag, value)
    if name in URL_ATTRIBUTES or name == "srcset":
        return Removal("url", tag, name, value)
    return Removal("attribute", tag, name, value)


def sanitize(fragment: str, policy: Policy) -> tuple[str, list[Removal]]:
    """The clean HTML, and what was removed from `fragment` (nothing when it was clean)."""
    clean = policy.clean(fragment)
    if clean == fragment:
        return clean, []
    return clean, removals_between(fragment, clean)


# --- where in the source -------------------------------------------------------------------


def _searchable(line: str) -> str:
    """A source line as the HTML parser reads it: entities decoded, tabs and newlines
    gone (URL parsing drops them), lower case."""
    return re.sub(r"[\t\n\r]", "", html.unescape(line)).lower()


def _patterns(removal: Removal) -> list[re.Pattern[str]]:
    """What to look for in the source, best first."""
    name = re.escape(removal.name.lower())
    if removal.kind == "tag":
        return [re.compile("<" + re.escape(removal.tag.lower()) + r"(?![\w-])")]
    if removal.kind == "attr_list":
        keys = "|".join(re.escape(key.lower()) for key in removal.name.split()) or "$^"
        return [re.compile(r"\{[^}]*(?<![\w-])(?:" + keys + r")(?![\w-])"), re.compile(r"\{:")]
    patterns = []
    if removal.kind == "url":
        value = re.sub(r"[\t\n\r]", "", removal.value.strip("".join(map(chr, range(0x21))))).lower()
        if value:
            patterns.append(re.compile(re.escape(value[:40])))
        if removal.scheme:
            patterns.append(re.compile(re.escape(removal.scheme) + r"\s*:"))
    patterns += [
        re.compile(r"(?<![\w-])" + name + r"\s*="),
        re.compile(r"[<{][^>}]*(?<![\w-])" + name + r"(?![\w-])"),
    ]
    return patterns


def locate(
    removals: Sequence[Removal], lines: Sequence[str], first: int, last: int,
    skip: set[int] = frozenset(),
) -> list[Finding]:
    """Each removal at the line of lines[first-1:last] (1-based, inclusive) that holds
    it; the n-th removal of one kind at its n-th occurrence; `first` when not found."""
    searched = [
        (number, _searchable(without_inline_code(lines[number - 1])))
        for number in range(first, min(last, len(lines)) + 1)
        if number not in skip
    ]
    used: dict[tuple[str, str, str], int] = {}
    findings: list[Finding] = []
    for removal in removals:
        key = (removal.kind, removal.tag, removal.name if removal.kind != "url" else removal.value)
        line = first
        for pattern in _patterns(removal):
            hits = [number for number, text in searched if pattern.search(text)]
            if hits:
                line = hits[min(used.get(key, 0), len(hits) - 1)]
                break
        used[key] = used.get(key, 0) + 1
        finding = Finding(line, removal.message, removal.hint)
        if finding not in findings:
            findings.append(finding)
    return findings


def locate_in_body(removals: Sequence[Removal], text: str) -> list[Finding]:
    """Removals from a content file's rendered body, at their lines (code skipped)."""
    lines = text.removeprefix("\ufeff").splitlines()
    start = parse_header(lines).body_start
    while start <= len(lines) and not lines[start - 1].strip():
        start += 1
    return locate(removals, lines, start, len(lines), code_block_lines(lines, start))


def locate_in_field(removals: Sequence[Removal], text: str, key: str) -> list[Finding]:
    """Removals from a rendered metadata field (Summary), at the field's lines."""
    lines = text.removeprefix("\ufeff").splitlines()
    header = parse_header(lines)
    fields = header.fields
    for index, item in enumerate(fields):
        if item.key == key:
            end = fields[index + 1].line - 1 if index + 1 < len(fields) else header.body_start - 1
            return locate(removals, lines, item.line, max(end, item.line))
    return locate_in_body(removals, text)

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
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import accumulate
from typing import Any

from safe_html.policy import URL_ATTRIBUTES, Policy, srcset_urls, url_verdict
from tdbvantq.markdown.header import parse_header
from tdbvantq.markdown.source import code_block_lines, inline_code_spans, without_inline_code

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
    # Where it was: the start tag as written in the HTML, and how many identical start
    # tags came before it (what a reader of the report is told does not depend on it).
    start: str = field(default="", compare=False)
    occurrence: int = field(default=0, compare=False)
    copies: int = field(default=1, compare=False)  # identical start tags in the HTML

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
                return (
                    "Xóa thẻ này; muốn dẫn tới video hay trang khác thì dùng liên kết thường "
                    "[tên](https://…)."
                )
            return (
                "Xóa thẻ này; bài chỉ dùng Markdown và các thẻ trình bày thông thường "
                "(đoạn, tiêu đề, danh sách, bảng, ảnh, liên kết)."
            )
        if self.kind == "attr_list":
            return "Xóa các thuộc tính đó khỏi {: …}, chỉ giữ .tên-lớp hoặc #mã."
        if self.kind == "url":
            if self.tag == "iframe" and self.name == "src":
                return (
                    "Xóa thẻ này; muốn dẫn tới video hay trang khác thì dùng liên kết thường "
                    "[tên](https://…) (chỉ nhúng được trang https:// của các máy chủ trong "
                    "STRICT_CONTENT_IFRAME_HOSTS)."
                )
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


# Elements whose inside is not the page's markup. They are removed whole; a harmless tag
# they hold is not reported again (an <a> inside <math> is not "a tag the site refuses").
# The parser of the sanitizer (html5ever) is followed where the stdlib parser differs,
# or a removal would be missed or reported at another tag:
# - foreign content (SVG, MathML): its elements are real, and an HTML tag such as <div>
#   or <p> closes it (`<svg/onload=…>` left open does not hold the rest of the page);
_FOREIGN = {"svg", "math"}
# - raw text: everything up to the element's end tag is text, not tags;
_RAW_TEXT = {
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "noembed",
    "noframes",
    "noscript",
    "iframe",
}
# - containers removed with what they hold (parsed as markup, never shown).
_CONTAINERS = {"template", "object"}
# HTML start tags that end foreign content (HTML standard, "parsing tokens in foreign content").
_BREAKOUT = {
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
}
# Foreign elements inside which HTML tags are HTML again (integration points).
_INTEGRATION = {"mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignobject", "desc", "title"}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
    "keygen",
    "frame",
}


@dataclass(frozen=True)
class StartTag:
    """A start tag of an HTML fragment, as the sanitizer's parser reads it."""

    name: str
    attrs: dict[str, str]  # decoded; the first of a repeated name wins, as in browsers
    held: str  # "" in the page; "foreign" inside SVG/MathML; "container" inside template…
    text: str  # the tag as written (`<img src=x onerror=…>`), to find it in the source


class _StartTags(HTMLParser):
    """The start tags of an HTML fragment, with what holds each."""

    CDATA_CONTENT_ELEMENTS = tuple(sorted(_RAW_TEXT))  # html5ever's raw text elements

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[StartTag] = []
        # Elements open inside an opaque element (outside one nothing needs tracking).
        self.stack: list[str] = []

    def _held(self) -> str:
        for name in reversed(self.stack):
            if name in _FOREIGN:
                return "foreign"
            if name in _CONTAINERS:
                return "container"
        return ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if (
            self._held() == "foreign"
            and self.stack[-1] not in _INTEGRATION
            and (
                tag in _BREAKOUT
                or (tag == "font" and {"color", "face", "size"} & {n for n, _ in attrs})
            )
        ):
            # Pop to the HTML element around the foreign content.
            while self.stack and self._held() == "foreign":
                self.stack.pop()
        self._start(tag, attrs)
        if (self.stack or tag in _FOREIGN | _CONTAINERS) and tag not in _VOID:
            self.stack.append(tag)

    def set_cdata_mode(self, elem: str, *args: Any, **kwargs: Any) -> None:
        if self._held() != "foreign":  # <svg><style>, <svg><title>: SVG elements, not raw text
            super().set_cdata_mode(elem, *args, **kwargs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass
        elif tag in ("p", "br") and self._held() == "foreign":
            while self.stack and self._held() == "foreign":
                self.stack.pop()

    def parse_html_declaration(self, i: int) -> int:
        # `<![CDATA[…` is a CDATA section in foreign content only; in HTML it is a bogus
        # comment ending at the first `>` (`<![CDATA[><script>` holds a real script).
        # Python 3.11's parser reads a section up to `]]>` in both.
        if not self.rawdata.startswith("<![", i):
            return super().parse_html_declaration(i)
        if self._held() != "foreign" or not self.rawdata.startswith("<![CDATA[", i):
            return self.parse_bogus_comment(i)
        end = self.rawdata.find("]]>", i + 9)
        if end < 0:
            return -1
        return end + 3

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found: dict[str, str] = {}
        for name, value in attrs:
            # html5ever reads NUL as U+FFFD and CR LF as LF: compare like with like.
            value = (value or "").replace("\0", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")
            found.setdefault(name.replace("\0", "\ufffd"), value)
        name = tag.replace("\0", "\ufffd")
        self.tags.append(StartTag(name, found, self._held(), self.get_starttag_text() or ""))


def start_tags(fragment: str) -> list[StartTag]:
    parser = _StartTags()
    parser.feed(fragment)
    parser.close()
    return parser.tags


def removals_between(before: str, after: str) -> list[Removal]:
    """What is in `before` and not in `after` (its sanitized version).

    The sanitized tags are the input's minus the removed ones, plus a few the parser
    adds: each input tag is paired with the next output tag of its name (greedy, in
    order); one with no such tag left was removed. Tags held by an opaque element are
    paired afterwards, only between their neighbours' pairs (they are usually gone);
    one that is not paired is reported only when it is active on its own: a tag that
    runs code (script…) or, in SVG/MathML, an event handler (`<svg><set onbegin=…>`).
    Each removal keeps the start tag it was found in, as written, and how many
    identical start tags came before it, so that it can be found in the source.
    """
    old, new = start_tags(before), start_tags(after)
    pairs: dict[int, int] = {}
    j = 0
    for i, tag in enumerate(old):
        if not tag.held:
            k = next((k for k in range(j, len(new)) if new[k].name == tag.name), -1)
            if k >= 0:
                pairs[i], j = k, k + 1
    used = set(pairs.values())
    for i, tag in enumerate(old):
        if tag.held:
            low = max((k for o, k in pairs.items() if o < i), default=-1) + 1
            high = min((k for o, k in pairs.items() if o > i), default=len(new))
            k = next((k for k in range(low, high) if k not in used and new[k].name == tag.name), -1)
            if k >= 0:
                pairs[i] = k
                used.add(k)
    found: list[Removal] = []
    seen: dict[str, int] = {}
    copies = Counter(tag.text for tag in old)
    for i, tag in enumerate(old):
        where = {"start": tag.text, "occurrence": seen.get(tag.text, 0), "copies": copies[tag.text]}
        seen[tag.text] = seen.get(tag.text, 0) + 1
        if i not in pairs:
            if not tag.held or tag.name in _NAMED:
                found.append(Removal("tag", tag.name, **where))
            elif tag.held == "foreign":
                found += [
                    _attribute_removal(tag.name, name, value, **where)
                    for name, value in tag.attrs.items()
                    if name.startswith("on")
                ]
            continue
        kept = new[pairs[i]].attrs
        for name, value in tag.attrs.items():
            if name not in kept or kept[name] != value:
                found.append(_attribute_removal(tag.name, name, value, **where))
    return found


def _attribute_removal(tag: str, name: str, value: str, **where: Any) -> Removal:
    if name == REFUSED_MARKER:
        return Removal("attr_list", tag, value, **where)
    if name in URL_ATTRIBUTES or name == "srcset":
        return Removal("url", tag, name, value, **where)
    return Removal("attribute", tag, name, value, **where)


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


def _attribute_offset(start: str, name: str) -> int:
    """Where attribute `name` is written in a start tag (0: not found, the tag's start)."""
    found = re.search(r"[\s/\"'](" + re.escape(name) + r")(?=[\s/>=]|$)", start, re.IGNORECASE)
    return found.start(1) if found else 0


def locate(
    removals: Sequence[Removal],
    lines: Sequence[str],
    first: int,
    last: int,
    skip: set[int] = frozenset(),
) -> list[Finding]:
    """Each removal at the line of lines[first-1:last] (1-based, inclusive) that holds
    it; `first` when not found. Lines in `skip` (code blocks) and inline code are not
    markup.

    Markdown passes raw HTML through as written (tabs expanded), so a removal from a tag
    written in the source is placed where that start tag is written: the n-th identical
    start tag of the HTML at its n-th occurrence outside code, an attribute at its own
    line of the tag. A tag Markdown makes (a link, an image, an attribute list), or one
    written fewer times than the HTML holds it, is looked for by what it holds (its URL,
    `{: key }`): the n-th removal found by one pattern at that pattern's n-th line, in
    what the tags placed so far leave.
    """
    last = min(last, len(lines))
    numbers = range(first, last + 1)
    shown = ["" if number in skip else lines[number - 1].expandtabs(4) for number in numbers]
    offsets = list(accumulate((len(line) + 1 for line in shown), initial=0))
    source = "\n".join(shown)
    code = [
        (offsets[index] + low, offsets[index] + high)
        for index, line in enumerate(shown)
        for low, high in inline_code_spans(line)
    ]

    def line_of(position: int) -> int:
        return first + bisect_right(offsets, position) - 1

    placed: dict[int, int] = {}
    claimed: list[tuple[int, int]] = []
    for index, removal in enumerate(removals):
        if not removal.start:
            continue
        hits, at = [], source.find(removal.start)
        while at >= 0:
            if not any(low <= at < high for low, high in code):
                hits.append(at)
            at = source.find(removal.start, at + 1)
        # Fewer in the source than in the HTML: Markdown made some of them (a link
        # written [x](javascript:…) next to <a href="javascript:…">), which are they?
        if len(hits) >= removal.copies:
            at = hits[removal.occurrence]
            claimed.append((at, at + len(removal.start)))
            if removal.kind != "tag" and removal.kind != "attr_list":
                at += _attribute_offset(removal.start, removal.name)
            placed[index] = line_of(at)

    if len(placed) < len(removals):
        rest = list(source)
        for low, high in claimed:  # a tag already placed holds nothing else
            rest[low:high] = (" " if char != "\n" else char for char in rest[low:high])
        searched = [
            (first + index, _searchable(without_inline_code(line)))
            for index, line in enumerate("".join(rest).split("\n"))
            if first + index not in skip
        ]
        used: dict[str, int] = {}
        for index, removal in enumerate(removals):
            if index in placed:
                continue
            placed[index] = first
            for pattern in _patterns(removal):
                hits = [number for number, text in searched if pattern.search(text)]
                if hits:
                    placed[index] = hits[min(used.get(pattern.pattern, 0), len(hits) - 1)]
                    used[pattern.pattern] = used.get(pattern.pattern, 0) + 1
                    break

    findings: list[Finding] = []
    for index, removal in enumerate(removals):
        finding = Finding(placed[index], removal.message, removal.hint)
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

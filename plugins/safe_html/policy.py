"""What published HTML may hold: one allowlist, applied by nh3 (ammonia, in Rust).

Everything a news story needs (paragraphs, headings, lists, links, photos,
figures, tables, quotes, code, abbreviations) is kept; everything that can run
code, load another page or restyle the site (script, style, forms, SVG, MathML,
object/embed, meta/base/link, `on…` and `style` attributes) is removed. URLs are
judged after entity and white-space decoding (html5ever decodes, then
`url_verdict` strips what browsers strip). Clean input passes unchanged: no
`rel` is added to links.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

import nh3

# Tags kept with their content.
TAGS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "a",
        "img",
        "figure",
        "figcaption",
        "picture",
        "source",
        "table",
        "caption",
        "colgroup",
        "col",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "blockquote",
        "q",
        "cite",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "s",
        "del",
        "ins",
        "mark",
        "small",
        "sub",
        "sup",
        "code",
        "pre",
        "kbd",
        "samp",
        "var",
        "abbr",
        "dfn",
        "time",
        "br",
        "hr",
        "wbr",
        "span",
        "div",
        "section",
        "aside",
        "details",
        "summary",
    }
)
# Tags removed with everything inside them (their text is code, not prose).
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
GENERIC_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang", "rel"}),
    "img": frozenset({"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding"}),
    "source": frozenset({"srcset", "sizes", "media", "type", "width", "height"}),
    "iframe": frozenset(
        {
            "src",
            "width",
            "height",
            "allow",
            "allowfullscreen",
            "loading",
            "referrerpolicy",
            "frameborder",
        }
    ),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
}
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Pelican's intrasite link forms, resolved when the page is written.
PELICAN_LINK = re.compile(r"^\{(static|filename|attach|tag|category|author|index)\}")
# What the URL parser drops before reading a scheme: leading/trailing C0 controls
# and spaces, and every tab or newline inside.
_EDGES = "".join(chr(code) for code in range(0x21))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([^/?#]*?):")


def url_verdict(value: str, *, https_hosts: Collection[str] | None = None) -> str | None:
    """Why `value` (entities already decoded) may not be a link or a source, or None.

    Allowed: http(s), mailto, tel, site-relative and relative paths, fragments, and
    Pelican's `{static}`/`{filename}`/… forms. Anything with another scheme, or a
    character before the first `/?#` that makes a scheme ambiguous, is refused.
    With `https_hosts` (iframes), only `https://HOST/…` with HOST in the set passes.
    """
    url = _TAB_NEWLINE.sub("", value.strip(_EDGES))
    if https_hosts is not None:
        match = re.match(r"^https://([^/?#:@\\]+)(?:[/?#]|$)", url, re.IGNORECASE)
        if not match or match.group(1).lower() not in {host.lower() for host in https_hosts}:
            return "iframe"
        return None
    if PELICAN_LINK.match(url):
        return None
    scheme = _SCHEME.match(url)
    if scheme is None:
        return None
    name = scheme.group(1).lower()
    if name in URL_SCHEMES and name.isascii():
        return None
    return name or ":"


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset (`a.jpg 480w, b.jpg 800w`)."""
    # Split on every comma: a URL holding one is judged in pieces, each of which
    # must pass on its own (stricter, never looser).
    return [part.split()[0] for part in value.split(",") if part.strip()]


class Policy:
    """The site's sanitizer: `clean(html)` returns HTML holding nothing active."""

    def __init__(self, iframe_hosts: Collection[str] = ()) -> None:
        self.iframe_hosts = frozenset(host.lower() for host in iframe_hosts)
        attributes = {tag: set(names) for tag, names in ATTRIBUTES.items()}
        attributes["*"] = set(GENERIC_ATTRIBUTES)
        self._cleaner = nh3.Cleaner(
            # An iframe is kept only when some host is trusted (its src is then judged).
            tags=set(TAGS) | ({"iframe"} if self.iframe_hosts else set()),
            clean_content_tags=set(DROPPED_WITH_CONTENT),
            attributes=attributes,
            attribute_filter=self._filter,
            strip_comments=True,
            link_rel=None,
            url_schemes=set(URL_SCHEMES),
        )

    def _filter(self, tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src":
            return None if url_verdict(value, https_hosts=self.iframe_hosts) else value
        if attribute in URL_ATTRIBUTES:
            return None if url_verdict(value) else value
        if attribute == "srcset":
            return None if any(url_verdict(url) for url in srcset_urls(value)) else value
        return value

    def clean(self, html: str) -> str:
        return self._cleaner.clean(html) if html else html


@lru_cache(maxsize=8)
def policy_for(iframe_hosts: tuple[str, ...] = ()) -> Policy:
    """One Policy per set of trusted iframe hosts (building a cleaner costs more than using it)."""
    return Policy(iframe_hosts)

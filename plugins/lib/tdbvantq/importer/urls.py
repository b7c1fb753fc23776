"""Canonical form of source URLs, so one story is one file whatever link led to it."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "zarsrc",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "ref",
    "ref_src",
    "itm_source",
    "itm_medium",
    "itm_campaign",
    "vn_source",
    "vn_medium",
    "vn_campaign",
    "vn_term",
    "gidzl",
}


@lru_cache(maxsize=4096)  # a page asks for its own address's once per photo
def canonical_url(url: str) -> str:
    """https, lowercase host without "www.", no fragment, no tracking parameters, no trailing /."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "http":
        scheme = "https"
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING
    ]
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def join_url(base: str | None, link: str) -> str:
    """`link` resolved against `base`; "" for an address that cannot be read ("http://[x]/")."""
    try:
        return urljoin(base or "", link)
    except ValueError:
        return ""


# What browsers drop from a URL before reading its scheme ("java\tscript:" is "javascript:"),
# and the characters that have no place in an address written into Markdown or a header.
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
_NOT_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f<>\"'`\\{}|^]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_ENTITY = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;)")
LINK_SCHEMES = ("http", "https", "mailto", "tel")


def _scheme(url: str) -> str | None:
    match = _SCHEME.match(url)
    return match[1].lower() if match else None


def web_url(value: str | None) -> str | None:
    """`value` when it is an absolute http(s) address with a host, else None.

    The only addresses the importer writes as `Source:` or downloads as photos: a page's
    canonical link or og:url may be `javascript:…`, `data:…` or anything else."""
    if not value:
        return None
    url = _IGNORED_IN_URL.sub("", value.strip())
    if _NOT_IN_URL.search(url) or _scheme(url) not in ("http", "https"):
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return url if host else None


def link_href(value: str | None) -> str | None:
    """A body link's address as Markdown may carry it: http(s), mailto, tel or relative,
    with every character that could end the address or start markup percent-encoded;
    None for any other scheme (the link becomes plain text).

    The scheme is read as a browser would read it, as written and with entities decoded
    (Markdown keeps "&#106;" as an entity in the attribute), tabs and newlines dropped."""
    if not value:
        return None
    url = _IGNORED_IN_URL.sub("", value).strip()
    if not url:
        return None
    for form in (url, _IGNORED_IN_URL.sub("", html.unescape(url)).strip()):
        scheme = _scheme(form)
        if scheme is None and ":" in re.split(r"[/?#]", form, maxsplit=1)[0]:
            return None  # not a scheme this function knows, yet a browser may read one
        if scheme is not None and scheme not in LINK_SCHEMES:
            return None
    url = _ENTITY.sub(r"%26\1", url)  # an entity left in the address would be decoded in the page
    return quote(url, safe="/:?#[]@!$&*+,;=%-._~")


# An address whose host urlsplit reads as written: http(s) or protocol-relative, the host of
# letters, digits, dots and hyphens only (no user, port or brackets), and no tab or newline
# (which urlsplit drops). A page holds hundreds of links, and urlsplit is slow.
_PLAIN_HOST = re.compile(r"(?:https?:)?//([A-Za-z0-9.-]+)(?=[/?#]|\Z)")


def plain_address(href: str) -> re.Match | None:
    """A match whose group 1 is the address's netloc as urlsplit reads it (lowercase it for
    its hostname) and which ends where urlsplit's path, query and fragment begin; None when
    the address has another shape (then ask urlsplit)."""
    if "\t" in href or "\r" in href or "\n" in href:
        return None
    return _PLAIN_HOST.match(href)

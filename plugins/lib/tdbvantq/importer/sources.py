"""What a SOURCE argument is: an article URL, a saved page, a text copy, a feed or a sitemap."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from tdbvantq.importer.fetch import MAX_BYTES

_ATOM = "{http://www.w3.org/2005/Atom}"
_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEED_LIMIT = 500  # articles taken from one feed or sitemap unless --limit says otherwise


class SourceError(ValueError):
    """A SOURCE that cannot be read; the message names it."""


@dataclass
class Loaded:
    kind: str  # "html", "text", "feed"
    text: str = ""
    links: list[str] | None = None  # feed/sitemap entries
    sitemap_index: bool = False
    data: bytes = b""  # the file's bytes, for a saved page


def is_url(source: str) -> bool:
    return source[:8].lower().startswith(("http://", "https://"))


def looks_like_feed(head: bytes | str) -> bool:
    if isinstance(head, str):
        head = head[:2048].encode("utf-8", "ignore")
    head = head[:2048].lstrip().lower()
    return any(
        tag in head for tag in (b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf:rdf")
    ) and (
        head.startswith(b"<?xml")
        or head.startswith((b"<rss", b"<feed", b"<urlset", b"<sitemapindex"))
    )


def parse_feed(data: bytes, source: str) -> tuple[list[str], bool]:
    """(every article link, is a sitemap index) of an RSS/Atom feed or a sitemap."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise SourceError(
            f"{source}: không đọc được nguồn tin (RSS/Atom) hay sitemap ({error})"
        ) from None
    if root is None:
        raise SourceError(f"{source}: không đọc được nguồn tin (RSS/Atom) hay sitemap")
    tag = etree.QName(root).localname.lower()
    links: list[str] = []
    index = False
    if tag in ("rss", "rdf"):
        for item in root.iter("item", "{http://purl.org/rss/1.0/}item"):
            link = item.findtext("link") or item.findtext("{http://purl.org/rss/1.0/}link") or ""
            if not link.strip():
                guid = item.find("guid")
                if guid is not None and (guid.text or "").startswith("http"):
                    link = guid.text
            links.append(link.strip())
    elif tag == "feed":
        for entry in root.iter(f"{_ATOM}entry"):
            chosen = ""
            for link in entry.iter(f"{_ATOM}link"):
                if link.get("rel", "alternate") == "alternate" and link.get("href"):
                    chosen = link.get("href")
                    break
            links.append(chosen.strip())
    elif tag in ("urlset", "sitemapindex"):
        index = tag == "sitemapindex"
        for loc in root.iter(f"{_SITEMAP}loc", "loc"):
            links.append((loc.text or "").strip())
    else:
        raise SourceError(f"{source}: tệp XML nhưng không phải RSS, Atom hay sitemap (<{tag}>)")
    links = [link for link in links if link.startswith(("http://", "https://"))]
    if not links:
        raise SourceError(f"{source}: nguồn tin không có liên kết bài nào")
    return list(dict.fromkeys(links)), index


def too_many_items(source: str, total: int, limit: int) -> str:
    """The message for a feed or sitemap holding more articles than the importer takes."""
    return (
        f"{source}: nguồn tin có {total} bài, chỉ nhập {limit} bài đầu, bỏ qua {total - limit} bài"
        f" — thêm --limit {total} để nhập hết"
    )


def _bytes(count: int) -> str:
    """26000000 -> "26.000.000", as Vietnamese writes numbers."""
    return f"{count:,}".replace(",", ".")


def load_file(path_text: str, max_bytes: int = MAX_BYTES) -> Loaded:
    path = Path(path_text)
    if not path.exists():
        scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", path_text)
        if scheme:  # ftp://…, file://…: an address, not a file name
            raise SourceError(
                f"{path_text}: chỉ nhập được địa chỉ http:// hoặc https://,"
                f" không nhận {scheme[1]}://"
            )
        raise SourceError(f"{path_text}: không tìm thấy tệp — kiểm tra lại đường dẫn")
    if path.is_dir():
        raise SourceError(
            f"{path_text}: là thư mục, không phải trang, bản sao văn bản hay nguồn tin"
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(
                f"{path_text}: tệp lớn {_bytes(size)} byte, quá giới hạn {_bytes(max_bytes)} byte"
                " — đây không giống một trang bài báo hay nguồn tin"
            )
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"{path_text}: không đọc được tệp ({error.strerror})") from None
    suffix = path.suffix.lower()
    if suffix == ".txt":
        try:
            return Loaded("text", data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise SourceError(
                f"{path_text}: không phải văn bản UTF-8 — hãy lưu lại tệp với bảng mã UTF-8"
            ) from None
    if suffix in (".xml", ".rss", ".atom") or looks_like_feed(data):
        links, index = parse_feed(data, path_text)
        return Loaded("feed", links=links, sitemap_index=index)
    # A saved page may start with a byte-order mark before its first tag.
    if suffix in (".html", ".htm", ".xhtml", ".jsp", ".php", "") or (
        data.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"
    ):
        return Loaded("html", data=data)
    raise SourceError(f"{path_text}: không phải trang .html, bản sao .txt hay nguồn tin/sitemap")

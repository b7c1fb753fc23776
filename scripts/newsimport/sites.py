"""Per-site rules, read from one data file editors extend without Python: content/data/sites.toml.

    [sites."vnexpress.net"]
    name = "VnExpress"                      # the source's name (Source_Name)
    body = ["article.fck_detail"]           # the article body: extraction keeps to it
    drop = ["div.box_tinlienquan"]          # removed from the page before extraction
    title = ["h1.title-detail"]             # the printed headline
    sapo = ["p.description"]                # the lede (Summary)
    authors = ["p.author_mail strong"]      # each match is one byline
    byline = "end"                          # where the byline is printed: "end", "top" or "markup"

Every key is optional; selectors are CSS. A host matches its subdomains too (www., m.).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cssselect import SelectorError
from lxml.cssselect import CSSSelector

PROJECT_SITES = Path(__file__).resolve().parents[2] / "content" / "data" / "sites.toml"
_SELECTOR_KEYS = ("body", "drop", "title", "sapo", "authors")
_BYLINE_PLACES = ("end", "top", "markup")


class SiteRulesError(ValueError):
    """sites.toml cannot be used; the message names the file and what to fix."""


@dataclass(frozen=True)
class SiteRule:
    host: str
    name: str | None = None
    body: tuple[CSSSelector, ...] = ()
    drop: tuple[CSSSelector, ...] = ()
    title: tuple[CSSSelector, ...] = ()
    sapo: tuple[CSSSelector, ...] = ()
    authors: tuple[CSSSelector, ...] = ()
    byline: str | None = None

    def first(self, kind: str, tree) -> list:
        """The elements of the first selector of `kind` that matches anything."""
        for selector in getattr(self, kind):
            found = selector(tree)
            if found:
                return found
        return []


@dataclass
class SiteRules:
    sites: dict[str, SiteRule] = field(default_factory=dict)

    def for_host(self, host: str) -> SiteRule | None:
        host = host.lower().removeprefix("www.")
        while host:
            if host in self.sites:
                return self.sites[host]
            host = host.partition(".")[2] if host.count(".") > 1 else ""
        return None


def _selectors(path: Path, host: str, key: str, value) -> tuple[CSSSelector, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise SiteRulesError(f"{path}: [sites.\"{host}\"] {key}: cần một danh sách bộ chọn CSS")
    compiled = []
    for selector in values:
        try:
            compiled.append(CSSSelector(selector))
        except SelectorError as error:
            raise SiteRulesError(
                f"{path}: [sites.\"{host}\"] {key}: bộ chọn CSS không hợp lệ {selector!r} ({error})"
            ) from None
    return tuple(compiled)


def parse_site_rules(text: str, path: Path) -> SiteRules:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SiteRulesError(f"{path}: không đọc được TOML: {error}") from None
    sites = data.get("sites", {})
    if not isinstance(sites, dict):
        raise SiteRulesError(f"{path}: 'sites' phải là bảng [sites.\"tên-miền\"]")
    rules = SiteRules()
    for host, entry in sites.items():
        if not isinstance(entry, dict):
            raise SiteRulesError(f"{path}: [sites.\"{host}\"] phải là một bảng")
        unknown = set(entry) - {*_SELECTOR_KEYS, "name", "byline"}
        if unknown:
            raise SiteRulesError(f"{path}: [sites.\"{host}\"] khóa không biết: {', '.join(sorted(unknown))}")
        byline = entry.get("byline")
        if byline is not None and byline not in _BYLINE_PLACES:
            raise SiteRulesError(
                f"{path}: [sites.\"{host}\"] byline = {byline!r}: chỉ nhận {', '.join(_BYLINE_PLACES)}"
            )
        selectors = {key: _selectors(path, host, key, entry[key]) for key in _SELECTOR_KEYS if key in entry}
        key = host.lower().removeprefix("www.")
        rules.sites[key] = SiteRule(host=key, name=entry.get("name"), byline=byline, **selectors)
    return rules


@lru_cache(maxsize=8)
def _load_cached(path: Path, mtime: float) -> SiteRules:
    return parse_site_rules(path.read_text(encoding="utf-8"), path)


def load_site_rules(path: Path | None = None) -> SiteRules:
    """The rules of `path` (default: the project's content/data/sites.toml); none if absent."""
    path = path or PROJECT_SITES
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return SiteRules()
    try:
        return _load_cached(path, mtime)
    except (OSError, UnicodeDecodeError) as error:
        raise SiteRulesError(f"{path}: không đọc được tệp ({error})") from None

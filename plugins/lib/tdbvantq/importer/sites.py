"""Per-site rules, read from one data file editors extend without Python: the content
folder's data/sites.toml (content/data/sites.toml for the project; `site_rules_file`).

    [sites."vnexpress.net"]
    name = "VnExpress"                      # the source's name (Source_Name)
    body = ["article.fck_detail"]           # the article body: extraction keeps to it
    drop = ["div.box_tinlienquan"]          # removed from the page before extraction
    title = ["h1.title-detail"]             # the printed headline
    sapo = ["p.description"]                # the lede (Summary)
    authors = ["p.author_mail strong"]      # each match is one byline
    byline = "end"                          # where the byline is printed: "end", "top" or "markup"

Every key is optional; selectors are CSS. A host matches its subdomains too (www., m.).
A mistake is a SiteRulesError whose message names the file and the line to fix.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cssselect import SelectorError
from lxml.cssselect import CSSSelector

PROJECT_SITES = Path(__file__).resolve().parents[4] / "content" / "data" / "sites.toml"
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


def _line_of(text: str, host: str, key: str | None = None) -> int:
    """The line of `text` where `[sites."host"]` (and its `key`, when given) is written: the
    place an editor must fix. 1 when it cannot be found (a table written inline)."""
    lines = text.splitlines()
    header = re.compile(r"^\s*\[\s*sites\s*\.\s*([\"']?)" + re.escape(host) + r"\1\s*\]")
    start = next((n for n, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        return next((n + 1 for n, line in enumerate(lines) if host in line), 1)
    if key is not None:
        assignment = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for n in range(start + 1, len(lines)):
            if lines[n].lstrip().startswith("["):
                break
            if assignment.match(lines[n]):
                return n + 1
    return start + 1


def _selectors(where: str, key: str, value) -> tuple[CSSSelector, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise SiteRulesError(f"{where} {key}: cần một danh sách bộ chọn CSS")
    compiled = []
    for selector in values:
        try:
            compiled.append(CSSSelector(selector))
        except SelectorError as error:
            raise SiteRulesError(
                f"{where} {key}: bộ chọn CSS không hợp lệ {selector!r} ({error})"
            ) from None
    return tuple(compiled)


def _toml(text: str, path: Path) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib (Python 3.11) gives the place only inside its message: "(at line 4, column 5)".
        place = re.search(r"\s*\(at line (\d+), column (\d+)\)", str(error))
        line, reason = (
            (place[1], str(error).replace(place[0], f" (cột {place[2]})"))
            if place
            else ("1", str(error))
        )
        raise SiteRulesError(f"{path}:{line}: không đọc được TOML: {reason}") from None


def _site_rule(text: str, path: Path, host: str, entry) -> SiteRule:
    def where(key: str | None = None) -> str:
        return f'{path}:{_line_of(text, host, key)}: [sites."{host}"]'

    if not isinstance(entry, dict):
        raise SiteRulesError(f"{where()} phải là một bảng")
    unknown = sorted(set(entry) - {*_SELECTOR_KEYS, "name", "byline"})
    if unknown:
        raise SiteRulesError(f"{where(unknown[0])} khóa không biết: {', '.join(unknown)}")
    name, byline = entry.get("name"), entry.get("byline")
    if name is not None and not isinstance(name, str):
        raise SiteRulesError(f"{where('name')} name: cần một chuỗi (tên nguồn tin)")
    if byline is not None and byline not in _BYLINE_PLACES:
        raise SiteRulesError(
            f"{where('byline')} byline = {byline!r}: chỉ nhận {', '.join(_BYLINE_PLACES)}"
        )
    selectors = {
        key: _selectors(where(key), key, entry[key]) for key in _SELECTOR_KEYS if key in entry
    }
    key = host.lower().removeprefix("www.")
    return SiteRule(host=key, name=name, byline=byline, **selectors)


def parse_site_rules(text: str, path: Path) -> SiteRules:
    """The rules written in `text` (the file `path`); SiteRulesError names the file, the line
    and what to fix."""
    sites = _toml(text, path).get("sites", {})
    if not isinstance(sites, dict):
        line = next(
            (n + 1 for n, row in enumerate(text.splitlines()) if row.lstrip().startswith("sites")),
            1,
        )
        raise SiteRulesError(f"{path}:{line}: 'sites' phải là bảng [sites.\"tên-miền\"]")
    rules = SiteRules()
    for host, entry in sites.items():
        rule = _site_rule(text, path, host, entry)
        rules.sites[rule.host] = rule
    return rules


@lru_cache(maxsize=8)
def _load_cached(path: Path, mtime: float) -> SiteRules:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SiteRulesError(
            f"{path}:{line}: tệp không phải văn bản UTF-8 (byte {error.start})"
        ) from None
    return parse_site_rules(text, path)


def site_rules_file(content_dir: Path) -> Path:
    """Where a content folder keeps its per-site rules: DIR/data/sites.toml."""
    return Path(content_dir) / "data" / "sites.toml"


def load_site_rules(path: Path | None = None) -> SiteRules:
    """The rules of `path` (default: the project's content/data/sites.toml); no rules when
    the file does not exist. SiteRulesError names the file and the line to fix."""
    path = path or PROJECT_SITES
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return SiteRules()
    except OSError as error:
        raise SiteRulesError(f"{path}: không đọc được tệp ({error.strerror or error})") from None
    if path.is_dir():
        raise SiteRulesError(f"{path}: là một thư mục, không phải tệp sites.toml")
    try:
        return _load_cached(path, mtime)
    except OSError as error:
        raise SiteRulesError(f"{path}: không đọc được tệp ({error.strerror or error})") from None

"""What a parsed page (`page_parse.Page`) says about its story besides the body: title,
sapo (lede), date, site and source names. Authors are `newsimport.bylines`'s job.

Each function reads the page value and returns a value; nothing here changes the page.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tdbvantq.importer import pagekind, press
from tdbvantq.importer.classwords import CaseBlind
from tdbvantq.importer.markdown import collapse
from tdbvantq.importer.page_parse import Page, text_of
from tdbvantq.importer.published import Published, page_published
from tdbvantq.importer.textkey import fold
from tdbvantq.text import normalize

_SAPO_CLASS = CaseBlind(r"sapo|chapeau|desc|summary|excerpt|\blead\b|article__lead|intro")
# Descriptions that are not the story's lede: author bios, the site's tagline, widgets.
_NOT_SAPO_CLASS = CaseBlind(
    r"author|\bbio|site-desc|tagline|widget|sidebar|footer|comment|relat|teaser|cookie|consent"
)
_TEASER_LEVELS = 3  # a teaser's excerpt sits this close to the teaser's headline link
_HEADLINE_PLACE = CaseBlind(r"title|headline|article|post|entry|detail|story|content|main")
CHROME_TAGS = {"header", "footer", "nav", "aside"}
# A sapo is text: an element holding a video, a sound or a caption is a media box (BBC's
# `lead-video-placeholder`), whose caption is no lede.
_MEDIA_TAGS = ("figure", "figcaption", "video", "audio", "iframe", "embed", "object")
# A web address in a name ("VnExpress.net", "dantri.com.vn"); initials ("T. V. Raman") are not.
_ADDRESS = re.compile(r"\w\.[a-z]{2,}\b", re.IGNORECASE)


def _names_the_site(heading) -> bool:
    """A heading linked to the site's home page is the site's name (a blog's <h1>)."""
    return any(
        urlsplit((link.get("href") or "").strip()).path in ("", "/")
        and (link.get("href") or "").strip() not in ("", "#")
        for link in heading.iter("a")
    )


def _speaks_of(description: str, story: str) -> bool:
    """Whether most words of a description occur in the story (a site's tagline does not)."""
    words = {w for w in re.findall(r"\w+", fold(description)) if len(w) >= 3}
    if not words:
        return False
    story_words = set(re.findall(r"\w+", fold(story)))
    return len(words & story_words) >= 0.4 * len(words)


def title(page: Page) -> str:
    """The printed headline: the site's title element, else the article's h1 (even when
    og:title words it differently), else og:title, JSON-LD or <title>."""
    if page.rule:
        printed = [text_of(e) for e in page.rule.first("title", page.tree)]
        if printed and printed[0]:
            return printed[0]
    heading = _printed_headline(page)
    if heading:
        return heading
    if page.meta.get("og:title"):
        return normalize(collapse(page.meta["og:title"]))
    headline = page.article_ld.get("headline")
    text = text_of(next(page.tree.iter("title"), None))
    if isinstance(headline, str) and headline.strip() and _agrees(headline, text):
        return normalize(collapse(headline))
    return re.split(r"\s+[|–-]\s+", text)[0] if text else ""


def _agrees(headline: str, title: str) -> bool:
    """Whether a JSON-LD headline is the page's: half its words are in the <title> (a page
    without one agrees). Wikipedia's JSON-LD "headline" is the subject's description
    ("constitutional monarchy in Oceania" on "New Zealand - Wikipedia")."""
    words = fold(headline).split()
    titled = set(fold(title).split())
    return not titled or sum(w in titled for w in words) >= 0.5 * len(words)


def _printed_headline(page: Page) -> str | None:
    reference = set(
        fold(page.meta.get("og:title") or text_of(next(page.tree.iter("title"), None))).split()
    )
    publishers = {fold(n) for n in site_names(page)}
    candidates = []
    for h1 in page.tree.iter("h1"):
        text = text_of(h1)
        if not 3 <= len(text.split()) <= 40 or fold(text) in publishers:
            continue
        if any(a.tag in CHROME_TAGS for a in h1.iterancestors()) or _names_the_site(h1):
            continue
        words = fold(text).split()
        overlap = sum(w in reference for w in words) / len(words)
        placed = any(
            _HEADLINE_PLACE.search(
                " ".join((e.get("class") or "", e.get("itemprop") or "", e.get("id") or ""))
            )
            for e in (h1, *h1.iterancestors())
        )
        candidates.append((overlap, placed, text))
    if not candidates:
        return None
    overlap, placed, text = max(candidates, key=lambda c: c[0])
    if overlap >= 0.5 or not reference or (len(candidates) == 1 and (placed or overlap >= 0.3)):
        return text
    return None


def summary(page: Page, body_text: str = "") -> str:
    """The sapo (lede) element's text, else the page's description when it speaks of
    the story (not the site's tagline); never a notice (paywall, app banner)."""
    if page.rule:
        for element in page.rule.first("sapo", page.tree):
            text = text_of(element)
            if text and not press.is_notice(text):
                return text
    for element in page.tree.iter("p", "div", "h2", "span", "strong"):
        if (
            _SAPO_CLASS.search(element.get("class") or "")
            and not any(
                a.tag in ("figure", "table", "figcaption", *CHROME_TAGS)
                or _NOT_SAPO_CLASS.search(a.get("class") or "")
                for a in (element, *element.iterancestors())
            )
            and next(element.iter(*_MEDIA_TAGS), None) is None
            and not _teaser_excerpt(page, element)
            and not _after_story(page, element, body_text)
        ):
            text = text_of(element)
            if len(text) >= 40 and not press.is_notice(text):
                return text
    descriptions = [page.meta.get("og:description", ""), page.meta.get("description", "")]
    if isinstance(page.article_ld.get("description"), str):
        descriptions.append(page.article_ld["description"])
    for text in descriptions:
        text = normalize(collapse(text))
        if text and not press.is_notice(text) and (not body_text or _speaks_of(text, body_text)):
            return text
    return ""


_STORY_LINE_WORDS = 8  # a line of the story this long is found on the page by its opening
_OPENING_CHARS = 60


def _after_story(page: Page, element, story: str) -> bool:
    """Whether a description-classed element is printed after the story's last paragraph:
    a sapo opens the story, so one printed after it is another item's (a timeline or
    "latest news" box beside the story: aktualne.cz's `swift-box__desc`)."""
    last = next(
        (line for line in reversed(story.splitlines()) if len(line.split()) >= _STORY_LINE_WORDS),
        None,
    )
    if last is None:
        return False
    opening = fold(collapse(last))[:_OPENING_CHARS]
    for seen in page.tree.iter("p", element.tag):
        if seen is element:
            return False
        if seen.tag == "p" and fold(collapse(seen.text_content())).startswith(opening):
            return True
    return False


def _teaser_excerpt(page: Page, element) -> bool:
    """Whether a description-classed element is another story's teaser excerpt (a "more
    news" list, the next story's box): inside a box of links to the site's pages, or in a
    teaser-sized box (up to three levels up) with a headline link to another of its pages."""
    if page.in_clutter_box(element):
        return True
    own = {urlsplit(u).path.rstrip("/") for u in (page.canonical, page.base) if u}
    box = element
    for _ in range(_TEASER_LEVELS):
        if len(box.text_content()) > pagekind.TEASER_CHARS:
            return False
        for link in box.iter("a"):
            href = (link.get("href") or "").strip()
            if (
                len(link.text_content().split()) >= pagekind.HEADLINE_WORDS
                and href
                and not href.startswith(("#", "javascript:"))
                and urlsplit(href).path.rstrip("/") not in own
                and pagekind.same_site(href, page.hosts)
            ):
                return True
        box = box.getparent()
        if box is None:
            return False
    return False


def dateline_lede(blocks: list) -> tuple[str, str | None, str | None]:
    """The lede of a page that prints no sapo element: its first paragraph, when that opens
    with the paper's dateline ("TT - Trao đổi với…", "TTO - …"), the sapo's own mark in
    Vietnamese papers. (lede without the dateline, abbreviation, source name), else ("",
    None, None). The body's copy of it is then dropped as a repeat of the summary."""
    # Photos and headings (the headline printed again) may come before it.
    first = next((b for b in blocks if b.kind not in ("figure", "h2", "h3", "h4")), None)
    if first is None or first.kind != "p":
        return "", None, None
    lede, abbr, name = press.split_dateline(first.plain)
    return (lede, abbr, name) if abbr else ("", None, None)


def date(page: Page) -> Published | None:
    return page_published(page, page.document)


def site_names(page: Page) -> list[str]:
    """The publisher's names the page states (og:site_name, JSON-LD publisher)."""
    names = [page.meta.get("og:site_name", "")]
    publisher = page.article_ld.get("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        names.append(publisher["name"])
    return [normalize(collapse(n)) for n in names if n]


def source_name(page: Page, dateline_name: str | None) -> str | None:
    if page.rule and page.rule.name:
        return page.rule.name
    if dateline_name:
        return dateline_name
    names = site_names(page)
    return names[0] if names else (page.host() or None)


def is_site_banner(page: Page, text: str) -> bool:
    """A line that is only the site's name or address ("VnExpress", "Báo Tuổi Trẻ")."""
    folded = fold(text).strip(" .|-–")
    names = {fold(n) for n in site_names(page)} | {fold(page.host())}
    if page.rule and page.rule.name:
        names.add(fold(page.rule.name))
    return bool(folded) and len(folded.split()) <= 6 and folded in names - {""}


def is_publisher(page: Page, name: str) -> bool:
    """Whether `name` names the publisher (its site name, rule name or host) or an address."""
    folded = fold(name)
    publishers = [fold(n) for n in site_names(page)]
    publishers += [fold(page.rule.name or "") if page.rule else ""]
    # The host counts as a whole name ("VnExpress" on vnexpress.net), not as letters a
    # person's name may share with it (Heiko on heiko-adams.de).
    host = fold(page.host()).rpartition(".")[0] or fold(page.host())
    named_host = bool(host) and "".join(folded.split()) in (host, host.replace("-", ""))
    return (
        named_host
        or any(folded and p and (folded in p or p in folded) for p in publishers)
        or bool(_ADDRESS.search(name))
    )

"""When a story was published, as the page says it: its own UTC offset, to the minute.

The day comes from htmldate's extensive search for the original publication date: it
reads metadata, JSON-LD, URLs and the text in many languages, and tells published from
updated dates. The page's own sources then give that day its time and offset: metadata
made for it (article:published_time, JSON-LD datePublished, a Vietnamese press URL's
timestamp) first, then looser hints (<time>, "date" metas, the printed dateline
"Thứ Năm, 03/08/2023 08:57"). A UTC timestamp is shown in the offset in which the page
prints the same moment. When htmldate finds nothing, the page's own sources decide.
A stated publication time is trusted without htmldate's search unless the dateline printed
under the headline shows another day, or the page's address carries a day more than a
month before it (a re-published story keeps the address of its first publication);
htmldate then decides.

The result keeps the page's offset (the theme shows Vietnam time): a date-time written
without an offset is Vietnam time (the press's convention), and a page that gives only
a day yields a `date`, not a midnight.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from urllib.parse import urlsplit

import htmldate
from htmldate import extractors as htmldate_extractors
from htmldate.extractors import COMPLETE_URL, try_date_expr
from lxml.html import HtmlElement

from tdbvantq.importer.classwords import CaseBlind
from tdbvantq.importer.date_locales import AllLocalesParser
from tdbvantq.text.dates import VIETNAM, parse_vietnamese_datetime

Published = datetime | date

_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "article_date_original",
    "parsely-pub-date",
    "sailthru.date",
)
_LOOSE_META = ("dc.date", "date")
_DATE_CLASS = CaseBlind(r"date|time|publish")
_URL_DATE = re.compile(r"(20\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\d{0,4}\.html?$")
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\s?\d{2}(?::?\d{2})?)?\s*$"
)
_OFFSET = re.compile(
    r"(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?|([+-]\d{2}):?(\d{2})\s*$", re.IGNORECASE
)
_CLOCK = re.compile(r"\d{1,2}\s*(?::|h|giờ)\s*\d{2}", re.IGNORECASE)
_HTMLDATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_DATEPARSER_SETTINGS = {  # htmldate's own (htmldate.extractors.get_external_parser)
    "NORMALIZE": True,
    "PARSERS": ["custom-formats", "absolute-time"],
    "PREFER_DATES_FROM": "past",
    "PREFER_LOCALE_DATE_ORDER": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}
_AFTER_HEADLINE = (
    "following::text()[normalize-space()]"
    "[not(ancestor::script or ancestor::style or ancestor::noscript)][position() <= 40]"
)
_EARLIEST = datetime(1995, 1, 1)
_REPUBLISHED = timedelta(days=30)  # an address's day this far before the stated time


def _zone(sign: str, hours: str, minutes: str | None) -> timezone:
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return timezone(-delta if sign == "-" else delta)


def _from_iso(found: re.Match) -> Published | None:
    year, month, day = int(found[1]), int(found[2]), int(found[3])
    try:
        if found[4] is None:
            return date(year, month, day)
        moment = datetime(year, month, day, int(found[4]), int(found[5]), int(found[6] or 0))
    except ValueError:
        return None
    offset = found[7]
    if not offset:
        return moment.replace(tzinfo=VIETNAM)
    if offset == "Z":
        return moment.replace(tzinfo=UTC)
    digits = offset[1:].replace(":", "").strip()
    return moment.replace(tzinfo=_zone(offset[0], digits[:2], digits[2:4] or None))


def parse_published(text: str | None) -> Published | None:
    """A date as a page writes it -> an aware datetime in the page's own offset, or a date.

    "2023-08-03T08:57:00-05:00" keeps -05:00; "2023-08-03" and "03/08/2023" are dates;
    "Thứ Năm, 03/08/2023 08:57" and a naive "2023-08-03 08:57" are Vietnam time.
    """
    if not text or not text.strip():
        return None
    text = " ".join(str(text).split())
    iso = _ISO.match(text)
    if iso:
        return _from_iso(iso)
    moment = parse_vietnamese_datetime(text)
    if moment is None:
        return None
    if (moment.hour, moment.minute) == (0, 0) and not _CLOCK.search(text):
        return moment.date()
    offset = _OFFSET.search(text)
    if offset:
        zone = (
            _zone(offset[1], offset[2], offset[3])
            if offset[1]
            else _zone(offset[4][0], offset[4][1:], offset[5])
        )
        return moment.astimezone(zone)
    return moment


def _best(first: Published | None, others: list[Published]) -> Published | None:
    """`first`, with the time of another source of the same day when it has none; the
    afternoon reading when another source gives the same clock 12 hours later (a 12-hour
    clock without AM/PM in the metadata, the 24-hour one in print); a UTC moment in the
    offset in which another source gives it."""
    if first is None:
        return others[0] if others else None
    if not isinstance(first, datetime):
        return next((o for o in others if isinstance(o, datetime) and o.date() == first), first)
    for other in others:
        if (
            isinstance(other, datetime)
            and other.utcoffset() == first.utcoffset()
            and other - first == timedelta(hours=12)
            and other.date() == first.date()
        ):
            return other
    if first.utcoffset() == timedelta(0):  # UTC: the page may print the moment in local time
        return next(
            (o for o in others if isinstance(o, datetime) and o == first and o.utcoffset()), first
        )
    return first


def _strong(meta: dict[str, str], article_ld: dict, canonical: str | None) -> list[str]:
    texts = [meta[name] for name in _PUBLISHED_META if meta.get(name)]
    published = article_ld.get("datePublished")
    if isinstance(published, str):
        texts.append(published)
    if canonical:
        found = _URL_DATE.search(urlsplit(canonical).path)
        if found:
            texts.append("{}-{}-{}T{}:{}:{}".format(*found.groups()))
    return texts


def _loose(meta: dict[str, str], tree) -> list[str]:
    texts = [meta[name] for name in _LOOSE_META if meta.get(name)]
    for element in tree.iter("time"):
        texts.append(element.get("datetime") or element.text_content())
    for element in tree.iter("span", "div", "p", "time"):
        if _DATE_CLASS.search(element.get("class") or ""):
            text = " ".join(element.text_content().split())
            if len(text) < 80:
                texts.append(text)
    return texts


@lru_cache(maxsize=32)
def _dateparser_for(language: str):
    """dateparser as htmldate configures it, reading the page's language and English only.
    Without languages it tries each of its 200 locales in turn on every string (about
    30 ms a string, most of the importer's time on a page in Chinese or Greek)."""
    from dateparser import DateDataParser
    from dateparser.languages.loader import default_loader

    if language not in default_loader.get_locale_map():
        return None
    languages = [language] if language == "en" else [language, "en"]
    return DateDataParser(languages=languages, settings=_DATEPARSER_SETTINGS)


@lru_cache(maxsize=1)
def _all_locales():
    """dateparser with every locale, as htmldate configures it, skipping at once the
    locales that cannot read a string's letters (same answers, `date_locales`)."""
    return AllLocalesParser(languages=None, settings=_DATEPARSER_SETTINGS)


_READING = {"language": ""}  # the language htmldate's cached answers were read in


@contextmanager
def _reading_with(parser):
    """htmldate's calls to dateparser go to `parser` while this runs."""
    original = htmldate_extractors._external_date

    def external_date(string: str) -> datetime | None:
        try:
            return parser.get_date_data(string)["date_obj"]
        except (OverflowError, ValueError):
            return None

    htmldate_extractors._external_date = external_date
    try:
        yield
    finally:
        htmldate_extractors._external_date = original


@contextmanager
def _page_language(language: str):
    """htmldate's text search, with dateparser reading only `language` (and English) while
    it runs; every locale as before when the page does not say or dateparser lacks it."""
    parser = _dateparser_for(language)
    reading = language if parser is not None else ""
    # try_date_expr remembers its answers by string alone: forget another language's.
    if _READING["language"] != reading:
        htmldate_extractors.try_date_expr.cache_clear()
        _READING["language"] = reading
    with _reading_with(parser if parser is not None else _all_locales()):
        yield


def from_htmldate(
    document: bytes | str | HtmlElement, url: str | None = None, language: str = ""
) -> Published | None:
    """htmldate's extensive search, for the original (not the updated) date: an aware
    datetime when the page gives an offset, a naive one for a clock without offset, or
    a date. `document` may be the page's parsed tree (htmldate then works on a copy, not
    a parse of its own); `language`, the page's, is the one its dates are read in."""
    try:
        with _page_language(language):
            found = htmldate.find_date(
                document,
                extensive_search=True,
                original_date=True,
                outputformat=_HTMLDATE_FORMAT,
                url=url,
            )
    except (ValueError, TypeError):
        return None
    if not found:
        return None
    stamp = datetime.strptime(found, _HTMLDATE_FORMAT) if found[-5:-4] in "+-" else None
    if stamp is not None:
        return stamp
    naive = datetime.strptime(found, "%Y-%m-%dT%H:%M:%S")
    return naive.date() if (naive.hour, naive.minute) == (0, 0) else naive


def _in_offset_of(clock: datetime, moments: list[Published]) -> datetime | None:
    """The moment among `moments` that reads `clock` (naive) in some UTC offset, in it."""
    for moment in moments:
        if not isinstance(moment, datetime) or moment.tzinfo is None:
            continue
        offset = clock - moment.astimezone(UTC).replace(tzinfo=None)
        if abs(offset) <= timedelta(hours=14) and offset % timedelta(minutes=15) == timedelta(0):
            return moment.astimezone(timezone(offset))
    return None


def _on_day(day: date, found: Published, sources: list[Published]) -> Published:
    """htmldate's finding, with the time and offset the page's sources give it."""
    if isinstance(found, datetime) and found.tzinfo is not None:
        return found
    if isinstance(found, datetime):
        return _in_offset_of(found, sources) or found.replace(tzinfo=VIETNAM)
    same_day = [s for s in sources if isinstance(s, datetime) and s.date() == day]
    return same_day[0] if same_day else day


def printed_day(tree) -> date | None:
    """The first date printed in the text that follows the page's headline (its first
    <h1>): the dateline a reader sees, in any of the languages htmldate reads."""
    headline = next(tree.iter("h1"), None)
    if headline is None:
        return None
    latest = datetime.now() + timedelta(days=1)
    with _reading_with(_all_locales()):
        for text in headline.xpath(_AFTER_HEADLINE):
            found = try_date_expr(
                " ".join(text.split())[:80].lower(), "%Y-%m-%d", True, _EARLIEST, latest
            )
            if found:
                return date.fromisoformat(found)
    return None


def _republished(stated: datetime, url: str | None) -> bool:
    """Whether the page's address holds a day (/2017/7/12/) more than _REPUBLISHED before
    the stated publication time. A day or two apart is a story written late at night or
    published the day after its address was made, not a re-publication."""
    found = COMPLETE_URL.search(url or "")
    if not found:
        return False
    try:
        day = date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return False
    return stated.date() - day > _REPUBLISHED


def _day(moment: Published) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def page_published(page, document: bytes | str) -> Published | None:
    """The publication date of a parsed page (`newsimport.page_parse.Page`), or None."""
    strong = [
        v for v in map(parse_published, _strong(page.meta, page.article_ld, page.canonical)) if v
    ]
    loose = [v for v in map(parse_published, _loose(page.meta, page.tree)) if v]
    sources = strong + loose
    first = strong[0] if strong else None
    found = None
    if isinstance(first, datetime) and first.utcoffset():
        # A publication time with its newsroom's offset, stated for machines: as htmldate
        # would read it, at a fraction of its cost; unless the dateline printed under the
        # headline gives another day, and htmldate's search finds that day (the metadata
        # then gives a first version's or an update's day), or the page's address carries
        # a day well before it: an address is made when a story is first published, so
        # the metadata gives a re-publication (htmldate, which reads the address first,
        # then decides).
        printed = printed_day(page.tree)
        moved = _republished(first, page.canonical)
        if not moved and (printed is None or printed == first.date()):
            return _best(first, sources[1:])
        found = from_htmldate(page.tree, page.canonical, page.language())
        if not moved and (found is None or _day(found) != printed):
            return _best(first, sources[1:])
    found = found or from_htmldate(page.tree, page.canonical, page.language())
    if found is None:
        return _best(first, sources)
    day = found.date() if isinstance(found, datetime) else found
    return _best(_on_day(day, found, sources), sources)

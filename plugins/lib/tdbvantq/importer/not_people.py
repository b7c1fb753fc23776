"""Names a page shows to be no person (issue 22, `names5`): the byline step's judge of what
the page says around a name, beside `bylines`' judge of the name's own shape.

- A site's name: the copyright holder printed as a link to another site's home page
  ("Copyright © 1995-2012 <a href=http://www.wp.pl>Wirtualna Polska</a>" on odkrywcy.pl:
  the network the site belongs to), or a word that begins the page's own host name glued
  to more ("Cmv" on cmvlive.com, the site's short name; "Heiko" on heiko-adams.de is the
  owner's).
- The software that made the page: a name sharing a word with <meta name=generator>
  ("Max Covax" on a page made with "Covax CMS 1.01").
- A menu of the site's authors: a box marked "authors" holding a heading and a list of
  more than five names ("Auteurs" over the site's writers), none of them this story's.
- A poll's author: a byline in a small box that also holds a form of choices (a readers'
  poll's "Автор: Umnik"), a reader's, not the story's.
- A business card: an author <meta> field given again with a telephone or fax number
  (`DC.creator` "Sift", then its street address, "Tel: +44 …", "Fax: …" and a sales
  address on figo.org: the agency that built the site). A story's writer is named in
  metadata, not given with the switchboard's number.
"""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from tdbvantq.importer.page_parse import Page, meta_values, text_of
from tdbvantq.importer.textkey import fold
from tdbvantq.importer.urls import plain_address

_MIN_SITE_WORD = 3
_HOME_LINKS: WeakKeyDictionary = WeakKeyDictionary()


def _host_label(host: str, joined: bool = True) -> str:
    """The registered name of a host ("wp" of www.wp.pl), folded; `joined`: without "-"
    ("lars-sobiraj" is "larssobiraj", as a name's words run together)."""
    parts = fold(host).removeprefix("www.").split(".")
    label = parts[-2] if len(parts) > 1 else parts[0]
    return label.replace("-", "") if joined else label


_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved", re.IGNORECASE)
_COPYRIGHT_LEVELS = 2
_COPYRIGHT_LINE = 300  # a copyright line's characters at most (not the whole footer's)


def _in_copyright(link) -> bool:
    return any(
        _COPYRIGHT.search(text_of(box))
        for box in islice(link.iterancestors(), _COPYRIGHT_LEVELS)
        if len(box.text_content()) <= _COPYRIGHT_LINE
    )


def _address(href: str) -> tuple[str, str, str] | None:
    """(hostname, path, query) as urlsplit reads them, None when it cannot read the address.
    Most of a page's addresses are read here without it (it is slow, and a page has many)."""
    href = href.strip()
    if "//" not in href.replace("\t", "").replace("\r", "").replace("\n", ""):
        return "", "", ""  # urlsplit reads a host only after "//" (and drops these first)
    plain = plain_address(href)
    if plain:
        path, _, query = href[plain.end() :].split("#", 1)[0].partition("?")
        return plain[1].lower(), path, query
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    return parts.hostname or "", parts.path, parts.query


def _other_site(href: str, own: set[str]) -> tuple[str, bool] | None:
    """(the host's label, whether the address is the host's home page) of a link to a host
    other than the page's own `own` labels, else None."""
    address = _address(href)
    if address is None or not address[0]:
        return None
    hostname, path, query = address
    label = _host_label(hostname)
    if not label or label in own:
        return None
    return label, path in ("", "/") and not query


def _links(page: Page) -> tuple[frozenset[str], frozenset[str]]:
    """The texts of the page's copyright links to another site's home page, and the names
    of every other host the page links to, read once a page."""
    found = _HOME_LINKS.get(page)
    if found is None:
        own = {_host_label(h) for h in page.hosts} | {_host_label(page.host())}
        texts, hosts = set(), set()
        read: dict[str, tuple[str, bool] | None] = {}  # a page repeats its addresses
        for link in page.tree.iter("a"):
            href = link.get("href") or ""
            if href not in read:
                read[href] = _other_site(href, own)
            found = read[href]
            if found is None:
                continue
            hosts.add(found[0])
            if found[1] and _in_copyright(link):
                texts.add(fold(text_of(link)))
        found = (frozenset(texts - {""}), frozenset(hosts))
        _HOME_LINKS[page] = found
    return found


def site_name(page: Page, name: str) -> bool:
    """Whether the page shows `name` to be a site's name (see the module's docstring). A
    person's own site is named after them ("Jane Doe" linking to janedoe.com) and stays."""
    folded = fold(name)
    joined = "".join(folded.split())
    home_texts, hosts = _links(page)
    if folded in home_texts and not any(joined in h for h in hosts):
        return True
    if " " in folded or len(folded) < _MIN_SITE_WORD:
        return False
    own = _host_label(page.host(), joined=False) if page.host() else ""
    return own.startswith(folded) and own[len(folded) : len(folded) + 1].isalpha()


_VERSION = re.compile(r"^v?\d[\d.]*$")


def software_name(page: Page, name: str) -> bool:
    """Whether the name shares a word with the page's generator ("Covax CMS 1.01"): the
    software's maker, which a CMS writes as the author of every page it makes."""
    words = {w for w in fold(page.meta.get("generator", "")).split() if len(w) >= _MIN_SITE_WORD}
    return bool(words - {"cms"}) and any(
        w in words and not _VERSION.match(w) for w in fold(name).split()
    )


_WIDGET_LEVELS = 3
_WIDGET_CHARS = 600


def _choices(form) -> bool:
    return any((i.get("type") or "").lower() in ("radio", "checkbox") for i in form.iter("input"))


def in_widget(element) -> bool:
    """A byline in a small box that also holds a form of choices beside it (a readers'
    poll): the poll's author. A page wrapped whole in a <form> (ASP.NET) holds the byline
    inside the form, not beside it; a story's print or rating button is no poll."""
    for box in islice(element.iterancestors(), _WIDGET_LEVELS):
        if box.tag == "form":
            return False
        if any(_choices(form) for form in box.iter("form")):
            return len("".join(box.text_content().split())) <= _WIDGET_CHARS
    return False


_MENU_ITEMS = 5


def authors_menu(element) -> bool:
    """A box of the site's authors: a heading and a list of more than five items, each a
    link (see the module's docstring)."""
    if next(element.iter("h1", "h2", "h3", "h4", "h5", "h6"), None) is None:
        return False
    return any(
        len(items := list(box.iter("li"))) > _MENU_ITEMS
        and all(next(li.iter("a"), None) is not None for li in items)
        for box in element.iter("ul", "ol")
    )


# A telephone or fax number: a "tel"/"fax"/"phone" label, or seven digits or more in one run
# of digits, spaces and the marks phone numbers are written with.
_PHONE = re.compile(r"\b(?:tel|fax|phone)\b|\+?\d(?:[\s().-]*\d){6,}", re.IGNORECASE)


def contact_card(page: Page, key: str) -> bool:
    """Whether the author <meta> field `key` (lowercased) is a business card: given more
    than once, and one of its values a telephone or fax number (see the module's docstring)."""
    if key not in page.meta:
        return False
    values = meta_values(page.tree, key)
    return len(values) > 1 and any(_PHONE.search(v) for v in values)

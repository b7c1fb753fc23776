"""Every feed the build writes (site, category, model feeds) declares its
language and carries ids that are unique and real in every build.

Pelican leaves the feed language empty and derives ids from SITEURL, which
gives "tag:None,…" entry ids in development builds (SITEURL = "") and the same
feed id (the site's home URL) to every feed. On `feed_generated` this plugin
sets the language (RSS <language>, Atom xml:lang), the feed id (its own URL
when SITEURL is absolute, else a tag: URI of its path) and every entry id
(tag:<host>,<date>:<path>, as Pelican writes it when SITEURL is absolute).
Development builds' links ("2023/x/", which a reader would resolve against
feeds/) become root-relative ("/2023/x/").
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from pelican import signals

from tdbvantq.settings import PluginSettings, text

SETTINGS = PluginSettings(
    "feed_meta",
    [
        text("FEED_LANGUAGE", None, "language of every feed; None: DEFAULT_LANG", optional=True),
        text("FEED_ID_AUTHORITY", "localhost", "tag: URI authority when SITEURL is not absolute"),
        text(
            "FEED_ID_DATE", "2023-01-01", "tag: URI date of feed ids when SITEURL is not absolute"
        ),
    ],
)


def id_authority(settings: dict) -> str:
    return urlsplit(str(settings.get("SITEURL") or "")).hostname or SETTINGS.read(
        settings, "FEED_ID_AUTHORITY"
    )


def feed_id(feed_url: str, settings: dict) -> str:
    """The feed's own URL under SITEURL when that is absolute, else a tag: URI of its path."""
    domain = str(settings.get("FEED_DOMAIN") or "")
    relative = feed_url[len(domain) :] if domain and feed_url.startswith(domain) else feed_url
    path = "/" + urlsplit(relative).path.lstrip("/")
    siteurl = str(settings.get("SITEURL") or "").rstrip("/")
    if urlsplit(siteurl).scheme in ("http", "https"):
        return siteurl + path
    return f"tag:{id_authority(settings)},{SETTINGS.read(settings, 'FEED_ID_DATE')}:{path}"


def entry_id(link: str, pubdate: Any, settings: dict) -> str:
    path = "/" + urlsplit(link).path.lstrip("/")
    return f"tag:{id_authority(settings)},{pubdate:%Y-%m-%d}:{path}"


def from_root(link: str) -> str:
    """A link of a development build ("2023/x/", relative to nothing a reader knows,
    since a feed lives in feeds/) made root-relative; absolute links unchanged."""
    parts = urlsplit(link)
    return link if parts.scheme or parts.netloc or link.startswith("/") else "/" + link


def complete_feed(context: dict, feed: Any) -> None:
    """`feed_generated` receiver: `context` holds the settings (uppercase keys)."""
    feed.feed["language"] = SETTINGS.read(context, "FEED_LANGUAGE") or context.get(
        "DEFAULT_LANG", "vi"
    )
    feed.feed["id"] = feed_id(str(feed.feed.get("feed_url") or feed.feed["link"]), context)
    for key in ("link", "feed_url"):
        if feed.feed.get(key):
            feed.feed[key] = from_root(feed.feed[key])
    for item in feed.items:
        item["link"] = from_root(item["link"])
        item["unique_id"] = entry_id(item["link"], item["pubdate"], context)


def register() -> None:
    SETTINGS.register()
    signals.feed_generated.connect(complete_feed)

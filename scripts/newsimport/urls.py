"""Canonical form of source URLs, so one story is one file whatever link led to it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING = {"fbclid", "gclid", "dclid", "msclkid", "zarsrc", "yclid", "igshid", "mc_cid",
             "mc_eid", "_ga", "ref", "ref_src", "itm_source", "itm_medium", "itm_campaign",
             "vn_source", "vn_medium", "vn_campaign", "vn_term", "gidzl"}


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

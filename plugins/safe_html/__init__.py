"""One sanitizer for everything the site publishes (see README.md)."""

from safe_html.plugin import register

__all__ = ["register"]

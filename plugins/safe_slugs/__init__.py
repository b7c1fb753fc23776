from safe_slugs.plugin import register

__all__ = ["register"]

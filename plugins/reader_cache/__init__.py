from reader_cache.plugin import register

__all__ = ["register"]

from model_feeds.plugin import feed_paths, register

__all__ = ["feed_paths", "register"]

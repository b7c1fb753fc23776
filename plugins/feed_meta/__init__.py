from feed_meta.plugin import complete_feed, entry_id, feed_id, register

__all__ = ["complete_feed", "entry_id", "feed_id", "register"]

"""Share cards (plugin.py). The package imports only the drawing at once: share card
workers, spawned processes, import it to unpickle their jobs (share_cards.worker)
and need neither Pelican nor the plugin."""

from typing import Any

from share_cards.draw import CardText, draw_card, draw_logo

__all__ = ["CardText", "ShareCard", "draw_card", "draw_logo", "register"]


def __getattr__(name: str) -> Any:
    if name in ("ShareCard", "register"):
        from share_cards import plugin

        return getattr(plugin, name)
    raise AttributeError(f"module 'share_cards' has no attribute {name!r}")

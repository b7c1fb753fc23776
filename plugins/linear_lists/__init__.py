from linear_lists.plugin import register

__all__ = ["register"]

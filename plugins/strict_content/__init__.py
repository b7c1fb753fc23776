from strict_content.plugin import BrokenContentError, register

__all__ = ["BrokenContentError", "register"]

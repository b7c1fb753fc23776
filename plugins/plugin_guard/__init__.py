from plugin_guard.plugin import MissingPluginError, register

__all__ = ["MissingPluginError", "register"]

from web_manifest.plugin import manifest, register

__all__ = ["manifest", "register"]

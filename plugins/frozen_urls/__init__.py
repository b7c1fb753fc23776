from frozen_urls.plugin import freeze_urls, register

__all__ = ["freeze_urls", "register"]

from template_cache.plugin import register, use_template_cache

__all__ = ["register", "use_template_cache"]

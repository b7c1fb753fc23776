from news_jsonld.plugin import absolute_url, news_article, register, resolve_static, static_for_path

__all__ = ["absolute_url", "news_article", "register", "resolve_static", "static_for_path"]

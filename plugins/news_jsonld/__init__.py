from news_jsonld.plugin import absolute_url, news_article, register

__all__ = ["absolute_url", "news_article", "register"]
